"""Who answers for a criterion: the unit named for it in the map, else for the nearest
criterion above it (a department named for domain 2 answers for every criterion of 2)."""

from __future__ import annotations

from chiso.scoring.plan import ScoringPlan
from chiso.web.cycles.models import Unit
from chiso.web.plans.models import Responsibility


def responsibility_map(framework_code: str, unit: Unit) -> dict[str, Unit]:
    """Node code → responsible unit, as written in the map."""
    rows = Responsibility.objects.filter(framework_code=framework_code, unit=unit).select_related(
        "responsible"
    )
    return {r.node_code: r.responsible for r in rows}


def responsible_for(mapping: dict[str, Unit], plan: ScoringPlan, code: str) -> Unit | None:
    for candidate in [code, *plan.above(code)]:
        if candidate in mapping:
            return mapping[candidate]
    return None
