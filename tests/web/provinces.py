"""Published cycles of provinces for the portal's tests, under a one-domain framework."""

from __future__ import annotations

from pathlib import Path

from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.cycles import workflow
from chiso.web.cycles.models import Cycle, LeafScore, Unit
from web.conftest import DECISION, World

FRAMEWORK = """format: 1
code: map-test-2024
index: MAPTEST
subject: province
name_vi: Khung thử bản đồ
name_en: Map test framework
years: {from: 2020, to: null}
legal_basis: "kiểm thử"
scoring:
  precision: 2
  rank_by: index
  total: {aggregation: sum, max: 100}
  groups:
    method: quartiles
    on: index
  defaults: {children_add_up: true, source: appraised}
nodes:
  - {code: "1", name_vi: "Lĩnh vực 1", max: 100}
"""


def publish_provinces(
    world: World, folder: Path, name: str, year: int, values: dict[str, float], prefix: str = "T"
) -> Cycle:
    """A published cycle of the provinces in ``values`` (each its index); units are created
    once per ``prefix`` and name, so the 34 provinces of 2025 are units of their own."""
    path = folder / "map-test-2024.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    units = [
        Unit.objects.get_or_create(
            code=f"{prefix}{i:02d}", defaults={"name": unit, "kind": "province"}
        )[0]
        for i, unit in enumerate(values, start=1)
    ]
    cycle = workflow.create_cycle(world.admin, name, year, str(path), units)
    Role.objects.create(user=world.chair, kind=Role.CHAIR, cycle=cycle)
    policy.forget(world.chair)  # roles are cached per user
    workflow.advance(world.admin, cycle, Cycle.SELF)
    for leaf in LeafScore.objects.filter(sheet__cycle=cycle).select_related("sheet__unit"):
        value = values[leaf.sheet.unit.name]
        LeafScore.objects.filter(pk=leaf.pk).update(self_raw=str(value), self_points=value)
    for state in (Cycle.APPRAISAL, Cycle.EXPLANATION):
        workflow.advance(world.admin, cycle, state)
    workflow.advance(world.chair, cycle, Cycle.FINALISED)
    workflow.publish(world.chair, cycle, decision=DECISION)
    return cycle
