"""A corrected or extended archive an administrator loads is checked like any user file:
every problem at once, with its file, row, column and rule, in Vietnamese and English."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chiso.archive import load_archive
from chiso.archive.loading import DATA_DIR
from chiso.problems import Refusal

HEADER = "index,year,unit_kind,unit,node,value,rank,group,basis,rank_basis,source\n"


def _copy(tmp_path: Path, extra: str) -> Path:
    shutil.copy(DATA_DIR / "sources.yaml", tmp_path / "sources.yaml")
    (tmp_path / "extra.csv").write_text(HEADER + extra, encoding="utf-8")
    return tmp_path


def _problems(folder: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(Refusal) as caught:
        load_archive(folder)
    return [(p.file, p.row, p.column, p.rule) for p in caught.value.report]


def test_a_good_extra_file_is_loaded_beside_the_sources(tmp_path: Path) -> None:
    folder = _copy(
        tmp_path, "SIPAS,2023,province,Hà Nội,total,88.01,,,published,,seed003-par-sipas-2023\n"
    )
    archive = load_archive(folder)
    [figure] = archive.figures
    assert (figure.unit, figure.value, figure.text) == ("Hà Nội", 88.01, "88.01")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    rows = [
        "PCI,2023,province,Hà Nội,total,70,,,published,,seed003-par-sipas-2023",  # 2 index
        "SIPAS,20x3,province,Hà Nội,total,70,,,published,,seed003-par-sipas-2023",  # 3 year
        "SIPAS,2023,province,Hà Tây,total,70,,,published,,seed003-par-sipas-2023",  # 4 unit
        "SIPAS,2023,province,Hà Nội,total,7O,,,published,,seed003-par-sipas-2023",  # 5 value
        "SIPAS,2023,province,Hà Nội,total,70,0,,published,published,nowhere",  # 6 rank, source
        "SIPAS,2023,province,Hà Nội,total,70,,,simulated,,seed003-par-sipas-2023",  # 7 basis
        "PAPI,2024,province,Hà Nội,9.1,5,,,published,,seed003-par-sipas-2023",  # 8 node
        "SIPAS,2023,province,Hà Nội,total,,,,published,,seed003-par-sipas-2023",  # 9 nothing
        "SIPAS,2022,province,Hà Nội,total,80,,,published,,seed003-par-sipas-2023",  # 10 ok
        "SIPAS,2022,province,Hà Nội,total,80,,,published,,seed003-par-sipas-2023",  # 11 again
        "SIPAS,2025,province,Hà Giang,total,80,,,published,,seed003-par-sipas-2023",  # 12 gone
    ]
    found = _problems(_copy(tmp_path, "\n".join(rows) + "\n"))
    assert found == [
        ("extra.csv", 2, "index", "framework.bad_choice"),
        ("extra.csv", 3, "year", "archive.bad_year"),
        ("extra.csv", 4, "unit", "archive.unit_unknown"),
        ("extra.csv", 5, "value", "value.not_number"),
        ("extra.csv", 6, "rank", "archive.bad_rank"),
        ("extra.csv", 6, "source", "archive.source_unknown"),
        ("extra.csv", 7, "basis", "framework.bad_choice"),
        ("extra.csv", 8, "node", "node.unknown"),
        ("extra.csv", 9, "value", "archive.no_figure"),
        ("extra.csv", 11, "source", "archive.duplicate"),
        ("extra.csv", 12, "unit", "archive.unit_unknown"),
    ]


def test_problems_read_in_vietnamese_and_english(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "SIPAS,2025,province,Hà Giang,total,80,,,published,,x\n")
    with pytest.raises(Refusal) as caught:
        load_archive(folder)
    texts = {p.rule: (p.render("vi"), p.render("en")) for p in caught.value.report}
    vi, en = texts["archive.unit_unknown"]
    assert "'Hà Giang' không phải là một trong 34 tỉnh, thành phố của năm 2025" in vi
    assert "extra.csv, dòng 2, cột unit" in vi
    assert "'Hà Giang' is not one of the 34 provinces of 2025" in en
    assert "source 'x' is not in sources.yaml" in texts["archive.source_unknown"][1]


def test_decomposed_vietnamese_text_is_refused(tmp_path: Path) -> None:
    import unicodedata

    name = unicodedata.normalize("NFD", "Hà Nội")
    folder = _copy(tmp_path, f"SIPAS,2023,province,{name},total,80,,,published,,x\n")
    rules = {(column, rule) for _, _, column, rule in _problems(folder)}
    assert ("unit", "framework.not_nfc") in rules


def test_missing_columns_and_sources_file_are_named(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("index,year\nPAPI,2020\n", encoding="utf-8")
    found = _problems(tmp_path)
    assert ("sources.yaml", None, None, "file.not_found") in found
    assert ("a.csv", 1, None, "archive.columns") in found


def test_a_source_entry_without_its_address_is_reported_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(
        "format: 1\nsources:\n  - id: a\n    title: t\n    publisher: p\n    date: d\n"
        "    licence: l\n",
        encoding="utf-8",
    )
    (tmp_path / "x.csv").write_text(HEADER, encoding="utf-8")
    assert ("sources.yaml", 3, "address", "framework.missing_key") in _problems(tmp_path)


def test_a_printed_papi_average_is_a_mean_of_the_country_never_of_a_province(
    tmp_path: Path,
) -> None:
    """PAPI's national average (Vietnam.vn: "the national average of 41.43 points") is kept
    as the PAR INDEX keeps its means, node ``mean``; a province has no such node."""
    rows = [
        "PAPI,2024,nation,Cả nước,mean,41.43,,,published,,vietnamvn-papi-2024",
        "PAPI,2024,province,Hà Nội,mean,41.43,,,published,,vietnamvn-papi-2024",
    ]
    found = _problems(_copy(tmp_path, "\n".join(rows) + "\n"))
    assert found == [("extra.csv", 3, "node", "node.unknown")]


def test_a_related_source_must_be_listed(tmp_path: Path) -> None:
    """A copy names the originals it was stitched from by their ids: each must be a source."""
    (tmp_path / "sources.yaml").write_text(
        "format: 1\nsources:\n  - id: a\n    address: x\n    title: t\n    publisher: p\n"
        "    date: d\n    licence: l\n    related: [b, nowhere]\n"
        "  - id: b\n    address: https://b\n    title: t\n    publisher: p\n"
        "    date: d\n    licence: l\n",
        encoding="utf-8",
    )
    (tmp_path / "x.csv").write_text(HEADER, encoding="utf-8")
    assert _problems(tmp_path) == [("sources.yaml", 3, "related", "archive.source_unknown")]
