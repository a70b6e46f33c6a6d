"""The table of estimates ``chiso survey estimate`` writes: one row per domain and item, and
per domain and node combination when asked, from a responses table and a design. The score
input ``--points-out`` makes of it is :mod:`chiso.surveys.score_points`'s."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from chiso.problems import ProblemReport, Refusal
from chiso.surveys.design import Contrasts, DesignError, Estimates, SurveyDesign
from chiso.vietnamese import sort_key

if TYPE_CHECKING:
    from chiso.surveys.instrument import Instrument
    from chiso.surveys.responses import Responses
    from chiso.surveys.score_points import NodeCombinations

Calibration = tuple[str, list[tuple[str, dict[str, float]]]] | None
"""("post" or "rake", [(column, population count per category), ...])"""

MIN_N = 30
MAX_CV = 0.30
OVERALL = "all"


@dataclass(frozen=True)
class Reliability:
    """When an estimate is too thin to publish: fewer than ``min_n`` respondents, or a
    coefficient of variation (SE ÷ estimate, R's ``survey::cv``) above ``max_cv``. The default
    is the NCHS-style rule statistical offices use (n < 30 or CV > 30 %); a commune's SIPAS
    share from a dozen households fails it however satisfied they were."""

    min_n: int = MIN_N
    max_cv: float = MAX_CV

    def reasons(self, row: EstimateRow) -> list[str]:
        """Why ``row`` is too thin (``"n"``, ``"cv"``), empty when it may be published. A CV
        that is not a number (an estimate of 0) counts as above the threshold."""
        out = []
        if row.n < self.min_n:
            out.append("n")
        if not (row.cv <= self.max_cv):
            out.append("cv")
        return out


@dataclass(frozen=True)
class EstimateRow:
    domain: str
    item: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    ci_low_logit: float | None
    ci_high_logit: float | None
    n: int
    deff: float
    df: int
    cv: float

    @property
    def unreliable(self) -> bool:
        """Too thin to publish under the default :class:`Reliability` (n < 30 or CV > 30 %)."""
        return bool(Reliability().reasons(self))


@dataclass(frozen=True)
class CombinedRow:
    """A linear combination of the items' shares in one domain: a node's points (or the
    total's), with its linearised standard error, degrees of freedom and Wald interval."""

    domain: str
    node: str
    estimate: float
    se: float
    df: int
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class SurveyEstimates:
    """What ``chiso survey estimate`` computed: per domain and item, per domain and node
    combination (when asked), and warnings to show."""

    rows: list[EstimateRow]
    warnings: list[str]
    combined: list[CombinedRow] = field(default_factory=list)


def _rows(estimates: Estimates, labels: list[str], items: list[str]) -> list[EstimateRow]:
    # whole arrays to Python numbers at once: indexing them cell by cell made a NumPy scalar
    # of every number of a national survey's table (tens of thousands)
    est, se = estimates.estimate.tolist(), estimates.se.tolist()
    ci_low, ci_high = estimates.ci_low.tolist(), estimates.ci_high.tolist()
    logit_low, logit_high = estimates.logit_low.tolist(), estimates.logit_high.tolist()
    n, deff, df = estimates.n.tolist(), estimates.deff.tolist(), estimates.df.tolist()
    out = []
    for d, label in enumerate(labels):
        for k, item in enumerate(items):
            e, s, low, high = est[d][k], se[d][k], logit_low[d][k], logit_high[d][k]
            out.append(
                EstimateRow(
                    domain=label,
                    item=item,
                    estimate=e,
                    se=s,
                    ci_low=ci_low[d][k],
                    ci_high=ci_high[d][k],
                    ci_low_logit=None if math.isnan(low) else low,
                    ci_high_logit=None if math.isnan(high) else high,
                    n=int(n[d][k]),
                    deff=deff[d][k],
                    df=int(df[d][k]),
                    cv=s / e if e else math.inf,
                )
            )
    return out


def _item_values(
    responses: Responses, item: str, instrument: Instrument | None
) -> npt.NDArray[np.float64]:
    """An item's values: 0/1 satisfied for an instrument's scaled questions, else numbers."""
    if instrument is not None and item in instrument.by_code:
        scale = instrument.question(item).scale
        if scale.satisfied:
            return responses.satisfied(item, scale.satisfied, scale.excluded)
    return responses.numbers(item)


def _combined_rows(contrasts: Contrasts, labels: list[str], codes: list[str]) -> list[CombinedRow]:
    return [
        CombinedRow(
            domain=label,
            node=code,
            estimate=float(contrasts.estimate[d, c]),
            se=float(contrasts.se[d, c]),
            df=int(contrasts.df[d, c]),
            ci_low=float(contrasts.ci_low[d, c]),
            ci_high=float(contrasts.ci_high[d, c]),
        )
        for d, label in enumerate(labels)
        for c, code in enumerate(codes)
    ]


def estimate_responses(
    responses: Responses,
    weight: str,
    strata: str | None,
    psu: str | None,
    fpc: str | None,
    by: str | None,
    lonely_psu: str,
    instrument: Instrument | None = None,
    calibration: Calibration = None,
    combinations: NodeCombinations | None = None,
) -> SurveyEstimates:
    """Estimates for every item, per domain of ``by`` (in Vietnamese order) and overall;
    warnings (weights all equal); and with ``combinations`` (see :func:`node_combinations`),
    the nodes' points as linear combinations of the items' shares, from the same pass."""
    weights = responses.numbers(weight)
    warnings = []
    if len(weights) > 1 and np.all(weights == weights[0]):
        warnings.append(f"survey.equal_weights:{weights[0]:g}")
    try:
        design = SurveyDesign(
            weights,
            strata=None if strata is None else responses.factor(strata),
            psu=None if psu is None else responses.factor(psu),
            fpc=None if fpc is None else responses.numbers(fpc),
            lonely_psu=lonely_psu,
        )
        if calibration is not None:
            method, margins = calibration
            if method == "post":
                column, counts = margins[0]
                design = design.post_stratify(responses.factor(column), counts)
            else:
                design = design.rake([(responses.factor(c), n) for c, n in margins])
        # column-major: the estimator reads one item at a time
        y = np.empty((responses.n, len(responses.items)), order="F")
        for k, item in enumerate(responses.items):
            y[:, k] = _item_values(responses, item, instrument)
        coefficients = None
        if combinations is not None and combinations.codes:
            coefficients = combinations.coefficients
        by_est, labels, overall = design.mean_by(
            y, None if by is None else responses.factor(by), contrasts=coefficients
        )
    except DesignError as err:
        report = ProblemReport()
        report.add(err.rule, responses.file, None, None, **err.params)
        raise Refusal(report) from None
    rows = _rows(overall, [OVERALL], responses.items)
    combined: list[CombinedRow] = []
    codes = combinations.codes if combinations is not None else []
    if overall.contrasts is not None:
        combined = _combined_rows(overall.contrasts, [OVERALL], codes)
    if by is not None:
        names = [str(x) for x in labels]
        domain_rows = _rows(by_est, names, responses.items)
        order = {item: i for i, item in enumerate(responses.items)}
        keys = {name: sort_key(name) for name in names}  # once per domain, not per row
        domain_rows.sort(key=lambda r: (keys[r.domain], order[r.item]))
        rows += domain_rows
        if by_est.contrasts is not None:
            domain_combined = _combined_rows(by_est.contrasts, names, codes)
            domain_combined.sort(key=lambda r: keys[r.domain])  # stable: codes stay in order
            combined += domain_combined
    return SurveyEstimates(rows, warnings, combined)
