"""The score input ``chiso survey estimate --points-out`` makes of the estimates: points of
the framework's leaves, and of every inner node and the total that the instrument's items
determine, with standard errors that count the covariance of items answered by the same
people. Kept apart from the estimates table because it needs the framework and the scoring
engine, which a plain estimate does not."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from chiso.frameworks.model import TOTAL_CODE, Framework
from chiso.problems import ProblemReport, Refusal
from chiso.scoring.engine import aggregate
from chiso.scoring.plan import compile_plan
from chiso.surveys.estimate_table import (
    OVERALL,
    CombinedRow,
    EstimateRow,
    estimate_responses,
)
from chiso.surveys.instrument import Instrument
from chiso.surveys.responses import Responses


@dataclass(frozen=True)
class NodeCombinations:
    """The nodes a survey determines on its own, each as Σ_k c_k × share of item k.

    ``codes`` are inner nodes in official order, then :data:`TOTAL_CODE` when the whole
    framework comes from the items; ``coefficients[code, item]``. ``warnings`` name the nodes
    that the items determine but whose points are not a linear combination of the shares
    (a cap) or need a maximum that is not public: they get no combined row."""

    codes: list[str]
    coefficients: npt.NDArray[np.float64]
    warnings: list[str] = field(default_factory=list)


def node_combinations(
    instrument: Instrument, framework: Framework, items: list[str]
) -> NodeCombinations:
    """Every inner node whose leaves are all fed by one of ``items`` each, and the framework's
    total when all leaves are, as coefficients on the items' shares.

    A leaf's points are share × its maximum; the coefficients of the nodes above are read off
    the scoring engine itself, run on one unit per fed leaf with that leaf at 1 and the others
    at 0, so they follow exactly what ``chiso score`` computes (sum, mean, weighted_mean,
    share over all-applicable children). A capped node is left out, as ``min`` is not linear;
    so is a node whose combination needs a maximum that is not public (NaN here)."""
    plan = compile_plan(framework)
    feeding: dict[int, list[int]] = {}
    for k, item in enumerate(items):
        question = instrument.by_code.get(item)
        if question is not None and question.node in plan.positions:
            j = plan.positions[question.node]
            if j < plan.n_leaves:
                feeding.setdefault(j, []).append(k)
    fed = {j: ks[0] for j, ks in feeding.items() if len(ks) == 1}  # two items: no single share
    covered = np.zeros(plan.size, dtype=bool)
    capped = np.zeros(plan.size, dtype=bool)
    covered[list(fed)] = True
    for pn in plan.inner:  # children before parents
        covered[pn.position] = bool(covered[pn.children].all())
        capped[pn.position] = pn.cap or bool(capped[pn.children].any())
    leaves = sorted(fed)
    basis = np.full((plan.size, len(leaves)), np.nan)  # inner nodes: computed, not given
    basis[: plan.n_leaves] = 0.0
    basis[leaves, range(len(leaves))] = 1.0
    unit_values = aggregate(plan, basis, np.zeros(basis.shape, dtype=bool))
    item_of = np.asarray([fed[j] for j in leaves], dtype=np.intp)
    leaf_max = plan.maxima[leaves]
    inner = sorted(
        (pn for pn in plan.inner if covered[pn.position]),
        key=lambda pn: plan.preorder.get(pn.code, len(plan.preorder)),  # the total last
    )
    codes: list[str] = []
    rows: list[npt.NDArray[np.float64]] = []
    not_linear: list[str] = []
    max_unknown: list[str] = []
    for pn in inner:
        code = pn.code if pn.node is not None else TOTAL_CODE
        # points per unit of the leaf's points (NaN: a maximum the node needs and lacks)
        per_leaf = unit_values.value_row(pn.position)
        part = per_leaf != 0  # NaN too
        coefficients = np.zeros(len(items))
        coefficients[item_of[part]] = per_leaf[part] * leaf_max[part]
        if capped[pn.position]:
            not_linear.append(code)
        elif not np.isfinite(coefficients).all():
            max_unknown.append(code)
        else:
            codes.append(code)
            rows.append(coefficients)
    warnings = []
    if not_linear:
        warnings.append("survey.combined_not_linear:" + ", ".join(not_linear))
    if max_unknown:
        warnings.append("survey.combined_max_unknown:" + ", ".join(max_unknown))
    matrix = np.vstack(rows) if rows else np.zeros((0, len(items)))
    return NodeCombinations(codes, matrix, warnings)


def points_rows(
    rows: list[EstimateRow],
    instrument: Instrument,
    framework: Framework,
    combined: list[CombinedRow] | None = None,
) -> list[list[object]]:
    """Score input (long form: unit, node, value, se) from the estimates of an instrument's
    items: each leaf gets the value its rule expects for the share — share × its maximum for
    points (a SIPAS criterion: its % satisfied), share × ``full`` for a proportional rule —
    with the standard error on the same scale; then, per unit, the ``combined`` rows (inner
    nodes and, under the reserved code :data:`~chiso.frameworks.model.TOTAL_CODE`, the total),
    in points, whose standard errors count the covariance of their items. ``chiso score``
    checks that a node's value and its parts agree, and carries the standard errors to its
    JSON output."""
    by_domain = any(x.domain != OVERALL for x in rows)
    nodes = {n.code: n for n in framework.walk()}
    source = instrument.path or instrument.code
    out: list[list[object]] = []
    for r in rows:
        if r.domain == OVERALL and by_domain:
            continue
        question = instrument.by_code.get(r.item)
        if question is None or question.node is None:
            continue
        node = nodes[question.node]
        report = ProblemReport()
        if node.max is None:
            # a node whose maximum is not public: its points cannot be computed, only guessed
            report.add("survey.node_max_unknown", source, node=question.node)
        elif node.rule.kind not in ("points", "proportional"):
            # bands or choices: a share has no value of theirs to stand for
            report.add("survey.rule_not_share", source, node=question.node, kind=node.rule.kind)
        if report:
            raise Refusal(report)
        scale = node.rule.full if node.rule.kind == "proportional" else float(node.max or 0)
        out.append([r.domain, question.node, r.estimate * scale, r.se * scale])
    for c in combined or []:
        if (c.domain == OVERALL and by_domain) or math.isnan(c.estimate):
            continue  # a node with an item nobody answered in the domain has no value
        out.append([c.domain, c.node, c.estimate, None if math.isnan(c.se) else c.se])
    first: dict[object, int] = {}
    for i, row in enumerate(out):
        first.setdefault(row[0], i)
    # each unit's rows together, leaves first (a stable sort keeps the order within a unit)
    out.sort(key=lambda row: first[row[0]])
    return out


def points_from_responses(
    responses: Responses,
    instrument: Instrument,
    framework: Framework,
    weight: str,
    strata: str | None,
    psu: str | None,
    by: str,
    lonely_psu: str = "fail",
) -> list[list[object]]:
    """``chiso survey estimate --points-out`` in one call (no calibration): the score input
    rows (unit, node, value, se) of every unit of ``by``, leaves, inner nodes and the total."""
    combinations = node_combinations(instrument, framework, responses.items)
    estimates = estimate_responses(
        responses, weight, strata, psu, None, by, lonely_psu, instrument, None, combinations
    )
    return points_rows(estimates.rows, instrument, framework, estimates.combined)
