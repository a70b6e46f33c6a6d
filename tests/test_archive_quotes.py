"""Each figure added for issue #22 against its source's printed text: the quotes file
(tests/fixtures/published/quotes/par_index_added.yaml) holds the text each source prints, and
every figure the archive carries from it must be there as printed, and no other."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from chiso.archive import Archive, load_archive

QUOTES = Path(__file__).parent / "fixtures" / "published" / "quotes" / "par_index_added.yaml"


@functools.cache
def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(QUOTES.read_text(encoding="utf-8"))
    return doc


def _cases() -> list[tuple[str, dict[str, Any]]]:
    return [(source, f) for source, entry in _doc()["sources"].items() for f in entry["figures"]]


@pytest.fixture(scope="module")
def archive() -> Archive:
    return load_archive()


@pytest.mark.parametrize(("source", "figure"), _cases())
def test_the_figure_is_in_the_archive_as_its_source_prints_it(
    archive: Archive, source: str, figure: dict[str, Any]
) -> None:
    quote = _doc()["sources"][source]["quote"]
    printed = figure["printed"]
    assert printed in quote, printed
    if figure["value"]:
        # the digits as printed, not re-typed (a Vietnamese source prints a decimal comma)
        digits = printed if figure["value"] in printed else printed.replace(",", ".")
        assert figure["value"] in digits
    held = [
        f
        for f in archive.of(figure["unit"], figure["unit_kind"])
        if (f.index, f.year, f.node, f.source)
        == (figure.get("index", "PAR INDEX"), figure["year"], figure["node"], source)
    ]
    assert len(held) == 1, (source, figure)
    [f] = held
    assert f.text == (figure["value"] or "") and f.rank == figure["rank"]


def test_every_row_of_these_sources_is_quoted(archive: Archive) -> None:
    """Nothing the archive carries from these sources escapes the check above."""
    quoted = {
        (s, f.get("index", "PAR INDEX"), f["year"], f["unit_kind"], f["unit"], f["node"])
        for s, entry in _doc()["sources"].items()
        for f in entry["figures"]
    }
    held = {
        (f.source, f.index, f.year, f.unit_kind, f.unit, f.node)
        for f in archive.figures
        if f.source in _doc()["sources"]
    }
    assert held == quoted


def test_the_2020_components_add_up_to_the_printed_index(archive: Archive) -> None:
    """The MOFCOM table prints the appraised points, the three survey and impact parts and the
    index; the parts add up to the index within the rounding of four printed parts."""
    for unit in ("Quảng Ninh", "Hải Phòng", "Thừa Thiên Huế", "Phú Thọ"):
        rows = {
            f.node: f.value
            for f in archive.of(unit)
            if (f.index, f.year, f.source) == ("PAR INDEX", 2020, "mofcom-par-2020")
        }
        parts = ("appraised", "sipas_points", "officials_survey", "socioeconomic_impact")
        assert sum(rows[p] or 0.0 for p in parts) == pytest.approx(rows["total"] or 0.0, abs=0.021)


def test_quang_ninh_2018_is_kept_as_both_sources_print_it(archive: Archive) -> None:
    """VietnamPlus prints 89,6; VIETJO (after ICTnews) 89,06: a disagreement, both kept."""
    key = ("PAR INDEX", 2018, "province", "Quảng Ninh", "total")
    assert key in archive.disputes
    assert {f.text for f in archive.disputes[key] if f.text} == {"89.6", "89.06"}


def test_the_2023_ministries_table_is_whole_and_its_mean_is_the_published_mean(
    archive: Archive,
) -> None:
    """Chinhphu.vn (17/04/2024): 17 ministries, 'Trung bình 84.38'; the total is the appraised
    points plus the survey points (within the rounding of two printed parts)."""
    table = archive.whole_table("PAR INDEX", 2023, "ministry")
    assert len(table) == 17
    assert round(sum(table.values()) / len(table), 2) == 84.38
    for unit in table:
        parts = {
            f.node: f.value
            for f in archive.of(unit, "ministry")
            if (f.year, f.source) == (2023, "chinhphu-par-2023-ministries")
        }
        assert (parts["appraised"] or 0) + (parts["survey"] or 0) == pytest.approx(
            parts["total"] or 0, abs=0.011
        )
