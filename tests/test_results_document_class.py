"""The results document as one frozen, typed, versioned class: written and read again without a
byte moving, read from every form chiso writes it in (the JSON of ``chiso score --out``, a
snapshot, open data as JSON, CSV or XLSX, the score tables in either language), and refused
with the file, the row and the field named when it is none of them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from chiso.analysis.loaded import framework_of, load_results
from chiso.analysis.rank_uncertainty import rank_uncertainty
from chiso.frameworks import get_framework
from chiso.problems import Refusal
from chiso.reports import open_data
from chiso.scoring.document import (
    SCHEMA_VERSION,
    CycleInfo,
    DecisionInfo,
    PublicationInfo,
    ResultsDocument,
    from_json,
    from_results,
)
from chiso.scoring.results import Results
from chiso.tables.results_reading import read_document, read_results
from chiso.tables.writing import (
    canonical_text,
    document_text,
    published_text,
    write_document,
    write_results,
)
from results_sample import FRAMEWORK, sample_results

FW = get_framework(FRAMEWORK)


def _published() -> ResultsDocument:
    return from_results(sample_results()).published(
        CycleInfo(3, "Chỉ số CCHC 2024", 2024, simulated=True),
        PublicationInfo(
            2,
            "đính chính 1.1",
            DecisionInfo("12/QĐ-UBND", "2025-01-20", "UBND tỉnh"),
            replaces_sha256="ab" * 32,
        ),
    )


def _rule(caught: pytest.ExceptionInfo[Refusal]) -> tuple[str, int | None, str | None]:
    first = next(iter(caught.value.report))
    return first.rule, first.row, first.column


def test_the_document_is_frozen_and_says_its_schema_version() -> None:
    doc = from_results(sample_results())
    assert doc.schema_version == SCHEMA_VERSION == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.units = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.units[0].rank = 9  # type: ignore[misc]
    # version 1 is every document chiso has written: without a version key
    assert "schema_version" not in doc.to_json()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_score_out_json_read_and_written_again_is_the_same_text(
    tmp_path: Path, lang: str
) -> None:
    path = tmp_path / "r.json"
    write_results(sample_results(), path, lang)
    doc = read_document(path)
    assert doc.named_groups and doc.framework_code == FRAMEWORK
    assert document_text(doc) == path.read_text(encoding="utf-8")


def test_a_snapshot_read_and_written_again_has_the_same_text_and_hash() -> None:
    doc = _published()
    text = canonical_text(doc)
    again = from_json(json.loads(text))
    assert canonical_text(again) == text
    assert again.cycle == doc.cycle and again.publication == doc.publication
    assert again.decision == DecisionInfo("12/QĐ-UBND", "2025-01-20", "UBND tỉnh")
    # a revision's JSON lists the keys in the snapshot's (sorted) order
    assert published_text(again) == json.dumps(json.loads(text), ensure_ascii=False, indent=2)


def test_numbers_keep_their_json_type_so_nothing_moves() -> None:
    data = {"units": [{"unit": "A", "points": {"1": 9, "2": "NA", "3": None}, "total": 9}]}
    doc = from_json(data)
    assert doc.units[0].points == {"1": 9, "2": "NA", "3": None}
    assert json.dumps(doc.to_json()["units"][0]["points"]) == '{"1": 9, "2": "NA", "3": null}'


def test_an_older_snapshot_with_group_names_keeps_them() -> None:
    data = json.loads(canonical_text(_published()))
    for unit in data["units"]:
        unit["group_name"] = "Tốt"
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert canonical_text(from_json(json.loads(text))) == text


def test_a_document_of_a_newer_schema_is_refused_rather_than_misread(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    data = from_results(sample_results()).to_json()
    path.write_text(json.dumps({"schema_version": 2, **data}), encoding="utf-8")
    with pytest.raises(Refusal) as caught:
        read_document(path)
    assert _rule(caught) == ("results.schema", None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", ("results.bad_file", None, None)),
        ("[1, 2]", ("results.bad_file", None, None)),
        ('{"units": [{"points": {}}]}', ("results.bad_file", 1, "unit")),
        ('{"units": [{"unit": "A", "points": {"1": "chín"}}]}', ("results.bad_file", 1, "1")),
        (
            '{"units": [{"unit": "A", "points": {}}, {"unit": "B", "rank": "1"}]}',
            ("results.bad_file", 2, "rank"),
        ),
        ('{"units": [{"unit": "A", "status": "xong"}]}', ("results.bad_file", 1, "status")),
        ('{"units": [{"unit": "A"}, {"unit": "A"}]}', ("results.bad_file", 2, "unit")),
        ('{"rows": [{"total": 1}]}', ("results.bad_file", 1, None)),
        (
            '{"rows": [{"unit": "A", "region": "", "total": 1, "index": 1, "rank": "một"}]}',
            ("results.bad_file", 1, "rank"),
        ),
    ],
)
def test_anything_else_is_refused_naming_the_row_and_the_field(
    tmp_path: Path, text: str, expected: tuple[str, int | None, str | None]
) -> None:
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Refusal) as caught:
        read_document(path)
    assert _rule(caught) == expected


def test_a_table_that_is_no_results_table_is_refused_at_its_header(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("tên,điểm\nA,1\n", encoding="utf-8")
    with pytest.raises(Refusal) as caught:
        read_document(path)
    assert _rule(caught) == ("results.bad_file", 1, None)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_score_tables_are_read_back_in_either_language(
    tmp_path: Path, suffix: str, lang: str
) -> None:
    path = tmp_path / f"r.{suffix}"
    write_results(sample_results(), path, lang)
    doc = read_document(path)
    expected = from_results(sample_results())
    assert doc.names == expected.names
    assert [u.rank for u in doc.units] == [u.rank for u in expected.units]
    assert [u.status for u in doc.units] == [u.status for u in expected.units]
    assert [u.missing for u in doc.units] == [u.missing for u in expected.units]
    assert doc.by_name()["Sở Nội vụ"].points["4.3"] == "NA"
    # a CSV rounds to the framework's precision, a workbook keeps every number
    assert doc.decimals == (FW.precision if suffix == "csv" else None)
    assert framework_of(doc, str(path), None) is FW  # found by its criteria
    assert load_results(path).results.rank.tolist() == load_results_json(tmp_path).rank.tolist()


def load_results_json(tmp_path: Path) -> Results:
    path = tmp_path / "same.json"
    write_results(sample_results(), path)
    return load_results(path).results


@pytest.mark.parametrize("suffix", ["json", "csv", "xlsx"])
def test_open_data_is_read_back_with_its_standard_errors_and_decision(
    tmp_path: Path, suffix: str
) -> None:
    doc = _published()
    path = tmp_path / f"data.{suffix}"
    extra = {"cycle": "Chỉ số CCHC 2024", "revision": 2, "sha256_of_snapshot": "cd" * 32}
    open_data.write_table(doc, FW, path, extra)
    read = read_document(path)
    assert read.framework is None and read.codes == tuple(FW.codes)
    assert read.decision == doc.decision
    assert read.publication is not None and read.publication.revision == 2
    first, expected = read.units[0], doc.units[0]
    assert (first.unit, first.rank, first.group, first.status) == (
        expected.unit,
        expected.rank,
        expected.group,
        expected.status,
    )
    assert first.total_se == pytest.approx(expected.total_se)
    if suffix == "json":
        assert read.cycle == CycleInfo(None, "Chỉ số CCHC 2024", None)
        assert read.publication.sha256 == "cd" * 32
        assert [u.points for u in read.units] == [u.points for u in doc.units]


def test_ranks_from_open_data_are_those_from_the_document(tmp_path: Path) -> None:
    """data.json has each unit's total and its standard error: what ranks simulate."""
    json_path, data_path = tmp_path / "r.json", tmp_path / "data.json"
    write_results(sample_results(), json_path)
    open_data.write_table(from_results(sample_results()), FW, data_path, {})
    ours, theirs = load_results(json_path), load_results(data_path)
    assert rank_uncertainty(ours, 500, 3) == rank_uncertainty(theirs, 500, 3)


def test_rows_without_a_unit_name_are_skipped_in_open_data(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    row = {"unit": "A", "region": "", "1": 9, "total": 9, "max": 10.0, "index": 90.0, "rank": 1}
    path.write_text(json.dumps({"rows": [{**row, "unit": ""}, row]}), encoding="utf-8")
    doc = read_document(path)
    assert doc.names == ["A"] and doc.units[0].points == {"1": 9}


def test_a_table_that_names_no_framework_asks_for_one_when_none_matches(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    rows = [{"unit": "A", "region": "", "9.9": 1.0, "total": 1.0, "max": 2.0, "index": 50.0}]
    path.write_text(json.dumps({"rows": [{**r, "rank": 1, "status": "complete"} for r in rows]}))
    doc = read_document(path)
    with pytest.raises(Refusal) as caught:
        framework_of(doc, str(path), None)
    assert _rule(caught) == ("results.no_framework", None, None)
    assert framework_of(doc, str(path), FRAMEWORK) is FW


def test_compare_reads_a_snapshot_as_it_reads_the_score_file(tmp_path: Path) -> None:
    snapshot, score = tmp_path / "1.json", tmp_path / "score.json"
    snapshot.write_text(published_text(_published()), encoding="utf-8")
    write_document(from_results(sample_results()), FW, score, "en")
    ours, theirs = read_results(snapshot), read_results(score)
    assert ours.units == theirs.units and ours.codes == theirs.codes
