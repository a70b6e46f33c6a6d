"""Long-run facts of a province in one index, computed from the archive's figures: the years
it was ranked first, its longest run of consecutive years in the top group (PAR INDEX group A,
PAPI's highest quartile) and in the top five, the mean of its values, its best and worst year.

Facts are read off the published figures; a year whose sources disagree gives no value to the
mean (its rank still counts when the sources agree on it), and a year the archive has no
figure for breaks a run: not known is not "in group A".
"""

from __future__ import annotations

from dataclasses import dataclass

from chiso.archive.model import Archive
from chiso.archive.year_by_year import YearEntry, series

TOP_GROUP: dict[str, str] = {"PAR INDEX": "A", "PAPI": "1"}
SCALE_FROM: dict[str, int] = {"PAPI": 2018}
"""The first year of an index's present scale: PAPI's total is out of 60 (six dimensions) until
2017 and out of 80 (eight) from 2018, so its mean is over the years from 2018 only."""


@dataclass(frozen=True)
class Facts:
    index: str
    years: tuple[int, ...]  # with any headline figure
    first: tuple[int, ...]  # ranked first
    top_group_run: tuple[int, ...]  # longest run of consecutive years in the top group
    top_five_run: tuple[int, ...]  # longest run of consecutive years ranked 1-5
    mean: float | None
    mean_years: tuple[int, ...]  # the years the mean is over (same scale, not disputed)
    best: YearEntry | None  # best rank (then highest value, then latest year)
    worst: YearEntry | None


def facts(archive: Archive, index: str, province: str) -> Facts:
    return facts_of(index, series(archive, index, province))


def facts_of(index: str, entries: list[YearEntry]) -> Facts:
    top = TOP_GROUP.get(index)
    valued = [e for e in entries if e.value is not None and e.year >= SCALE_FROM.get(index, 0)]
    ranked = [e for e in entries if e.rank is not None]
    mean = sum(e.value for e in valued if e.value is not None) / len(valued) if valued else None

    def order(e: YearEntry) -> tuple[int, float, int]:
        return (e.rank or 0, -(e.value or 0.0), -e.year)

    return Facts(
        index=index,
        years=tuple(e.year for e in entries),
        first=tuple(e.year for e in ranked if e.rank == 1),
        top_group_run=longest_run([e.year for e in entries if top and e.group == top]),
        top_five_run=longest_run([e.year for e in ranked if e.rank is not None and e.rank <= 5]),
        mean=mean,
        mean_years=tuple(e.year for e in valued),
        best=min(ranked, key=order) if ranked else None,
        worst=max(ranked, key=order) if ranked else None,
    )


def longest_run(years: list[int]) -> tuple[int, ...]:
    """The longest run of consecutive years (the latest of equally long runs)."""
    best: list[int] = []
    run: list[int] = []
    for year in sorted(set(years)):
        run = [*run, year] if run and year == run[-1] + 1 else [year]
        if len(run) >= len(best):
            best = run
    return tuple(best)
