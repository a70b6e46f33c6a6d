"""The archive as open data: the same figures in CSV, XLSX and Parquet, long form, with a data
dictionary in Vietnamese and English and the list of sources."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from chiso.archive import Archive, load_archive
from chiso.archive.open_data import COLUMNS, dictionary, write


@pytest.fixture(scope="module")
def archive() -> Archive:
    return load_archive()


def test_csv_keeps_every_published_digit(archive: Archive, tmp_path: Path) -> None:
    data, dictionary_path, sources = write(archive, tmp_path / "a.csv")
    with open(data, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == len(archive.figures)
    assert [r["value"] for r in rows] == [f.text for f in archive.figures]
    # a float32-expanded PAPI 2015 value is printed as the sheet prints it, not rounded
    assert any(len(r["value"]) > 15 for r in rows if r["year"] == "2015")
    hai_phong = [r for r in rows if r["unit"] == "Hải Phòng" and r["year"] == "2023"]
    assert {r["value"] for r in hai_phong if r["index"] == "PAR INDEX"} == {"91.87", "91.81", ""}
    assert dictionary_path.name == "a.dictionary.csv" and sources.name == "a.sources.csv"


def test_the_issue_columns_are_all_there() -> None:
    assert {"index", "year", "unit", "node", "value", "rank", "group", "source"} <= set(COLUMNS)


def test_parquet_holds_numbers_the_dictionary_and_the_sources(
    archive: Archive, tmp_path: Path
) -> None:
    import json

    import pyarrow.parquet as pq

    path, _, _ = write(archive, tmp_path / "a.parquet")
    table = pq.read_table(path)
    assert table.num_rows == len(archive.figures)
    assert table.column_names == list(COLUMNS)
    values = table.column("value").to_pylist()
    assert values == [f.value for f in archive.figures]
    meta = table.schema.metadata
    assert {c["name"] for c in json.loads(meta[b"dictionary"])} == set(COLUMNS)
    assert {s["id"] for s in json.loads(meta[b"sources"])} == set(archive.sources)


def test_xlsx_has_the_same_rows(archive: Archive, tmp_path: Path) -> None:
    import openpyxl

    path, _, _ = write(archive, tmp_path / "a.xlsx")
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) - 1 == len(archive.figures)
    qn = [r for r in rows[1:] if r[:4] == ("PAR INDEX", 2023, "province", "Quảng Ninh")]
    assert qn[0][6] == 92.18 and qn[0][7] == 1


def test_the_dictionary_explains_every_column_in_both_languages() -> None:
    columns = dictionary()
    assert [c["name"] for c in columns] == list(COLUMNS)
    for c in columns:
        assert c["vi"] and c["en"] and c["vi"] != c["en"], c["name"]


def test_an_unknown_format_is_refused_and_nothing_is_written(
    archive: Archive, tmp_path: Path
) -> None:
    with pytest.raises(ValueError):
        write(archive, tmp_path / "a.ods")
    assert list(tmp_path.iterdir()) == []
