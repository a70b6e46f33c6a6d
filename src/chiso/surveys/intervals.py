"""The normal interval around an estimate: the one home of its critical value.

Every confidence interval chiso prints or publishes (the design-based estimates, the portal's
caterpillar, the open data's bounds) is ``estimate ± z · SE`` with ``z`` the two-sided normal
quantile, as R's ``confint`` on a ``svymean`` computes it. The quantile comes from the standard
library (``statistics.NormalDist``), so a command that only prints an interval never imports
SciPy. The logit interval of a proportion (R's ``svyciprop(method="logit")``) uses Student's t
with the design's degrees of freedom instead; its quantile is here too (:func:`t_quantile`,
computed by :mod:`chiso.surveys.student_t`).
"""

from __future__ import annotations

from functools import lru_cache
from statistics import NormalDist

from chiso.surveys import student_t


@lru_cache(maxsize=16)
def normal_quantile(level: float) -> float:
    """The two-sided critical value for ``level`` (0.95 → qnorm(0.975) = 1.959963984540054)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must lie strictly between 0 and 1, not {level}")
    return NormalDist().inv_cdf(0.5 + level / 2)


Z95 = normal_quantile(0.95)


def normal_interval(estimate: float, se: float, level: float = 0.95) -> tuple[float, float]:
    """``(estimate − z·SE, estimate + z·SE)`` for a two-sided interval at ``level``."""
    z = normal_quantile(level)
    return (estimate - z * se, estimate + z * se)


@lru_cache(maxsize=4096)
def t_quantile(level: float, df: float) -> float:
    """The two-sided critical value of Student's t with ``df`` degrees of freedom (0.95 with
    10 of them: qt(0.975, 10) = 2.228138851986…); NaN when ``df`` is not positive."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must lie strictly between 0 and 1, not {level}")
    return student_t.quantile(0.5 + level / 2, df)
