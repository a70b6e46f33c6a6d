"""Targets and the plan that reaches them with the least effort.

A target is an index (PAR INDEX "đạt 92,55 điểm"), a rank, a number of places up ("tăng tối
thiểu 1–2 bậc") or a group. An index or a group of fixed bands depends on the unit alone; a rank
or a quartile group depends on the others too, and they move: each other unit's next value is
drawn as its value now, plus one of its own year-on-year changes (drawn from those in the
``history`` files, when given), plus a normal error with its standard error (where the results
carry one). Over the draws, the total the unit needs for the target is a distribution: the plan
reports the total needed if the others stay where they are expected (now plus their mean change),
the probability of reaching the target at that total, and the totals needed for 80 % and 95 %.

The plan itself: which leaves to raise, and how far, for the least effort
(:mod:`chiso.analysis.least_effort` says how and why it is optimal). A leaf's weight in the
total is measured with the real scoring engine (every movable leaf raised to its maximum in one
scoring of one column per leaf), and the plan is checked by scoring the unit again with every
action applied: that total is ``reached_total``. Only leaves the unit itself moves are used
(self-assessed or appraised), unless ``all_sources``: survey and central points are not its to
change by a plan of work.

A capped node (``cap: true``) makes the total concave in its leaves: the weights measured with
every leaf at its maximum are then averages, and a plan built on them can fall short; it is
planned again for the shortfall until the re-scored total reaches the target. Such a plan
reaches its target but is not proven least (``optimal`` is false; no built-in framework caps).

Totals are compared unrounded: a plan never counts on the rounding to the framework's published
precision (which ranks and groups by the printed value), so it may ask for up to half a unit of
the last published digit more than the least a reader would see as reaching the target.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from chiso.analysis.least_effort import EPS, Item, least_effort
from chiso.analysis.loaded import Loaded
from chiso.frameworks.model import Node
from chiso.problems import ProblemReport, Refusal
from chiso.scoring.document import ResultsDocument
from chiso.scoring.ranking import group_bands
from chiso.scoring.results import score
from chiso.tables.results_reading import read_document
from chiso.vietnamese import nfc

FloatArray = npt.NDArray[np.float64]
UNIT_SOURCES = ("self_assessed", "appraised")
REPAIRS = 20  # re-plans for the shortfall a capped node leaves (see make_plan)
LEVELS = (0.8, 0.95)


@dataclass(frozen=True)
class Target:
    kind: str  # "index" | "rank" | "up" | "group"
    value: float | str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value}


@dataclass(frozen=True)
class Action:
    """Raise leaf ``node`` from ``start`` to ``end`` points; ``gain`` is what the total gains,
    ``effort`` what it costs; ``input`` the value to write in a score-input file for ``end``
    under the leaf's rule (the measure, the option, yes), so that ``chiso score`` can check it."""

    node: str
    start: float
    end: float
    gain: float
    effort: float
    input: str | float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "from": self.start,
            "to": self.end,
            "gain": self.gain,
            "effort": self.effort,
            "input": self.input,
        }


def input_for(node: Node, points: float) -> str | float | None:
    """The value a score-input file gives ``node`` for ``points`` under its rule (the least
    measure that scores them, for bands and proportional leaves)."""
    rule = node.rule
    top = float(node.max or 0.0)
    if rule.kind == "points":
        return points
    if rule.kind == "yes_no":
        return "có" if points >= top - EPS else "không"
    if rule.kind == "choice":
        return next((o.value for o in rule.options if abs(o.points - points) <= EPS), None)
    if rule.kind == "bands":
        band = next((b for b in rule.bands if abs(float(b.points or 0.0) - points) <= EPS), None)
        return None if band is None else band.min
    if rule.kind == "proportional":
        return points / top * rule.full if top else None
    if rule.kind == "deduction" and rule.per_item > 0:
        return round((top - points) / rule.per_item)
    return None


@dataclass(frozen=True)
class PlanResult:
    unit: str
    target: Target
    current_total: float
    needed_total: float
    reached_total: float
    probability: float | None
    needed_for: dict[str, float]
    probability_at_reached: float | None
    actions: list[Action]
    effort: float
    optimal: bool
    lower_bound: float
    total_max: float
    current_index: float
    reached_index: float
    current_rank: int | None
    draws: int | None
    seed: int | None
    others_fixed: bool = False  # the target depends on other units, and no history moved them

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "target": self.target.as_dict(),
            "current_total": self.current_total,
            "needed_total": self.needed_total,
            "reached_total": self.reached_total,
            "probability": self.probability,
            "probability_at_reached": self.probability_at_reached,
            "needed_for": self.needed_for,
            "actions": [a.as_dict() for a in self.actions],
            "effort": self.effort,
            "optimal": self.optimal,
            "lower_bound": self.lower_bound,
            "total_max": self.total_max,
            "current_index": self.current_index,
            "reached_index": self.reached_index,
            "current_rank": self.current_rank,
            "draws": self.draws,
            "seed": self.seed,
            "others_assumed_fixed": self.others_fixed,
        }


def _plain(x: float) -> str:
    """A total in a message, as the other messages print numbers (``12.5``, ``98``)."""
    return f"{round(x, 4):g}"


def _fail(rule: str, file: str, **params: Any) -> Refusal:
    report = ProblemReport()
    report.add(rule, file, **params)
    return Refusal(report)


def _source(node: Node, framework_nodes: dict[str, Node], above: list[str]) -> str | None:
    if node.source:
        return node.source
    for code in above:
        parent = framework_nodes.get(code)
        if parent is not None and parent.source:
            return parent.source
    return None


def leaf_steps(node: Node, now: float) -> tuple[float, ...] | None:
    """The rises a leaf's rule allows from ``now`` (sorted, 0 first), None for any rise up to
    its maximum (points, proportional)."""
    top = float(node.max or 0.0)
    rule = node.rule
    if rule.kind in ("points", "proportional"):
        return None
    if rule.kind == "yes_no":
        levels = [top]
    elif rule.kind == "choice":
        levels = [o.points for o in rule.options]
    elif rule.kind == "bands":
        levels = [float(b.points or 0.0) for b in rule.bands]
    elif rule.kind == "deduction" and rule.per_item > 0:
        count = math.ceil(top / rule.per_item)
        levels = [max(0.0, top - k * rule.per_item) for k in range(count + 1)]
    else:
        levels = [top]
    rises = sorted({round(x - now, 12) for x in levels if now + EPS < x <= top + EPS})
    return (0.0, *rises)


def movable_items(
    loaded: Loaded, u: int, efforts: dict[str, float], all_sources: bool
) -> tuple[list[Item], list[int]]:
    """The leaves of unit ``u`` a plan may raise, with their weight in the total measured by the
    scoring engine, and their plan positions."""
    results = loaded.results
    plan = results.plan
    nodes = {n.code: n for n in results.framework.walk()}
    given, na = loaded.given, loaded.na
    frozen_inner = {
        pn.position
        for pn in plan.inner
        if pn.node is not None and not np.isnan(given[pn.position, u])
    }
    candidates: list[tuple[int, Node, float, tuple[float, ...] | None]] = []
    for j in range(plan.n_leaves):
        pn = plan.nodes[j]
        node = pn.node
        assert node is not None
        now = given[j, u]
        if na[j, u] or np.isnan(now) or node.max is None:
            continue
        if any(plan.positions.get(c) in frozen_inner for c in plan.above(pn.code)):
            continue  # an inner value given directly stands for this leaf
        if not all_sources and _source(node, nodes, plan.above(pn.code)) not in UNIT_SOURCES:
            continue
        top = float(node.max) - float(now)
        if top <= EPS:
            continue
        candidates.append((j, node, top, leaf_steps(node, float(now))))
    if not candidates:
        return [], []
    # one scoring: column 0 the unit as it is, column k its leaf k at its maximum
    columns = np.repeat(given[:, u : u + 1], len(candidates) + 1, axis=1)
    na_cols = np.repeat(na[:, u : u + 1], len(candidates) + 1, axis=1)
    for k, (j, node, _, _) in enumerate(candidates, start=1):
        columns[j, k] = float(node.max or 0.0)
    names = [str(k) for k in range(len(candidates) + 1)]
    again = score(results.framework, names, columns, na_cols, plan=plan)
    base = again.total[0]
    items: list[Item] = []
    positions: list[int] = []
    for k, (j, node, top, steps) in enumerate(candidates, start=1):
        gain = (again.total[k] - base) / top
        items.append(Item(len(items), float(gain), efforts.get(node.code, 1.0), top, steps))
        positions.append(j)
    return items, positions


@dataclass(frozen=True)
class Others:
    """The other ranked units' values next time, [draws, units], on the value ranked on, and
    their expected values (now plus their mean change)."""

    draws: FloatArray
    expected: FloatArray


def others_moving(
    loaded: Loaded,
    u: int,
    history: Sequence[str | ResultsDocument],
    draws: int,
    rng: np.random.Generator,
    on: str,
) -> Others:
    """See the module's docstring: value now + one of its own past changes + N(0, se), on the
    ``on`` value ("index" or "total"): the one ranked on, or grouped on."""
    results = loaded.results
    others = [k for k in np.flatnonzero(results.rank > 0) if k != u]
    values = results.index if on == "index" else results.total
    now = values[others]
    se_all = results.index_se if on == "index" else results.total_se
    se = np.nan_to_num(se_all[others], nan=0.0)
    series: list[dict[str, float]] = []
    for earlier in history:  # a results file, or a document already read (a snapshot)
        doc = earlier if isinstance(earlier, ResultsDocument) else read_document(earlier)
        then: dict[str, float] = {}
        for row in doc.units:
            v = row.value("index" if on == "index" else "total")
            if v is not None:
                then[nfc(row.unit)] = v
        series.append(then)
    series.append({results.units[k]: float(values[k]) for k in others})
    n = len(others)
    drift = np.zeros((draws, n))
    mean_drift = np.zeros(n)
    for i, k in enumerate(others):
        name = results.units[k]
        changes = [
            b[name] - a[name] for a, b in itertools.pairwise(series) if name in a and name in b
        ]
        if changes:
            drift[:, i] = rng.choice(np.asarray(changes), size=draws)
            mean_drift[i] = float(np.mean(changes))
    noise = se[None, :] * rng.standard_normal((draws, n))
    return Others(now[None, :] + drift + noise, now + mean_drift)


def _rank_threshold(values: FloatArray, rank: int) -> FloatArray:
    """Per row of ``values`` (others' values), the least value that ranks ``rank`` or better:
    at most rank − 1 others strictly ahead, so at least the rank-th largest of them."""
    n = values.shape[-1]
    if rank > n:
        return np.full(values.shape[:-1], -math.inf)
    part: FloatArray = -np.partition(-values, rank - 1, axis=-1)[..., rank - 1]
    return part


def _quartile_threshold(values: FloatArray, group: int, top: float) -> FloatArray:
    """Per row of ``values`` (others' values), the least value of this unit that puts it in
    quartile group ``group`` (0 the highest) among all ranked units with it, by bisection (the
    cut moves with the unit's own value, monotonically)."""
    q = (75, 50, 25)[group] if group < 3 else None
    rows = values.shape[0]
    if q is None:
        return np.full(rows, -math.inf)
    lo = np.full(rows, min(0.0, float(values.min()) - 1.0))
    hi = np.full(rows, top)
    for _ in range(50):
        mid = (lo + hi) / 2
        cut = np.percentile(np.concatenate([values, mid[:, None]], axis=1), q, axis=1)
        ok = mid >= cut
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid)
    return hi


def _apply(
    loaded: Loaded, u: int, items: list[Item], positions: list[int], rises: dict[int, float]
) -> tuple[list[Action], float]:
    """The actions of ``rises`` (item key → rise), in official order, and the unit's total
    scored again by the engine with all of them applied."""
    results = loaded.results
    plan = results.plan
    column = loaded.given[:, u : u + 1].copy()
    actions: list[Action] = []
    for key, rise in sorted(
        rises.items(), key=lambda kv: plan.preorder[plan.nodes[positions[kv[0]]].code]
    ):
        j = positions[key]
        item = items[key]
        start = float(column[j, 0])
        end = min(start + rise, float(plan.maxima[j]))
        column[j, 0] = end
        node = plan.nodes[j].node
        assert node is not None
        gain, effort = item.gain * rise, item.effort * rise
        actions.append(Action(node.code, start, end, gain, effort, input_for(node, end)))
    units = [results.units[u]]
    again = score(results.framework, units, column, loaded.na[:, u : u + 1].copy(), plan=plan)
    return actions, float(again.total[0])


def make_plan(
    loaded: Loaded,
    unit: str,
    target: Target,
    efforts: dict[str, float] | None = None,
    history: Sequence[str | ResultsDocument] | None = None,
    draws: int = 10_000,
    seed: int | None = None,
    all_sources: bool = False,
    probability: float | None = None,
) -> PlanResult:
    """The plan for ``unit`` to reach ``target``; with ``probability`` (0–1), plan for the
    total that reaches a rank or quartile target with that probability rather than the total
    needed if the others stay where they are expected."""
    results = loaded.results
    fw = results.framework
    u = loaded.unit_index(unit)
    name = results.units[u]
    current = float(results.total[u])
    total_max = float(results.total_max[u])
    if math.isnan(current) or not total_max > 0:
        raise _fail("plan.incomplete", loaded.file, unit=name)
    scale = total_max / 100.0 if fw.rank_by == "index" else 1.0
    rank_now = int(results.rank[u]) or None
    threshold_draws: FloatArray | None = None
    rng = np.random.default_rng(seed)
    if target.kind == "index":
        needed = float(target.value) * total_max / 100.0
    elif target.kind == "group":
        bands = group_bands(fw)
        codes = [b.code for b in bands]
        if str(target.value) not in codes:
            raise _fail(
                "plan.unknown_group", loaded.file, group=target.value, groups=", ".join(codes)
            )
        k = codes.index(str(target.value))
        on = fw.groups.on if fw.groups else fw.rank_by
        on_scale = total_max / 100.0 if on == "index" else 1.0
        assert fw.groups is not None
        if fw.groups.method == "bands":
            needed = float(bands[k].min or 0.0) * on_scale
        else:
            # quartiles are taken on the value grouped on, and so are the others' draws
            others = others_moving(loaded, u, history or [], draws, rng, on)
            top = total_max / on_scale
            threshold_draws = _quartile_threshold(others.draws, k, top) * on_scale
            expected = _quartile_threshold(others.expected[None, :], k, top)
            needed = float(expected[0]) * on_scale
    else:
        if rank_now is None:
            raise _fail("plan.not_ranked", loaded.file, unit=name)
        wanted = int(target.value) if target.kind == "rank" else rank_now - int(target.value)
        if wanted < 1:
            raise _fail("plan.rank_too_high", loaded.file, rank=wanted)
        others = others_moving(loaded, u, history or [], draws, rng, fw.rank_by)
        # a rank below every other unit's needs no points: the least total, 0
        threshold_draws = np.maximum(_rank_threshold(others.draws, wanted) * scale, 0.0)
        needed = max(float(_rank_threshold(others.expected[None, :], wanted)[0]) * scale, 0.0)
    p_at_needed: float | None = None
    needed_for: dict[str, float] = {}
    if threshold_draws is not None:
        p_at_needed = float((threshold_draws <= needed + EPS).mean())
        for level in LEVELS:
            needed_for[f"{level:g}"] = float(np.quantile(threshold_draws, level))
        if probability is not None:
            needed = float(np.quantile(threshold_draws, probability))
    plan_for = max(needed, current)
    if plan_for > total_max + EPS:
        raise _fail("plan.unreachable", loaded.file, needed=_plain(plan_for), max=_plain(total_max))
    items, positions = movable_items(loaded, u, efforts or {}, all_sources)
    aim = plan_for - current
    for _ in range(REPAIRS):
        solution = least_effort(items, aim)
        if solution is None:
            best = current + sum(it.gain * it.top for it in items)
            raise _fail(
                "plan.unreachable_leaves", loaded.file, needed=_plain(plan_for), best=_plain(best)
            )
        actions, reached = _apply(loaded, u, items, positions, solution.rises)
        if reached >= plan_for - EPS:
            break
        # a capped node gave less than the leaves' measured weights promised: ask for the
        # shortfall again (the plan then still reaches the target, but is not proven least)
        aim += plan_for - reached
    else:
        raise _fail(
            "plan.unreachable_leaves", loaded.file, needed=_plain(plan_for), best=_plain(reached)
        )
    linear = abs(reached - (current + solution.gain)) <= 1e-6
    p_reached = None
    if threshold_draws is not None:
        p_reached = float((threshold_draws <= reached + EPS).mean())
    return PlanResult(
        unit=name,
        target=target,
        current_total=current,
        needed_total=needed,
        reached_total=reached,
        probability=p_at_needed if probability is None else p_reached,
        needed_for=needed_for,
        probability_at_reached=p_reached,
        actions=actions,
        effort=solution.effort,
        optimal=solution.optimal and linear,
        lower_bound=solution.lower_bound if linear else 0.0,
        total_max=total_max,
        current_index=current / total_max * 100.0,
        reached_index=reached / total_max * 100.0,
        current_rank=rank_now,
        draws=draws if threshold_draws is not None else None,
        seed=seed,
        others_fixed=threshold_draws is not None and not history,
    )
