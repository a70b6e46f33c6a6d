"""Two to four provinces side by side in one index, year by year: the figures a comparison page
and its CSV show.

A province of the 63 brings its headline figure of each year as the archive holds it (where
sources disagree, every printed figure and no single value); a province of the 34 formed from
several has no published figure of its own and brings its re-based figure (the plain mean of its
parts, :func:`chiso.archive.province.rebased_series`), marked derived. Beside them, the mean of
each compared province's region where it was published (PAR INDEX's six regions): a figure the
publisher printed, not one chiso computes.
"""

from __future__ import annotations

from dataclasses import dataclass

from chiso.archive.model import HEADLINE, INDICES, Archive, Figure, disagree
from chiso.archive.province import province_names, rebased_series
from chiso.archive.year_by_year import series
from chiso.units.provinces import MERGED_34, PROVINCES_63
from chiso.units.regions import REGION_OF

MIN_PROVINCES, MAX_PROVINCES = 2, 4


@dataclass(frozen=True)
class Cell:
    value: float | None  # None: no figure, or sources disagree (``printed`` has them all)
    printed: tuple[tuple[float, str], ...]  # every source's value and its printed text
    rank: int | None
    derived: bool  # the value is chiso's (a re-based figure, a sum of published parts)
    rank_derived: bool  # the rank is chiso's
    disputed: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Line:
    name: str  # a province, or a region's published mean
    kind: str  # "province" or "region"
    cells: dict[int, Cell]


@dataclass(frozen=True)
class IndexComparison:
    index: str
    years: tuple[int, ...]
    provinces: tuple[Line, ...]
    regions: tuple[Line, ...]  # published means of the compared provinces' regions


def chosen(names: list[str]) -> list[str]:
    """The names asked for that have a page, each once, in the order given."""
    known = set(province_names())
    return list(dict.fromkeys(n for n in names if n in known))


def compare(archive: Archive, names: list[str]) -> list[IndexComparison]:
    """Each index's figures for ``names`` (2 to 4 names of :func:`chosen`)."""
    out = []
    for index in INDICES:
        lines = tuple(_province_line(archive, index, name) for name in names)
        regions = []
        for region in dict.fromkeys(REGION_OF[n] for n in names if n in REGION_OF):
            cells = _region_cells(archive, index, region)
            if cells:
                regions.append(Line(region, "region", cells))
        years = sorted({y for line in (*lines, *regions) for y in line.cells})
        out.append(IndexComparison(index, tuple(years), lines, tuple(regions)))
    return out


def _province_line(archive: Archive, index: str, name: str) -> Line:
    cells: dict[int, Cell] = {}
    parts = MERGED_34.get(name, ())
    former = name if name in PROVINCES_63 else (parts[0] if len(parts) == 1 else None)
    if former is not None:  # a province of the 63, or one of the 34 that is one of them renamed
        for e in series(archive, index, former):
            printed = tuple((f.value, f.text) for f in e.versions if f.value is not None)
            if not printed and e.rank is None:
                continue
            cells[e.year] = Cell(
                e.value,
                tuple(dict.fromkeys(printed)),
                e.rank,
                e.basis == "derived",
                e.rank is not None and e.rank_basis == "derived",
                e.disputed,
                e.sources,
            )
    elif len(parts) > 1:
        for r in rebased_series(archive, index, name):
            cells[r.year] = Cell(
                r.unit.value,
                (),
                r.unit.rank,
                True,
                True,
                False,
                tuple(archive.whole_sources(index, r.year)),
            )
    return Line(name, "province", cells)


def _region_cells(archive: Archive, index: str, region: str) -> dict[int, Cell]:
    by_year: dict[int, list[Figure]] = {}
    for f in archive.of(region, "region"):
        if f.index == index and f.node in ("mean", HEADLINE) and f.value is not None:
            by_year.setdefault(f.year, []).append(f)
    cells = {}
    for year, rows in sorted(by_year.items()):
        disputed = disagree(rows)
        printed = tuple(dict.fromkeys((float(f.value or 0.0), f.text) for f in rows))
        cells[year] = Cell(
            None if disputed else rows[0].value,
            printed,
            None,
            False,
            False,
            disputed,
            tuple(dict.fromkeys(f.source for f in rows)),
        )
    return cells
