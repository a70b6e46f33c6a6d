"""The standard error of a unit's total from its leaves' standard errors, when the leaves'
estimates are independent.

A total is a linear function of its leaves wherever no cap binds (sums, means and weighted means
with the applicability fixed), so with independent leaf estimates its variance is
Σ (∂total/∂leaf · se_leaf)². The derivative is measured with the real aggregation, not assumed:
each leaf with a standard error is moved by a small step (down where a step up would pass its
maximum) and the change of the total divided by the step is its weight. Independence is the
file's to claim (``chiso ranks --assume-independent``): estimates from one sample share
respondents and are correlated, and then only the survey's own total standard error is right.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from chiso.analysis.loaded import Loaded
from chiso.scoring.engine import aggregate

FloatArray = npt.NDArray[np.float64]
STEP = 1e-4  # of the leaf's maximum: small enough that no band or cap is crossed in practice


def leaf_se(loaded: Loaded) -> FloatArray:
    """[leaves, units]: the leaves' standard errors as the file carries them (NaN: none)."""
    se = loaded.results.se
    n = loaded.plan.n_leaves
    if se is None:
        return np.full((n, len(loaded.results.units)), np.nan)
    return np.asarray(se[:n], dtype=np.float64)


def has_leaf_errors(loaded: Loaded) -> bool:
    return bool((~np.isnan(leaf_se(loaded))).any())


def total_se_from_leaves(loaded: Loaded) -> FloatArray:
    """[units]: √Σ (weight · se)² over the leaves with a standard error (NaN for a unit with
    none), each weight measured by aggregating again with that leaf moved (module docstring)."""
    plan = loaded.plan
    errors = leaf_se(loaded)
    base = aggregate(plan, loaded.given, loaded.na).value_row(plan.root)
    variance = np.zeros(len(base))
    seen = np.zeros(len(base), dtype=bool)
    for j in np.flatnonzero((~np.isnan(errors)).any(axis=1)):
        value = loaded.given[j]
        top = float(plan.maxima[j]) if not np.isnan(plan.maxima[j]) else 1.0
        step = STEP * (top if top > 0 else 1.0)
        delta = np.where(np.nan_to_num(value) + step <= top, step, -step)
        moved = loaded.given.copy()
        moved[j] = value + delta
        total = aggregate(plan, moved, loaded.na).value_row(plan.root)
        weight = np.nan_to_num((total - base) / delta)
        has = ~np.isnan(errors[j]) & ~np.isnan(value) & ~loaded.na[j]
        variance += np.where(has, (weight * np.nan_to_num(errors[j])) ** 2, 0.0)
        seen |= has
    out: FloatArray = np.where(seen, np.sqrt(variance), np.nan)
    return out
