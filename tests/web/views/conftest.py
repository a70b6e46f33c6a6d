"""Fixtures of the plans' tests (chiso.web.plans): a published cycle with scores, where Sở Tư
pháp loses a fifth of every leaf (with the appraisers' reason) and Sở Y tế only 2 points on 1.2;
Sở Nội vụ answers for domain 1 of Sở Tư pháp's assessment."""

from __future__ import annotations

import pytest

from chiso.web.core.frameworks import framework_of
from chiso.web.cycles.models import Cycle, LeafScore, Unit
from chiso.web.plans.models import Responsibility
from web.conftest import World

REASON = "Thiếu văn bản kiểm chứng"


def fill(world: World) -> None:
    fw = framework_of(world.cycle)
    for sheet, share in ((world.sheet_a, 0.8), (world.sheet_b, 1.0)):
        for leaf in fw.leaves():
            points = float(leaf.max or 0) * share
            if sheet == world.sheet_b and leaf.code == "1.2":
                points = 2.0
            LeafScore.objects.filter(sheet=sheet, code=leaf.code).update(
                self_points=points,
                appraised_points=points,
                appraisal_reason=REASON if points < float(leaf.max or 0) else "",
            )


@pytest.fixture
def scored(world: World) -> World:
    fill(world)
    world.move_to(Cycle.PUBLISHED)
    return world


@pytest.fixture
def home_affairs(world: World) -> Unit:
    """Sở Nội vụ, responsible for domain 1 of Sở Tư pháp's assessment."""
    unit = Unit.objects.create(code="S03", name="Sở Nội vụ", kind="department")
    Responsibility.objects.create(
        framework_code=world.cycle.framework_code,
        unit=world.sheet_a.unit,
        node_code="1",
        responsible=unit,
    )
    return unit
