"""One province across the three indices and across 1 July 2025.

A province of the 63 is shown as it was; a province of the 34 that was formed from several is
never given its parts' figures as its own: what the page shows for it is each former province
as it was, and the re-based figure (:func:`chiso.scoring.rebase.rebase_to_34`, the plain mean of
the parts, ranked again among the 34) marked as derived, with the sentence that says how it was
made. Re-based figures are made only from whole published tables (a mean of the parts needs
every part).
"""

from __future__ import annotations

from dataclasses import dataclass

from chiso.archive.facts import Facts, facts_of, index_years
from chiso.archive.model import INDICES, Archive
from chiso.archive.year_by_year import PRECISION, YearEntry, series
from chiso.scoring.rebase import RebasedUnit, rebase_to_34
from chiso.units.provinces import MERGED_34, PROVINCES_63, successor_of
from chiso.units.regions import REGION_OF


@dataclass(frozen=True)
class IndexSeries:
    index: str
    entries: tuple[YearEntry, ...]
    facts: Facts


@dataclass(frozen=True)
class RebasedYear:
    year: int
    unit: RebasedUnit  # the parts as published, the re-based value and its rank among the 34


@dataclass(frozen=True)
class ProvincePage:
    name: str
    former: bool  # one of the 63 (until 30 June 2025)
    region: str
    indices: tuple[IndexSeries, ...]  # empty for a province that exists only among the 34
    successor: str | None  # the province of the 34 it became part of (a former province)
    parts: tuple[str, ...]  # the former provinces a province of the 34 was formed from
    rebased: tuple[tuple[str, tuple[RebasedYear, ...]], ...]  # per index, for a province of 34


def province_names() -> list[str]:
    """Every name that has a page: the 63 and the 34 (a name in both has one page)."""
    return list(dict.fromkeys([*PROVINCES_63, *MERGED_34]))


def province_page(archive: Archive, name: str) -> ProvincePage:
    former = name in PROVINCES_63
    indices: list[IndexSeries] = []
    if former:
        for index in INDICES:
            entries = series(archive, index, name)
            span = index_years(archive, index)
            indices.append(IndexSeries(index, tuple(entries), facts_of(index, entries, span)))
    parts = MERGED_34.get(name, ())
    # a province of the 34 that is one former province unchanged has its own figures above
    rebased = tuple(
        (index, rebased_series(archive, index, name)) for index in INDICES if len(parts) > 1
    )
    return ProvincePage(
        name=name,
        former=former,
        region=REGION_OF.get(name, ""),
        indices=tuple(indices),
        successor=successor_of(name) if former else None,
        parts=parts,
        rebased=tuple((i, rows) for i, rows in rebased if rows),
    )


def rebased_series(archive: Archive, index: str, new_province: str) -> tuple[RebasedYear, ...]:
    """The re-based headline figure of a province of the 34 for every year whose whole table
    the archive holds."""
    out = []
    for year in archive.years(index):
        if not archive.whole(index, year):
            continue
        values: dict[str, float | None] = dict(archive.whole_table(index, year))
        rebased = rebase_to_34(values, PRECISION[index])
        unit = next(u for u in rebased.units if u.unit == new_province)
        out.append(RebasedYear(year, unit))
    return tuple(out)
