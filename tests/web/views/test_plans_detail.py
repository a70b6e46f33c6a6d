"""plans:plan — a plan's page: targets, progress per responsible unit and per domain, tasks.
Seen by the administrator, the planned unit's officers and the officers of a unit answering for
one of its tasks (who may update only their own tasks); 404 to anyone else."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Unit
from chiso.web.plans import services
from chiso.web.plans.models import ImprovementPlan, Task
from chiso.web.plans.services import TargetWanted
from web.conftest import World
from web.views.helpers import MISSING, as_, sent_to_login


def make_plan(world: World) -> ImprovementPlan:
    return services.create_plan(
        world.admin, world.cycle, world.sheet_a.unit, 2025, [TargetWanted("index", "90")]
    )


def test_the_administrator_and_the_units_officers_see_the_plan(
    scored: World, home_affairs: Unit
) -> None:
    plan = make_plan(scored)
    for actor in ("admin", "officer_a"):
        response = as_(scored, actor).get(reverse("plans:plan", args=[plan.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="progress-unit"' in page and "Sở Nội vụ" in page and "90" in page


def test_a_responsible_units_officer_updates_only_its_own_tasks(
    scored: World, home_affairs: Unit
) -> None:
    plan = make_plan(scored)
    officer = User.objects.create_user("noi-vu")
    Role.objects.create(user=officer, kind=Role.OFFICER, unit=home_affairs)
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    own = plan.tasks.filter(responsible=home_affairs)
    other = plan.tasks.exclude(responsible=home_affairs)
    assert own.exists() and other.exists()
    for task in own:
        assert reverse("plans:task", args=[task.pk]) in page
    for task in other:
        assert reverse("plans:task", args=[task.pk]) not in page


def test_progress_counts_tasks_done_and_their_points(scored: World, home_affairs: Unit) -> None:
    plan = make_plan(scored)
    task = plan.tasks.get(node_code="1.2")  # 3.2 of 4: 0.8 to gain
    Task.objects.filter(pk=task.pk).update(status=Task.DONE, evidence="QĐ 12/2025")
    rows = {p.label: p for p in services.progress(plan, "unit", "vi")}
    assert rows["Sở Nội vụ"].tasks == 5 and rows["Sở Nội vụ"].done == 1
    assert abs(rows["Sở Nội vụ"].points_done - 0.8) < 1e-9
    domains = {p.label.split()[0]: p for p in services.progress(plan, "domain", "vi")}
    assert domains["1"].done == 1 and domains["2"].done == 0


def test_404_to_others_and_to_an_unknown_plan(scored: World) -> None:
    plan = make_plan(scored)
    for actor in ("officer_b", "appraiser_a", "chair"):
        assert as_(scored, actor).get(reverse("plans:plan", args=[plan.pk])).status_code == 404
    assert as_(scored, "admin").get(reverse("plans:plan", args=[MISSING])).status_code == 404


def test_anonymous_is_sent_to_log_in(scored: World) -> None:
    plan = make_plan(scored)
    assert sent_to_login(Client().get(reverse("plans:plan", args=[plan.pk])))


def test_reading_only(scored: World) -> None:
    plan = make_plan(scored)
    assert as_(scored, "admin").post(reverse("plans:plan", args=[plan.pk])).status_code == 405


def test_the_page_speaks_english_when_asked(scored: World, home_affairs: Unit) -> None:
    plan = make_plan(scored)
    client = as_(scored, "admin")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Responsible unit" in page and "Not started" in page
    # the target as English says it (not "Index of: 90 · total needed 90.00")
    assert "Index to reach: 90 % · total points needed: 90.00" in page


def test_the_home_page_links_to_the_plans(scored: World) -> None:
    page = as_(scored, "officer_a").get(reverse("cycles:home")).content.decode()
    assert reverse("plans:index") in page
