"""Long-run facts of a province in one index, computed from the archive's figures: the years
it was ranked first, its longest run of consecutive years in the top group (PAR INDEX group A,
PAPI's highest quartile) and in the top five, the mean of its values, its highest and lowest
rank and its lowest value.

Facts are read off the published figures; a year whose sources disagree gives no value to the
mean (its rank still counts when the sources agree on it). A run is counted only over the years
where the province's standing is known, and a year where it is not known breaks the run and is
named as unknown: not known is not "in group A". A year's top group is known where it is
published, where chiso derived it from a whole published table (PAPI's quartiles), or where the
year's published rule gives it (``data/group_rules.yaml``): a value at or above the rule's
minimum (every source's value, when sources disagree), or a published rank within the published
number of provinces in the group.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from chiso.archive.model import Archive
from chiso.archive.year_by_year import YearEntry, series
from chiso.yamlfiles import load_yaml

TOP_GROUP: dict[str, str] = {"PAR INDEX": "A", "PAPI": "1"}
SCALE_FROM: dict[str, int] = {"PAPI": 2018}
"""The first year of an index's present scale: PAPI's total is out of 60 (six dimensions) until
2017 and out of 80 (eight) from 2018, so its mean is over the years from 2018 only."""
RULES_FILE = Path(__file__).parent / "data" / "group_rules.yaml"


@dataclass(frozen=True)
class GroupRule:
    """What a year's publisher printed about its top group: its minimum value, or how many
    provinces were in it (either may be None), with the source and the printed text."""

    index: str
    year: int
    group: str
    min: float | None
    count: int | None
    source: str
    quote: str


@dataclass(frozen=True)
class Facts:
    index: str
    years: tuple[int, ...]  # with any headline figure
    span: tuple[int, ...]  # every year of the index the archive knows of, first to last
    first: tuple[int, ...]  # ranked first
    rank_unknown: tuple[int, ...]  # years of the span without a known rank
    top_group_run: tuple[int, ...]  # longest run of consecutive years in the top group
    top_group_known: tuple[int, ...]  # the years whose top group is known (the run's basis)
    top_group_unknown: tuple[int, ...]  # years of the span whose group is not known
    top_five_run: tuple[int, ...]  # longest run of consecutive years ranked 1-5
    mean: float | None
    mean_years: tuple[int, ...]  # the years the mean is over (same scale, not disputed)
    best: YearEntry | None  # highest rank (then highest value, then latest year)
    worst: YearEntry | None  # lowest rank; None when no year ranks below the best
    lowest: YearEntry | None  # lowest value on the present scale; None with fewer than 2
    ranks_derived: bool = False  # some rank or group used was computed by chiso
    groups_derived: bool = False  # some year's group was derived from a published rule


@functools.cache
def group_rules() -> tuple[GroupRule, ...]:
    """The published top-group rules and counts (``data/group_rules.yaml``), one per year."""
    from chiso.problems import ProblemReport, Refusal

    report = ProblemReport()
    doc = load_yaml(RULES_FILE.read_bytes(), RULES_FILE.name, report)
    if report or not isinstance(doc, dict):
        raise Refusal(report)
    out: list[GroupRule] = []
    for r in doc.get("rules") or []:
        first, _, last = str(r["years"]).partition("-")
        for year in range(int(first), int(last or first) + 1):
            out.append(
                GroupRule(
                    r["index"],
                    year,
                    str(r["group"]),
                    float(r["min"]),
                    None,
                    r["source"],
                    r["quote"],
                )
            )
    for c in doc.get("counts") or []:
        out.append(
            GroupRule(
                c["index"],
                int(c["year"]),
                str(c["group"]),
                None,
                int(c["count"]),
                c["source"],
                c["quote"],
            )
        )
    return tuple(out)


def in_top_group(index: str, entry: YearEntry) -> tuple[bool | None, bool]:
    """(whether the entry is in the index's top group, None if not known; whether that was
    derived from a published rule rather than a group printed or computed from a whole table)."""
    top = TOP_GROUP.get(index)
    if top is None:
        return None, False
    if entry.group:
        return entry.group == top, False
    rules = [r for r in group_rules() if r.index == index and r.year == entry.year]
    values = [f.value for f in entry.versions if f.value is not None]
    if not values and entry.value is not None:
        values = [entry.value]
    for rule in rules:
        if rule.group == top and rule.min is not None and values:
            above = {round(v, 2) >= rule.min for v in values}
            if len(above) == 1:
                return above.pop(), True
    for rule in rules:
        if rule.group == top and rule.count is not None and entry.rank is not None:
            return entry.rank <= rule.count, True
    return None, False


def facts(archive: Archive, index: str, province: str) -> Facts:
    return facts_of(index, series(archive, index, province), index_years(archive, index))


def index_years(archive: Archive, index: str) -> tuple[int, ...]:
    """Every year from the index's first to its last in the archive (provinces)."""
    years = sorted(
        {f.year for f in archive.figures if f.index == index and f.unit_kind == "province"}
    )
    return tuple(range(years[0], years[-1] + 1)) if years else ()


def facts_of(index: str, entries: list[YearEntry], span: tuple[int, ...] = ()) -> Facts:
    span = span or (tuple(range(entries[0].year, entries[-1].year + 1)) if entries else ())
    valued = [e for e in entries if e.value is not None and e.year >= SCALE_FROM.get(index, 0)]
    ranked = [e for e in entries if e.rank is not None]
    mean = sum(e.value for e in valued if e.value is not None) / len(valued) if valued else None
    status = {e.year: in_top_group(index, e) for e in entries}
    known = tuple(y for y, (inside, _) in status.items() if inside is not None)
    by_rank = sorted(ranked, key=lambda e: (e.rank or 0, -(e.value or 0.0), -e.year))
    best = by_rank[0] if by_rank else None
    worst = max(ranked, key=lambda e: (e.rank or 0, -(e.value or 0.0), e.year)) if ranked else None
    if worst is not None and best is not None and worst.rank == best.rank:
        worst = None  # the province never ranked below its best: no "worst year" to name
    lowest = min(valued, key=lambda e: (e.value or 0.0, e.year)) if len(valued) > 1 else None
    return Facts(
        index=index,
        years=tuple(e.year for e in entries),
        span=span,
        first=tuple(e.year for e in ranked if e.rank == 1),
        rank_unknown=tuple(y for y in span if y not in {e.year for e in ranked}),
        top_group_run=longest_run([y for y, (inside, _) in status.items() if inside]),
        top_group_known=known if index in TOP_GROUP else (),
        top_group_unknown=tuple(y for y in span if y not in known) if index in TOP_GROUP else (),
        top_five_run=longest_run([e.year for e in ranked if e.rank is not None and e.rank <= 5]),
        mean=mean,
        mean_years=tuple(e.year for e in valued),
        best=best,
        worst=worst,
        lowest=lowest,
        ranks_derived=any(e.rank_basis == "derived" for e in ranked),
        groups_derived=any(derived for _, derived in status.values()),
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


def year_spans(years: tuple[int, ...]) -> str:
    """Years written as spans: (2012, 2013, 2014, 2016) → "2012–2014, 2016"."""
    out: list[str] = []
    run: list[int] = []
    for year in sorted(years):
        if run and year == run[-1] + 1:
            run.append(year)
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
        run = [year]
    if run:
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
    return ", ".join(out)
