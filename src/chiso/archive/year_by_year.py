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
from chiso.frameworks.model import Framework
from chiso.scoring.ranking import competition_ranks, group_name, ranks_within
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
    """The province's headline figures of ``index``, oldest year first: computed once per
    archive (:attr:`Archive.memo`; the region's ranks of every year were most of a
    comparison's cost), a new list each time."""
    key = ("year_by_year.series", index, province)
    kept = archive.memo.get(key)
    if kept is None:
        kept = archive.memo[key] = tuple(_series(archive, index, province))
    return list(kept)


def _series(archive: Archive, index: str, province: str) -> list[YearEntry]:
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
    """Ranks of the region's provinces (derived): the whole table's competition ranks by
    headline value at the index's precision, then each province's rank among its region's
    by :func:`chiso.scoring.ranking.ranks_within`, the rule the portal uses too."""
    table = archive.whole_table(index, year)
    names = list(table)
    array = np.array([table[n] for n in names], dtype=np.float64)
    ranks = competition_ranks(array, np.ones(len(names), dtype=np.bool_), PRECISION[index])
    overall = {n: int(r) for n, r in zip(names, ranks.tolist(), strict=True)}
    return {u: r for u, r in ranks_within(overall, REGION_OF).items() if REGION_OF.get(u) == region}


def framework_of_year(index: str, year: int) -> Framework | None:
    """The built-in framework that ranked and grouped ``index`` in ``year``: PAPI's edition
    of that year (:data:`~chiso.archive.loading.PAPI_EDITIONS`), else the one provincial
    framework of the index whose years cover it; None where none is known (the archive then
    shows a group as published)."""
    from chiso.archive.loading import PAPI_EDITIONS
    from chiso.frameworks.registry import builtin_frameworks  # read once (cached)

    if index == "PAPI":
        edition = PAPI_EDITIONS.get(year)
        return next((f for f in builtin_frameworks() if f.code == edition), None)
    covering = [
        f
        for f in builtin_frameworks()
        if f.index == index
        and "province" in f.subjects
        and f.year_from <= year
        and (f.year_to is None or year <= f.year_to)
    ]
    return covering[0] if len(covering) == 1 else None


def group_label(index: str, year: int, code: str, lang: str) -> str:
    """A group as the archive shows it: its framework's name in ``lang`` where the year's
    framework is known (:func:`chiso.scoring.ranking.group_name`), else as published."""
    fw = framework_of_year(index, year) if code else None
    return group_name(fw, code, lang) if fw is not None else code


def node_label(index: str, year: int, node: str, lang: str) -> str:
    """What a figure other than a headline or a mean is, named as its year's framework names
    it in ``lang`` (a PAPI dimension: "Quản trị điện tử"), so that two sources' disagreement on
    a part is shown with the part it is about; "" for a headline, a mean or an unknown node
    (an internal code is never shown)."""
    if node in (HEADLINE, "mean"):
        return ""
    fw = framework_of_year(index, year)
    if fw is None or node not in fw.codes:
        return ""
    return fw.node(node).name_in(lang)
