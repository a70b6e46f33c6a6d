"""A province with the objects that come later in a cycle, for the API's schemathesis run:
the world's cycle in its explanation window with a cut leaf explained and an evidence file, a
province's uploaded framework, and an earlier cycle published, corrected and published again,
with a plan of Sở Tư pháp whose task has a file and a responsible unit."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.frameworks.registry import framework_text
from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import evidence, explanations, framework_uploads, workflow
from chiso.web.cycles.models import Cycle, LeafScore
from chiso.web.plans import services as plans
from chiso.web.plans import task_files
from web.conftest import World
from web.views.helpers import PDF

LATER_PATHS = (
    "framework-versions|explanation|corrections|ranked|revisions|responsib|plans|tasks|task-files"
    "|evidence"
)


def _published(world: World) -> Cycle:
    """An earlier cycle of both departments, Sở Tư pháp at four fifths of every leaf, Sở Y tế
    at every maximum; published, corrected and published again."""
    a, b = world.sheet_a.unit, world.sheet_b.unit
    earlier = workflow.create_cycle(
        world.admin, "Chỉ số CCHC 2023", 2023, world.cycle.framework_code, [a, b]
    )
    fw = framework_of(earlier)
    for sheet in earlier.sheets.all():
        share = 0.8 if sheet.unit == a else 1.0
        for leaf in fw.leaves():
            points = float(leaf.max or 0) * share
            LeafScore.objects.filter(sheet=sheet, code=leaf.code).update(
                self_points=points, appraised_points=points, appraisal_reason="thiếu hồ sơ"
            )
    Role.objects.create(user=world.chair, kind=Role.CHAIR, cycle=earlier)
    policy.forget(world.chair)
    for state in workflow.ORDER[1:-1]:
        actor = world.chair if state == Cycle.FINALISED else world.admin
        workflow.advance(actor, earlier, state)
    decision = workflow.Decision("1551/QĐ-UBND", datetime.date(2024, 1, 20), "UBND tỉnh")
    workflow.publish(world.chair, earlier, "", decision)
    leaf = LeafScore.objects.get(sheet__cycle=earlier, sheet__unit=a, code="1.4")
    workflow.correct_leaf(world.chair, leaf, float(fw.node("1.4").max or 0), "nhầm biên bản")
    decision = workflow.Decision("1600/QĐ-UBND", datetime.date(2024, 2, 1), "UBND tỉnh")
    workflow.publish(world.chair, earlier, "đính chính", decision)
    earlier.refresh_from_db()
    return earlier


def with_later_objects(world: World) -> None:
    fw_text = framework_text(world.cycle.framework_code)
    own = fw_text.replace(f"code: {world.cycle.framework_code}", "code: tinh-thu-2024", 1)
    framework_uploads.upload_framework(world.admin, "tinh.yaml", own.encode("utf-8"))
    earlier = _published(world)
    plans.assign(world.admin, earlier.framework_code, world.sheet_a.unit, "1", world.sheet_b.unit)
    plan = plans.create_plan(
        world.admin, earlier, world.sheet_a.unit, 2025, [plans.TargetWanted("index", "90")]
    )
    task = plan.tasks.get(node_code="1.2")
    task_files.add_file(world.admin, task, SimpleUploadedFile("qd.pdf", PDF))
    from web.views.test_explanations import _cut

    leaf = _cut(world)
    explanations.explain(world.officer_a, leaf, "Biên bản đã ký")
    evidence.add_evidence(world.officer_a, leaf, SimpleUploadedFile("bien-ban.pdf", PDF))
