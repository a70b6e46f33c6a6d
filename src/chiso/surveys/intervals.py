"""The normal interval around an estimate: the one home of its critical value.

Every confidence interval chiso prints or publishes (the design-based estimates, the portal's
caterpillar, the open data's bounds) is ``estimate ± z · SE`` with ``z`` the two-sided normal
quantile, as R's ``confint`` on a ``svymean`` computes it. The quantile comes from the standard
library (``statistics.NormalDist``), so a command that only prints an interval never imports
SciPy.
"""

from __future__ import annotations

from functools import lru_cache
from statistics import NormalDist


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
