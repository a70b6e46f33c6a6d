"""A cycle opened by mistake (dates wrong, never used) is cancelled by the administrator: a
reason, a confirmation page, the audit trail; it then leaves every working list (home,
administration, the officer's tasks, reminders, the leader's view) and nothing can be done in
it, while the administrator still reads it with its reason. A published cycle is never
cancelled, and the refusal says why."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from chiso.problems import Refusal
from chiso.web.accounts.models import Role
from chiso.web.core.models import AuditEntry
from chiso.web.cycles import workflow
from chiso.web.cycles.models import Cycle
from chiso.web.notifications.sending import remind
from web.conftest import PASSWORD, World

REASON = "Mở nhầm: thời hạn đặt sai năm"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cancel(world: World, **extra: str) -> object:
    return _client(world.admin).post(
        reverse("cycles:cycle-cancel", args=[world.cycle.pk]), {"reason": REASON, **extra}
    )


def test_cancelling_asks_first_then_records_the_reason_in_the_audit_trail(world: World) -> None:
    asked = _cancel(world)
    page = asked.content.decode()  # type: ignore[attr-defined]
    assert asked.status_code == 200 and 'id="confirm"' in page  # type: ignore[attr-defined]
    assert REASON in page and world.cycle.name in page
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.SELF  # nothing done before the confirmation
    done = _cancel(world, confirm="1")
    assert done["Location"] == reverse("cycles:cycle", args=[world.cycle.pk])  # type: ignore[index]
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.CANCELLED and world.cycle.cancel_reason == REASON
    entry = AuditEntry.objects.filter(cycle=world.cycle, field="state").latest("pk")
    assert (entry.old, entry.new, entry.reason) == (
        Cycle.SELF,
        Cycle.CANCELLED,
        REASON,
    )
    # the administrator still reads it, with its reason, from the administration page
    manage = _client(world.admin).get(reverse("cycles:manage")).content.decode()
    assert 'id="cancelled"' in manage and REASON in manage
    cycle_page = _client(world.admin).get(reverse("cycles:cycle", args=[world.cycle.pk]))
    text = cycle_page.content.decode()
    assert cycle_page.status_code == 200 and "Kỳ đánh giá đã hủy" in text and REASON in text
    assert 'id="cancel-cycle"' not in text and 'id="advance"' not in text


def test_a_reason_is_required_and_nothing_changes_without_one(world: World) -> None:
    answer = _client(world.admin).post(
        reverse("cycles:cycle-cancel", args=[world.cycle.pk]), {"reason": "  "}, follow=True
    )
    assert "cần nêu lý do hủy kỳ đánh giá" in answer.content.decode()
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.SELF


def test_a_published_cycle_cannot_be_cancelled_and_is_told_why(world: World) -> None:
    world.move_to(Cycle.PUBLISHED)
    page = _client(world.admin).get(reverse("cycles:cycle", args=[world.cycle.pk]))
    assert 'id="cancel-cycle"' not in page.content.decode()
    answer = _client(world.admin).post(
        reverse("cycles:cycle-cancel", args=[world.cycle.pk]),
        {"reason": REASON, "confirm": "1"},
        follow=True,
    )
    assert "đã công bố nên không hủy được" in answer.content.decode()
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.PUBLISHED


def test_only_the_administrator_cancels(world: World) -> None:
    for user in (world.chair, world.officer_a):
        answer = _client(user).post(
            reverse("cycles:cycle-cancel", args=[world.cycle.pk]),
            {"reason": REASON, "confirm": "1"},
        )
        assert answer.status_code in (403, 404)
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.SELF


@pytest.fixture
def cancelled(world: World) -> World:
    world.cycle.self_assessment_ends = datetime.date(2025, 3, 12)
    world.cycle.save()
    workflow.cancel(world.admin, world.cycle, REASON)
    world.cycle.refresh_from_db()
    return world


def test_a_cancelled_cycle_leaves_every_working_list(cancelled: World) -> None:
    world = cancelled
    name, sheet = world.cycle.name, reverse("cycles:sheet", args=[world.sheet_a.pk])
    for user in (world.admin, world.officer_a, world.chair):
        home = _client(user).get(reverse("cycles:home")).content.decode()
        assert name not in home and sheet not in home, user.username
    leader = User.objects.create_user("lanh-dao", password=PASSWORD)
    Role.objects.create(user=leader, kind=Role.LEADER)
    assert name not in _client(leader).get(reverse("cycles:leader")).content.decode()
    # the role form no longer offers it
    manage = _client(world.admin).get(reverse("cycles:manage")).content.decode()
    assert f'<option value="{world.cycle.pk}">{name}</option>' not in manage
    # nobody but the administrator opens it; nothing is reminded (the deadline is 2 days away)
    assert _client(world.officer_a).get(sheet).status_code == 404
    assert (
        _client(world.chair).get(reverse("cycles:cycle", args=[world.cycle.pk])).status_code == 404
    )
    assert remind(datetime.date(2025, 3, 10)).recorded == 0


def test_nothing_more_is_done_in_a_cancelled_cycle(cancelled: World) -> None:
    with pytest.raises(Refusal) as refused:
        workflow.advance(cancelled.admin, cancelled.cycle, Cycle.APPRAISAL)
    assert refused.value.rule == "cycle.cancelled"
    with pytest.raises(Refusal) as again:
        workflow.cancel(cancelled.admin, cancelled.cycle, REASON)
    assert again.value.rule == "cycle.cancelled"
