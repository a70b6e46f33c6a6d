"""plans:index — the plans a person may see; the administrator's links to the map, to new plans
from published cycles and to the responsibility reports."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from chiso.web.plans import services
from chiso.web.plans.services import TargetWanted
from web.conftest import World
from web.views.helpers import as_, sent_to_login


def test_each_sees_the_plans_they_may(scored: World) -> None:
    plan = services.create_plan(
        scored.admin, scored.cycle, scored.sheet_a.unit, 2025, [TargetWanted("index", "85")]
    )
    link = reverse("plans:plan", args=[plan.pk])
    admin = as_(scored, "admin").get(reverse("plans:index")).content.decode()
    assert link in admin and reverse("plans:map") in admin
    assert reverse("plans:new", args=[scored.cycle.pk]) in admin
    assert reverse("plans:report", args=[scored.cycle.pk]) in admin
    assert link in as_(scored, "officer_a").get(reverse("plans:index")).content.decode()
    other = as_(scored, "officer_b").get(reverse("plans:index")).content.decode()
    assert link not in other and reverse("plans:map") not in other
    chair = as_(scored, "chair").get(reverse("plans:index")).content.decode()
    assert reverse("plans:report", args=[scored.cycle.pk]) in chair


def test_anonymous_is_sent_to_log_in(db: None) -> None:
    assert sent_to_login(Client().get(reverse("plans:index")))


def test_the_list_and_the_single_plan_follow_the_same_rule(scored: World) -> None:
    from chiso.web.cycles.models import Unit
    from chiso.web.plans import policy
    from chiso.web.plans.models import ImprovementPlan, Responsibility

    Responsibility.objects.create(
        framework_code=scored.cycle.framework_code,
        unit=scored.sheet_b.unit,
        node_code="1",
        responsible=scored.sheet_a.unit,
    )
    for unit in (scored.sheet_a.unit, scored.sheet_b.unit):
        services.create_plan(scored.admin, scored.cycle, unit, 2025, [])
    assert Unit.objects.count() == 2
    for actor in ("admin", "officer_a", "officer_b", "appraiser_a", "chair"):
        user = getattr(scored, actor)
        listed = set(policy.visible_plans(user))
        allowed = {p for p in ImprovementPlan.objects.all() if policy.can_view_plan(user, p)}
        assert listed == allowed, actor
    # Sở Tư pháp's officer sees its own plan and Sở Y tế's, where it answers for domain 1
    assert len(policy.visible_plans(scored.officer_a)) == 2
    assert len(policy.visible_plans(scored.officer_b)) == 1
