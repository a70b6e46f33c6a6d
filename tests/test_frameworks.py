"""Frameworks as data: the built-ins load, and a user's file is checked with every problem
reported at once, each with its line and the rule it broke."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.frameworks import builtin_frameworks, get_framework, read_framework
from chiso.frameworks.registry import builtin_paths

runner = CliRunner(env={"COLUMNS": "250"})

BUILTIN_CODES = {
    "par-province-2019",
    "par-ministry-2022",
    "sipas-2017",
    "sipas-2023",
    "papi-2011",
    "papi-2016",
    "papi-2018",
    "papi-2019",
    "papi-2021",
    "example-department-2024",
    "example-commune-2025",
    "service-index-2022",
}


def test_every_builtin_framework_is_valid_and_named_by_index_subject_and_first_year() -> None:
    codes = {fw.code for fw in builtin_frameworks()}
    assert codes == BUILTIN_CODES
    for path in builtin_paths():
        fw, report = read_framework(path)
        assert fw is not None, [p.render("en") for p in report]
        assert path.stem == fw.code
        assert fw.code.endswith(str(fw.year_from))


@pytest.mark.parametrize(
    ("code", "dimensions", "subdimensions", "total"),
    [
        ("papi-2011", 6, 22, 60),
        ("papi-2016", 6, 22, 60),
        ("papi-2018", 8, 28, 80),
        ("papi-2019", 8, 29, 80),
        ("papi-2021", 8, 28, 80),
    ],
)
def test_papi_editions_have_the_published_structure(
    code: str, dimensions: int, subdimensions: int, total: float
) -> None:
    fw = get_framework(code)
    assert len(fw.nodes) == dimensions
    assert len(fw.leaves()) == subdimensions
    assert fw.total_max == total
    assert all(d.max == 10 for d in fw.nodes)


def test_sipas_2017_has_5_factors_and_22_criteria_aggregated_by_mean() -> None:
    fw = get_framework("sipas-2017")
    assert [len(f.children) for f in fw.nodes] == [4, 5, 6, 3, 4]
    assert fw.total_aggregation == "mean"
    assert {n.aggregation for n in fw.nodes} == {"mean"}


def test_par_frameworks_whose_maxima_are_not_public_are_partial_and_invent_nothing() -> None:
    fw = get_framework("par-province-2019")
    assert [n.code for n in fw.nodes] == [str(i) for i in range(1, 9)]
    assert fw.total_max == 100
    assert not fw.is_complete
    assert all(n.max is None for n in fw.walk())
    assert "1150/QĐ-BNV" in fw.legal_basis


def test_all_builtin_texts_are_nfc() -> None:
    for fw in builtin_frameworks():
        for n in fw.walk():
            assert unicodedata.is_normalized("NFC", n.name_vi)


BAD = """\
format: 1
code: tinh-department-2024
index: Chỉ số CCHC
subject: department
name_vi: Bộ chỉ số
name_en: Index
years: {from: 2024}
legal_basis: QĐ 1/QĐ-UBND
scoring:
  defaults: {children_add_up: true}
  groups:
    method: bands
    bands:
      - {code: tốt, min: 80}
      - {code: khá, min: 70, below: 85}
      - {code: yếu, below: 60}
nodes:
  - code: "1"
    name_vi: Lĩnh vực 1
    max: 10
    children:
      - {code: "1.1", name_vi: A, max: 4}
      - {code: "1.2", name_vi: B, max: 4}
  - code: "1"
    name_vi: Trùng mã
    max: 5
    rule: {kind: magic}
  - code: "2"
    name_vi: "Ca\u0301c mu\u0323c"
    max: 5
    children:
      - {code: "3.1", name_vi: C, max: 5}
"""


def _rules_and_lines(path: Path) -> set[tuple[str, int | None]]:
    fw, report = read_framework(path)
    assert fw is None
    return {(p.rule, p.row) for p in report}


def test_validation_reports_every_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    found = _rules_and_lines(path)
    assert ("framework.sum_mismatch", 20) in found  # 4 + 4 ≠ 10
    assert ("framework.duplicate_code", 24) in found
    assert ("framework.rule_unknown", 27) in found
    assert ("framework.not_nfc", 29) in found
    assert ("framework.code_outside_parent", 32) in found
    assert ("framework.band_overlap", 14) in found  # tốt starts at 80, inside khá (to 85)
    assert ("framework.band_gap", 15) in found  # nothing holds 60–70
    assert len(found) == 7


def test_validate_command_exits_non_zero_and_names_file_line_and_rule(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = runner.invoke(app, ["frameworks", "validate", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert "framework.sum_mismatch" in result.output and "bad.yaml" in result.output


def test_validate_command_accepts_the_example_and_exits_zero() -> None:
    path = next(p for p in builtin_paths() if p.stem == "example-department-2024")
    result = runner.invoke(app, ["frameworks", "validate", str(path)])
    assert result.exit_code == 0, result.output


def test_bands_of_a_scoring_rule_must_cover_their_range(tmp_path: Path) -> None:
    text = """\
format: 1
code: x-department-2024
index: X
subject: department
name_vi: X
name_en: X
years: {from: 2024, to: 2025}
legal_basis: "-"
nodes:
  - code: "1"
    name_vi: Tỷ lệ hoàn thành
    max: 2
    rule:
      kind: bands
      range: [0, 100]
      bands:
        - {min: 90, points: 2}
        - {min: 70, below: 85, points: 1}
        - {min: 0, below: 70, points: 3}
"""
    path = tmp_path / "rule.yaml"
    path.write_text(text, encoding="utf-8")
    rules = {r for r, _ in _rules_and_lines(path)}
    assert {"framework.band_gap", "framework.band_points"} <= rules


def test_yaml_syntax_errors_are_reported_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: 1\nnodes: [\n  - code: 1\n", encoding="utf-8")
    found = _rules_and_lines(path)
    assert [r for r, _ in found] == ["framework.yaml"]


def test_show_json_is_a_nested_tree_with_the_documented_keys() -> None:
    result = runner.invoke(app, ["frameworks", "show", "papi-2021", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    first = doc["children"][0]
    assert {"code", "name_vi", "name_en", "max", "source", "aggregation", "children"} <= set(first)
    assert first["code"] == "1" and first["children"][0]["code"] == "1.1"
    assert first["children"][0]["max"] == 2.5
    partial = json.loads(
        runner.invoke(app, ["frameworks", "show", "par-province-2019", "--format", "json"]).output
    )
    assert partial["children"][0]["max"] is None and partial["complete"] is False


def test_show_text_and_list_name_every_builtin() -> None:
    listing = runner.invoke(app, ["frameworks", "list", "--lang", "en"])
    assert listing.exit_code == 0
    for code in BUILTIN_CODES:
        assert code in listing.output
    assert "partial" in listing.output and "1150/QĐ-BNV" in listing.output
    shown = runner.invoke(app, ["frameworks", "show", "sipas-2017"])
    assert "1.1" in shown.output and "2640/QĐ-BNV" in shown.output


def test_unknown_framework_code_is_a_clear_error() -> None:
    result = runner.invoke(app, ["frameworks", "show", "par-province-1999", "--lang", "en"])
    assert result.exit_code == 1
    assert "no framework 'par-province-1999'" in result.output


def test_the_commune_example_is_for_communes_from_2025_and_says_it_is_illustrative() -> None:
    fw = get_framework("example-commune-2025")
    assert fw.subjects == ("commune",) and fw.year_from == 2025
    assert "minh họa" in fw.name_vi and "illustrative" in fw.name_en
    assert "không phải văn bản của tỉnh nào" in fw.legal_basis
    assert fw.total_max == 100
