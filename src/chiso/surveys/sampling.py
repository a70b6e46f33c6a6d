"""Drawing a sample inside one stratum: inclusion probabilities proportional to size, the
systematic draw with those probabilities, and simple random sampling without replacement.

The probabilities are R's (``sampling::inclusionprobabilities``), step for step, because the
survey teams check a drawn sample against R and a design weight is only as good as its
probability: a unit whose share of the size would give it a probability of 1 or more is
taken with certainty and the rest of the sample is spread again over the others, until no
probability exceeds 1. The systematic draw is ``sampling::UPsystematic`` (one uniform start,
the units in frame order). Every random number comes from the :class:`numpy.random.Generator`
passed in, so a seed gives the same sample on every machine.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from chiso.surveys.errors import DesignError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
CERTAIN = 1e-6
"""``UPsystematic``'s ``eps``: a probability within it of 0 or 1 is taken as 0 or 1."""


def inclusion_probabilities(sizes: npt.ArrayLike, n: int) -> FloatArray:
    """First-order inclusion probabilities of a sample of ``n`` proportional to ``sizes``,
    none above 1 (``sampling::inclusionprobabilities``). Sizes must be positive: the caller
    refuses zeros and text with the row that holds them."""
    a = np.asarray(sizes, dtype=np.float64)
    if a.size == 0 or n == 0:
        return np.zeros_like(a)
    if np.any(a <= 0) or not np.all(np.isfinite(a)):
        raise DesignError("survey.size_not_positive")
    pik: FloatArray = n * a / a.sum()
    certain = pik >= 1
    taken = int(certain.sum())
    if taken:
        previous = -1
        # R's loop: spread n − l over the units still below 1, until l stops changing
        while taken != previous:
            rest = pik[~certain]
            rest = rest / rest.sum()
            pik[~certain] = (n - taken) * rest
            pik[certain] = 1.0
            previous = taken
            certain = pik >= 1
            taken = int(certain.sum())
    return pik


def systematic_draw(pik: FloatArray, start: float) -> npt.NDArray[np.bool_]:
    """A systematic sample with inclusion probabilities ``pik`` (``sampling::UPsystematic``):
    a unit is selected when the running sum of the probabilities, less the uniform random
    ``start`` in [0, 1), crosses an integer. Probabilities within :data:`CERTAIN` of 1 are
    certain, of 0 never (R returns such a probability itself in the sample's place)."""
    selected = pik >= 1 - CERTAIN
    middle = (pik > CERTAIN) & (pik < 1 - CERTAIN)
    inner = pik[middle]
    a = np.mod(np.concatenate(([0.0], np.cumsum(inner))) - start, 1.0)
    selected[middle] = a[:-1] > a[1:]
    return selected


def simple_random_draw(population: int, n: int, rng: np.random.Generator) -> IntArray:
    """``n`` of ``population`` positions without replacement, in ascending order."""
    chosen = rng.choice(population, size=n, replace=False)
    return np.sort(chosen.astype(np.intp))
