"""What the estimator returns, and how a mean's variance becomes its reported figures: the
standard error, the design effect, the Wald interval (normal quantile, as R's ``confint``) and,
for proportions, the logit interval (Student's t with the design's degrees of freedom, as
``svyciprop(method="logit")``). Both critical values come from :mod:`chiso.surveys.intervals`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chiso.surveys.intervals import normal_quantile, t_quantile

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Contrasts:
    """Linear combinations Σ_k c_k·ȳ_k of item means per domain: arrays ``[domain, contrast]``.

    ``se`` is the linearised standard error of the combination (with the items' covariances),
    ``df`` the PSUs minus strata among the rows that answered at least one item of it, and the
    interval is Wald's with the normal quantile, as ``confint(svycontrast(...))``."""

    estimate: FloatArray
    se: FloatArray
    df: IntArray
    ci_low: FloatArray
    ci_high: FloatArray


@dataclass(frozen=True)
class Estimates:
    """Estimates of a mean (a proportion for 0/1 items) per domain and item: arrays
    ``[domain, item]``; and, when asked of :meth:`SurveyDesign.mean_by`, linear combinations of
    those means in ``contrasts``."""

    estimate: FloatArray
    se: FloatArray
    n: IntArray
    deff: FloatArray
    df: IntArray
    ci_low: FloatArray
    ci_high: FloatArray
    logit_low: FloatArray
    logit_high: FloatArray
    contrasts: Contrasts | None = None


def t_quantiles(level: float, df: FloatArray) -> FloatArray:
    """Student's t critical values for an array of degrees of freedom (NaN where there are
    none), computed once per distinct value: a table has few."""
    distinct, inverse = np.unique(df, return_inverse=True)
    values = np.asarray([t_quantile(level, float(v)) for v in distinct], dtype=np.float64)
    result: FloatArray = values[inverse.reshape(df.shape)]
    return result


def contrasts_from(est: FloatArray, var: FloatArray, df: FloatArray, level: float) -> Contrasts:
    """Combinations ``[domain, contrast]`` from their estimates, variances and df."""
    se = np.sqrt(var)
    z_crit = normal_quantile(level)
    return Contrasts(
        estimate=est,
        se=se,
        df=df.astype(np.int64),
        ci_low=est - z_crit * se,
        ci_high=est + z_crit * se,
    )


def estimates_from(
    est: FloatArray,
    var: FloatArray,
    count: FloatArray,
    df: FloatArray,
    squares: FloatArray,
    total_w: FloatArray,
    binary: BoolArray,
    level: float,
    contrasts: Contrasts | None = None,
) -> Estimates:
    """Means ``[domain, item]`` from their estimates, linearised variances, respondents,
    degrees of freedom, Σ w (y − mean)² and Σ w; ``binary[item]`` marks 0/1 items, which get
    the logit interval."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        svyvar = squares / total_w * count / (count - 1)
        vsrs = svyvar * (total_w - count) / (total_w * count)
        deff = var / vsrs
        se = np.sqrt(var)
        z_crit = normal_quantile(level)
        t_crit = t_quantiles(level, df)
        logit = np.log(est / (1 - est))
        half = t_crit * se / (est * (1 - est))
        logit_low = np.where(binary, 1 / (1 + np.exp(-(logit - half))), np.nan)
        logit_high = np.where(binary, 1 / (1 + np.exp(-(logit + half))), np.nan)
    return Estimates(
        estimate=est,
        se=se,
        n=count.astype(np.int64),
        deff=deff,
        df=df.astype(np.int64),
        ci_low=est - z_crit * se,
        ci_high=est + z_crit * se,
        logit_low=logit_low,
        logit_high=logit_high,
        contrasts=contrasts,
    )
