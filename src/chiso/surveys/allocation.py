"""Spreading a total sample size over strata: proportional to the strata's sizes, equal, or
Neyman's (proportional to N_h·S_h, the least variance of a stratified mean for the total).

Whole numbers come by the largest-remainder rule (Hamilton's): every stratum gets the whole
part of its quota, and the units left go one each to the largest fractional parts, ties to
the stratum met first in the frame. So the sizes always add up to the total asked, and a
stratum's size never moves by more than one from its exact quota. Under Neyman a stratum
whose quota exceeds its population is taken whole and the rest is spread again over the
others (as often as needed); under the other rules a stratum too small for its share is an
error naming it, since the user asked for that share.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from chiso.surveys.errors import DesignError

ALLOCATIONS = ("proportional", "equal", "neyman")


def largest_remainder(quotas: Sequence[float], total: int) -> list[int]:
    """Whole numbers adding up to ``total``, each the floor or the ceiling of its quota."""
    floors = [math.floor(q + 1e-9) for q in quotas]  # 2.9999999999 from rounding is 3
    left = total - sum(floors)
    order = sorted(range(len(quotas)), key=lambda h: (-(quotas[h] - floors[h]), h))
    for h in order[: max(left, 0)]:
        floors[h] += 1
    return floors


def allocate(
    names: Sequence[str],
    populations: Sequence[int],
    total: int,
    method: str,
    deviations: Sequence[float] | None = None,
) -> list[int]:
    """The sample size of each stratum (in the order of ``names``) for a total of ``total``.
    ``deviations`` are the strata's standard deviations S_h, needed by ``neyman``."""
    if method not in ALLOCATIONS:
        raise DesignError("survey.allocation_unknown", value=method, allowed=", ".join(ALLOCATIONS))
    population = sum(populations)
    if total < 1 or total > population:
        raise DesignError("survey.size_total", size=total, population=population)
    if method == "equal":
        sizes = largest_remainder([total / len(names)] * len(names), total)
    elif method == "proportional":
        sizes = largest_remainder([total * p / population for p in populations], total)
    else:
        if deviations is None:
            raise DesignError("survey.neyman_needs_variance")
        return _neyman(populations, total, deviations)
    for name, size, pop in zip(names, sizes, populations, strict=True):
        if size > pop:
            raise DesignError("survey.size_above_stratum", stratum=name, size=size, population=pop)
    return sizes


def _neyman(populations: Sequence[int], total: int, deviations: Sequence[float]) -> list[int]:
    weights = [p * s for p, s in zip(populations, deviations, strict=True)]
    whole = [False] * len(populations)
    while True:
        open_strata = [h for h in range(len(weights)) if not whole[h]]
        left = total - sum(populations[h] for h in range(len(weights)) if whole[h])
        mass = sum(weights[h] for h in open_strata)
        if mass <= 0:  # every open stratum has S_h = 0: spread the rest proportionally
            mass_of = {h: float(populations[h]) for h in open_strata}
        else:
            mass_of = {h: weights[h] for h in open_strata}
        total_mass = sum(mass_of.values())
        quotas = {h: left * mass_of[h] / total_mass for h in open_strata}
        over = [h for h in open_strata if quotas[h] > populations[h]]
        if not over:
            break
        for h in over:
            whole[h] = True
    exact = [float(populations[h]) if whole[h] else quotas[h] for h in range(len(weights))]
    # each quota is at most its stratum's population, a whole number: so is its ceiling
    return largest_remainder(exact, total)
