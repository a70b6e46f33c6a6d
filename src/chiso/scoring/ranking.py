"""Ranks and groups of results.

Ranks are standard competition ranks (1, 2, 2, 4) on values rounded to the framework's
published precision: what readers see equal is ranked equal. Groups are either the
framework's bands (PAR INDEX A/B/C/D, a province's tốt/khá/trung bình/yếu) or PAPI's quartile
groups of the ranked units, and a value is grouped as it is published too: rounded to the
framework's precision first, so an index of 89.996, printed 90,00, is in the band from 90.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from chiso.frameworks.model import QUARTILE_GROUPS, Band, Framework
from chiso.numbers import round_half_up_array
from chiso.vietnamese import sort_key

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def competition_ranks(values: FloatArray, eligible: BoolArray, precision: int) -> IntArray:
    """Rank ``values`` (higher is better) among ``eligible`` units; 0 for units not ranked."""
    ranks = np.zeros(values.shape, dtype=np.int64)
    if not eligible.any():
        return ranks
    rounded = round_half_up_array(values[eligible], precision)
    ascending = np.sort(rounded)
    # rank = 1 + number of eligible values strictly greater
    greater = len(ascending) - np.searchsorted(ascending, rounded, side="right")
    ranks[eligible] = greater + 1
    return ranks


def display_key(rank: int | None, unit: str) -> tuple[bool, int, object]:
    """The order every ranking is shown in: by rank, ties and unranked units by Vietnamese
    name, units without a rank (incomplete, not ranked) last. The one home of this rule: tables,
    annexes, comparisons and the portal all sort with it."""
    return (not rank, rank or 0, sort_key(unit))


def group_bands(framework: Framework) -> tuple[Band, ...]:
    """The groups the framework's results fall in, best first: its own bands, or PAPI's four
    quartile groups when it groups by quartile; none when it does not group. The one home of
    this rule: scoring, the summary's counts, the maps' colours and the unit report's group
    name all ask it."""
    groups = framework.groups
    if groups is None:
        return ()
    return groups.bands if groups.method == "bands" else QUARTILE_GROUPS


def group_name(framework: Framework, code: str | None, lang: str) -> str:
    """How a group is shown in ``lang``: the name the framework gives its band
    (:meth:`~chiso.frameworks.model.Named.name_in`), else its code; empty for a unit without a
    group. The one way to show a
    group: results documents keep the code (``group``), and every table, annex, report, map
    and page derives the name from it and the framework, in the language it is written in."""
    if not code:
        return ""
    for band in group_bands(framework):
        if band.code == code:
            return band.name_in(lang) or code
    return code


def groups_counted(
    framework: Framework, per_group: Mapping[str, int], lang: str
) -> list[tuple[str, int]]:
    """The number of units in each group, best group first, each named in ``lang``: a
    summary keeps counts by code (and JSON sorts them by code), so the order and the names come
    from the framework wherever the counts are shown."""
    return [
        (group_name(framework, b.code, lang), per_group.get(b.code, 0))
        for b in group_bands(framework)
    ]


def quartile_cuts(values: FloatArray) -> tuple[float, float, float]:
    """The 25th, 50th and 75th percentiles (linear interpolation, as Excel's QUARTILE.INC)."""
    p25, p50, p75 = np.percentile(values, [25, 50, 75])
    return float(p25), float(p50), float(p75)


def assign_groups(
    framework: Framework,
    values: FloatArray,
    graded: BoolArray,
    ranked: BoolArray,
) -> list[Band | None]:
    """The group of each unit (:func:`group_bands`), on ``values`` rounded to the framework's
    published precision: bands by value for every ``graded`` (complete) unit; quartiles
    computed over the ``ranked`` units and applied to every graded one."""
    out: list[Band | None] = [None] * len(values)
    groups, bands = framework.groups, group_bands(framework)
    if groups is None or not graded.any():
        return out
    rounded = round_half_up_array(values, framework.precision)
    which = np.full(len(values), -1, dtype=np.int64)
    if groups.method == "bands":
        # the first band that holds the value wins (Band.holds); bands are few, units many
        for k in reversed(range(len(bands))):
            band = bands[k]
            holds = graded.copy()
            if band.min is not None:
                holds &= rounded >= band.min
            if band.below is not None:
                holds &= rounded < band.below
            which[holds] = k
    else:
        if not ranked.any():
            return out
        p25, p50, p75 = quartile_cuts(rounded[ranked])
        which[graded] = np.select(
            [rounded >= p75, rounded >= p50, rounded >= p25], [0, 1, 2], default=3
        )[graded]
    return [bands[k] if k >= 0 else None for k in which.tolist()]


def ranks_within(ranks: Mapping[str, int | None], part_of: Mapping[str, str]) -> dict[str, int]:
    """Each ranked unit's rank among the ranked units of its part (a province's region):
    1 + the number of units of the same part with a better overall rank, so ties stay ties
    as in :func:`competition_ranks` (the overall ranks already compare values rounded to the
    published precision). Units without a part or a rank get none."""
    by_part: dict[str, list[int]] = {}
    for unit, rank in ranks.items():
        part = part_of.get(unit)
        if rank and part:
            by_part.setdefault(part, []).append(rank)
    out: dict[str, int] = {}
    for unit, rank in ranks.items():
        part = part_of.get(unit)
        if rank and part:
            out[unit] = 1 + sum(1 for other in by_part[part] if other < rank)
    return out
