"""The monthly service index shown on the portal: from one month's stored indicator values
(numerator and denominator per data leaf) to the points and the index of the records-based
part of the framework, and the units' ranks.

The leaves computed from records come from their counts; the centrally assessed ones
(procedures published on time, feedback handled, satisfaction with it) come from other systems
as they do for the PAR INDEX: a points file in the score-input form (``unit, node, value``,
read by :func:`chiso.tables.reading.read_scores`), each value scored by its leaf's rule. The
index is Σ points ÷ Σ maximum of the leaves that apply × 100, where a leaf's points follow its
rule (:func:`chiso.scoring.rules.points_for`, the one interpreter of rules; ``proportional``:
max × rate ÷ 100) and a leaf with nothing to count (or given as NA) does not apply. A unit's
month is *complete* when every central leaf has a value; without them the index is the
records-based share only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from chiso.frameworks.model import Framework, Node
from chiso.records.compile import data_leaves


@dataclass(frozen=True)
class UnitMonth:
    unit: str
    points: float
    applicable_max: float
    rates: dict[str, float | None]
    complete: bool = False

    @property
    def index(self) -> float | None:
        if self.applicable_max == 0:
            return None
        return 100.0 * self.points / self.applicable_max


def central_leaves(framework: Framework) -> list[Node]:
    """The leaves assessed centrally (not computed from records), in outline order."""
    return [n for n in framework.leaves() if n.metric is None]


def unit_month(
    framework: Framework,
    unit: str,
    counts: Mapping[str, tuple[int, int]],
    central: Mapping[str, float | None] | None = None,
) -> UnitMonth:
    """``counts``: node → (numerator, denominator) of one unit in one month; ``central``:
    node → points of the centrally assessed leaves (already scored by their rules, as
    :func:`read_central` gives them; None: given as not applicable). A rate its leaf's rule
    cannot score (outside the rule's bands) leaves the leaf out, as not applicable."""
    from chiso.scoring.rules import RuleError, points_for

    points = 0.0
    applicable = 0.0
    rates: dict[str, float | None] = {}
    values: list[tuple[Node, float | None]] = []
    for leaf in data_leaves(framework):
        num, den = counts.get(leaf.code, (0, 0))
        values.append((leaf, None if den == 0 else 100.0 * num / den))
    given = central or {}
    complete = True
    for leaf in central_leaves(framework):
        if leaf.code not in given:
            complete = False
            continue
        got = given[leaf.code]
        rates[leaf.code] = got
        if got is not None and leaf.max is not None:
            points += got
            applicable += leaf.max
    for leaf, rate in values:
        rates[leaf.code] = rate
        if rate is None or leaf.max is None:
            continue
        try:
            points += points_for(leaf, rate)
        except RuleError:
            continue
        applicable += leaf.max
    return UnitMonth(unit, points, applicable, rates, complete)


def read_central(path: str | Path, framework: Framework) -> dict[str, dict[str, float | None]]:
    """A points file (CSV or XLSX, long ``unit, node, value`` or wide) of the centrally
    assessed leaves: unit → leaf → points (each value scored by its leaf's rule, as
    ``chiso score`` reads it; None where given as NA). A value for a leaf computed from
    records is refused (it would be counted twice)."""
    from chiso.problems import ProblemReport, Refusal
    from chiso.scoring.plan import compile_plan
    from chiso.tables.reading import read_scores

    plan = compile_plan(framework)
    parsed = read_scores(str(path), framework, plan)
    central = {leaf.code for leaf in central_leaves(framework)}
    report = ProblemReport()
    out: dict[str, dict[str, float | None]] = {}
    for u, unit in enumerate(parsed.units):
        row: dict[str, float | None] = {}
        for node in plan.nodes:
            if node.node is None or node.node.children:
                continue
            value = parsed.given[node.position, u]
            na = bool(parsed.na[node.position, u])
            if not na and value != value:  # NaN: not given
                continue
            if node.code not in central:
                report.add("service.not_central", str(path), None, node.code, node=node.code)
                continue
            row[node.code] = None if na else float(value)
        out[unit] = row
    if report:
        raise Refusal(report)
    return out


def ranked(framework: Framework, months: list[UnitMonth]) -> list[tuple[int | None, UnitMonth]]:
    """The units with their ranks (ties share a rank, at the framework's precision), best
    first, then the units without an index."""
    import numpy as np

    from chiso.scoring.ranking import competition_ranks, display_key

    values = np.array([m.index if m.index is not None else np.nan for m in months], dtype=float)
    eligible = ~np.isnan(values)
    ranks = competition_ranks(np.nan_to_num(values), eligible, framework.precision)
    out = [(int(r) if ok else None, m) for r, ok, m in zip(ranks, eligible, months, strict=True)]
    out.sort(key=lambda pair: display_key(pair[0], pair[1].unit))
    return out
