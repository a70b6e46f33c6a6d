"""plans:task — a responsible unit reports on its task (status, evidence); the administrator
may also set the deadline and the responsible unit. Done needs evidence; a save from an old
version is a conflict; every change is in the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from chiso.web.accounts.models import Role
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Unit
from chiso.web.plans import services
from chiso.web.plans.models import Task
from chiso.web.plans.services import TargetWanted
from web.conftest import World
from web.views.helpers import as_


def setup(world: World, unit: Unit) -> tuple[Task, Client]:
    plan = services.create_plan(
        world.admin, world.cycle, world.sheet_a.unit, 2025, [TargetWanted("index", "90")]
    )
    officer = User.objects.create_user("noi-vu")
    Role.objects.create(user=officer, kind=Role.OFFICER, unit=unit)
    client = Client()
    client.force_login(officer)
    return plan.tasks.get(node_code="1.2"), client


def _post(client: Client, task: Task, **data: object) -> object:
    return client.post(reverse("plans:task", args=[task.pk]), {"version": task.version, **data})


def test_the_responsible_officer_reports_progress_and_it_is_audited(
    scored: World, home_affairs: Unit
) -> None:
    task, client = setup(scored, home_affairs)
    response = _post(client, task, status="doing", evidence="")
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Task.DOING and task.version == 1
    entry = AuditEntry.objects.get(object_type="Task", object_id=str(task.pk), field="status")
    assert (entry.old, entry.new, entry.cycle_id) == ("todo", "doing", scored.cycle.pk)


def test_done_needs_evidence(scored: World, home_affairs: Unit) -> None:
    task, client = setup(scored, home_affairs)
    response = _post(client, task, status="done", evidence="  ")
    task.refresh_from_db()
    assert task.status == Task.TODO
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))  # type: ignore[attr-defined]
    assert "kiểm chứng" in text
    _post(client, task, status="done", evidence="Quyết định 15/QĐ-STP")
    task.refresh_from_db()
    assert task.status == Task.DONE and task.evidence == "Quyết định 15/QĐ-STP"


def test_a_save_from_an_old_version_is_a_conflict(scored: World, home_affairs: Unit) -> None:
    task, client = setup(scored, home_affairs)
    _post(client, task, status="doing")
    stale = client.post(reverse("plans:task", args=[task.pk]), {"version": 0, "status": "todo"})
    task.refresh_from_db()
    assert stale.status_code == 302 and task.status == Task.DOING


def test_a_responsible_officer_cannot_reassign_or_move_the_deadline(
    scored: World, home_affairs: Unit
) -> None:
    task, client = setup(scored, home_affairs)
    _post(client, task, status="doing", deadline="2025-06-30", responsible=scored.sheet_b.unit.pk)
    task.refresh_from_db()
    assert task.deadline is None and task.responsible == home_affairs


def test_the_administrator_sets_deadline_and_responsible(scored: World, home_affairs: Unit) -> None:
    task, _ = setup(scored, home_affairs)
    data = {"status": "todo", "deadline": "2025-06-30", "responsible": scored.sheet_b.unit.pk}
    as_(scored, "admin").post(reverse("plans:task", args=[task.pk]), {"version": 0, **data})
    task.refresh_from_db()
    assert str(task.deadline) == "2025-06-30" and task.responsible == scored.sheet_b.unit
    fields = set(AuditEntry.objects.filter(object_type="Task").values_list("field", flat=True))
    assert {"deadline", "responsible"} <= fields


def test_the_planned_units_officer_sees_but_may_not_update_a_task(
    scored: World, home_affairs: Unit
) -> None:
    task, _ = setup(scored, home_affairs)
    assert _post(as_(scored, "officer_a"), task, status="done", evidence="x").status_code == 403
    task.refresh_from_db()
    assert task.status == Task.TODO


def test_404_to_those_who_do_not_see_the_plan(scored: World, home_affairs: Unit) -> None:
    task, _ = setup(scored, home_affairs)
    assert _post(as_(scored, "officer_b"), task, status="doing").status_code == 404


def test_a_bad_status_is_refused(scored: World, home_affairs: Unit) -> None:
    task, client = setup(scored, home_affairs)
    _post(client, task, status="finished")
    task.refresh_from_db()
    assert task.status == Task.TODO and task.version == 0


def test_posting_only(scored: World, home_affairs: Unit) -> None:
    task, client = setup(scored, home_affairs)
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 405
