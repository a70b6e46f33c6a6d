"""A province's series year by year is computed once per loaded archive (its region's ranks of
every year were most of a comparison's cost, and a comparison of 2 to 4 provinces in any
order read each province's again): the kept series is the one computed, each caller gets its
own list, and another archive (a new load) computes its own."""

from __future__ import annotations

import dataclasses

import pytest

from chiso.archive import Archive, load_archive
from chiso.archive.model import HEADLINE, INDICES
from chiso.archive.province import province_names
from chiso.archive.year_by_year import _series, series
from chiso.units.provinces import PROVINCES_63


@pytest.fixture(scope="module")
def archive() -> Archive:
    return load_archive()


def test_the_kept_series_is_the_series_computed_for_every_province_and_index(
    archive: Archive,
) -> None:
    names = [n for n in province_names() if n in PROVINCES_63]
    for index in INDICES:
        for name in names:
            first = series(archive, index, name)
            assert first == series(archive, index, name) == _series(archive, index, name)
    assert any(series(archive, index, "Quảng Ninh") for index in INDICES)


def test_each_caller_gets_its_own_list(archive: Archive) -> None:
    mine = series(archive, "PAR INDEX", "Đà Nẵng")
    mine.clear()
    assert series(archive, "PAR INDEX", "Đà Nẵng")


def test_another_archive_computes_its_own_series(archive: Archive) -> None:
    before = series(archive, "PAR INDEX", "Hà Nội")
    latest = max(before, key=lambda e: e.year)
    # the same archive but Hà Nội's latest headline value changed: a newly loaded archive
    changed = dataclasses.replace(
        archive,
        figures=tuple(
            dataclasses.replace(f, value=1.0, text="1.00")
            if (f.index, f.unit, f.node, f.year) == ("PAR INDEX", "Hà Nội", HEADLINE, latest.year)
            else f
            for f in archive.figures
        ),
    )
    after = series(changed, "PAR INDEX", "Hà Nội")
    assert after[-1].value == 1.0 and after[:-1] == before[:-1]
    assert series(archive, "PAR INDEX", "Hà Nội") == before  # the first archive keeps its own
