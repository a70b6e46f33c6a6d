"""A province's headline figure of an index, year by year, as the archive holds it.

Every source's row of a year is kept (``versions``); where they agree they make one entry
that names every source, and where they disagree the entry has no single value and says so,
so a page shows both figures and no fact is computed from either.

The rank within the province's region is derived here (competition ranks at the index's
precision, :func:`chiso.scoring.ranking.competition_ranks`) and only for years whose whole
table the archive holds: from a partial table it would be a rank among the few quoted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chiso.archive.model import HEADLINE, Archive, Figure, disagree
from chiso.scoring.ranking import competition_ranks
from chiso.units.regions import REGION_OF, REGIONS

PRECISION: dict[str, int] = {"PAR INDEX": 2, "SIPAS": 2, "PAPI": 4}
"""Decimals the publishers rank at (the frameworks' ``precision``)."""


@dataclass(frozen=True)
class YearEntry:
    year: int
    value: float | None  # None when no source gives one, or sources disagree
    rank: int | None
    group: str
    basis: str  # of the value
    rank_basis: str
    region_rank: int | None  # derived, whole tables only
    region_size: int
    sources: tuple[str, ...]
    disputed: bool
    versions: tuple[Figure, ...]


def series(archive: Archive, index: str, province: str) -> list[YearEntry]:
    """The province's headline figures of ``index``, oldest year first."""
    by_year: dict[int, list[Figure]] = {}
    for f in archive.of(province):
        if f.index == index and f.node == HEADLINE:
            by_year.setdefault(f.year, []).append(f)
    return [_entry(archive, index, province, year, rows) for year, rows in sorted(by_year.items())]


def _entry(archive: Archive, index: str, province: str, year: int, rows: list[Figure]) -> YearEntry:
    disputed = disagree(rows)
    values = [f for f in rows if f.value is not None]
    ranks = [f for f in rows if f.rank is not None]
    groups = [f.group for f in rows if f.group]
    region = REGION_OF.get(province)
    region_rank, size = None, 0
    if region is not None and archive.whole(index, year):
        region_rank = region_ranks(archive, index, year, region).get(province)
        size = len(REGIONS[region])
    return YearEntry(
        year=year,
        value=None if disputed or not values else values[0].value,
        rank=ranks[0].rank if ranks and len({f.rank for f in ranks}) == 1 else None,
        group=groups[0] if groups and len(set(groups)) == 1 else "",
        basis=values[0].basis if values else rows[0].basis,
        rank_basis=ranks[0].rank_basis if ranks else (rows[0].rank_basis if groups else ""),
        region_rank=region_rank,
        region_size=size,
        sources=tuple(dict.fromkeys(f.source for f in rows)),
        disputed=disputed,
        versions=tuple(rows),
    )


def region_ranks(archive: Archive, index: str, year: int, region: str) -> dict[str, int]:
    """Competition ranks of the region's provinces by their headline value (derived)."""
    members = set(REGIONS[region])
    values = {u: v for u, v in archive.whole_table(index, year).items() if u in members}
    names = list(values)
    array = np.array([values[n] for n in names], dtype=np.float64)
    ranks = competition_ranks(array, np.ones(len(names), dtype=np.bool_), PRECISION[index])
    return {n: int(r) for n, r in zip(names, ranks.tolist(), strict=True)}
