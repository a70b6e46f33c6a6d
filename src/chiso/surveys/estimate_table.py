"""The table of estimates ``chiso survey estimate`` writes: one row per domain and item."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chiso.problems import InputError, ProblemReport
from chiso.surveys.design import DesignError, Estimates, SurveyDesign
from chiso.surveys.instrument import Instrument
from chiso.surveys.responses import Responses
from chiso.vietnamese import sort_key

Calibration = tuple[str, list[tuple[str, dict[str, float]]]] | None
"""("post" or "rake", [(column, population count per category), ...])"""

MIN_N = 30
MAX_CV = 0.30
OVERALL = "all"


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
        """NCHS-style rule: too few respondents or a coefficient of variation above 30 %."""
        return self.n < MIN_N or not (self.cv <= MAX_CV)


def _rows(estimates: Estimates, labels: list[str], items: list[str]) -> list[EstimateRow]:
    out = []
    for d, label in enumerate(labels):
        for k, item in enumerate(items):
            est, se = float(estimates.estimate[d, k]), float(estimates.se[d, k])
            low, high = float(estimates.logit_low[d, k]), float(estimates.logit_high[d, k])
            out.append(
                EstimateRow(
                    domain=label,
                    item=item,
                    estimate=est,
                    se=se,
                    ci_low=float(estimates.ci_low[d, k]),
                    ci_high=float(estimates.ci_high[d, k]),
                    ci_low_logit=None if math.isnan(low) else low,
                    ci_high_logit=None if math.isnan(high) else high,
                    n=int(estimates.n[d, k]),
                    deff=float(estimates.deff[d, k]),
                    df=int(estimates.df[d, k]),
                    cv=se / est if est else math.inf,
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
) -> tuple[list[EstimateRow], list[str]]:
    """Estimates for every item, per domain of ``by`` (in Vietnamese order) and overall; and
    warnings (weights all equal)."""
    weights = responses.numbers(weight)
    warnings = []
    if len(weights) > 1 and np.all(weights == weights[0]):
        warnings.append(f"survey.equal_weights:{weights[0]:g}")
    try:
        design = SurveyDesign(
            weights,
            strata=None if strata is None else responses.labels(strata),
            psu=None if psu is None else responses.labels(psu),
            fpc=None if fpc is None else responses.numbers(fpc),
            lonely_psu=lonely_psu,
        )
        if calibration is not None:
            method, margins = calibration
            if method == "post":
                column, counts = margins[0]
                design = design.post_stratify(responses.labels(column), counts)
            else:
                design = design.rake([(responses.labels(c), n) for c, n in margins])
        y = np.column_stack([_item_values(responses, item, instrument) for item in responses.items])
        by_est, labels, overall = design.mean_by(y, None if by is None else responses.labels(by))
    except DesignError as err:
        report = ProblemReport()
        report.add(err.rule, responses.file, None, None, **err.params)
        raise InputError(report) from None
    rows = _rows(overall, [OVERALL], responses.items)
    if by is not None:
        names = [str(x) for x in labels]
        domain_rows = _rows(by_est, names, responses.items)
        order = {item: i for i, item in enumerate(responses.items)}
        domain_rows.sort(key=lambda r: (sort_key(r.domain), order[r.item]))
        rows += domain_rows
    return rows, warnings


def points_rows(
    rows: list[EstimateRow], instrument: Instrument, framework_max: dict[str, float | None]
) -> list[list[object]]:
    """Score input (long form: unit, node, value, se) from the estimates of an instrument's
    items: each node gets share × its maximum (a SIPAS criterion: its % satisfied), with the
    standard error on the same scale, for ``chiso score``."""
    out: list[list[object]] = []
    for r in rows:
        if r.domain == OVERALL and any(x.domain != OVERALL for x in rows):
            continue
        question = instrument.by_code.get(r.item)
        if question is None or question.node is None:
            continue
        top = framework_max.get(question.node)
        if top is None:
            # a node whose maximum is not public: its points cannot be computed, only guessed
            report = ProblemReport()
            report.add(
                "survey.node_max_unknown", instrument.path or instrument.code, node=question.node
            )
            raise InputError(report)
        out.append([r.domain, question.node, r.estimate * top, r.se * top])
    return out
