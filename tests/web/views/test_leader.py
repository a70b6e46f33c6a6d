"""The province's leader: a read-only role. The leader's view shows every open cycle's
progress by unit and stage, who is late against the stage's deadline, the cuts not yet
explained and the explanations waiting; a one-page Word brief says the same. A leader may
change nothing: every policy question about a change answers no, every write is refused."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from chiso.web.accounts.models import Role
from chiso.web.cycles import policy
from chiso.web.cycles.models import Cycle, Explanation, LeafScore, ScoreSheet
from chiso.web.cycles.progress import cycle_progress
from chiso.web.plans import policy as plans_policy
from web.conftest import PASSWORD, World


@pytest.fixture
def leader(world: World) -> User:
    user = User.objects.create_user("lanh-dao", password=PASSWORD)
    Role.objects.create(user=user, kind=Role.LEADER)
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_unit_is_late_when_the_deadline_passed_and_its_sheet_is_not_submitted(
    world: World,
) -> None:
    world.cycle.self_assessment_ends = datetime.date(2025, 3, 31)
    world.cycle.save()
    ScoreSheet.objects.filter(pk=world.sheet_b.pk).update(state=ScoreSheet.SUBMITTED)
    before = cycle_progress(world.cycle, today=datetime.date(2025, 3, 31))
    assert before.late == [] and before.submitted == 1 and not before.overdue
    after = cycle_progress(world.cycle, today=datetime.date(2025, 4, 1))
    assert [u.unit for u in after.late] == ["Sở Tư pháp"] and after.overdue


def test_cuts_not_explained_and_explanations_waiting_are_counted(world: World) -> None:
    for code, appraised in (("1.1", 1.0), ("1.4", 0.0)):
        LeafScore.objects.filter(sheet=world.sheet_a, code=code).update(
            self_points=2.0, appraised_points=appraised
        )
    Explanation.objects.create(
        leaf=world.leaf(world.sheet_a, "1.4"),
        text="Đã có văn bản",
        author=world.officer_a,
        points_before=0.0,
    )
    progress = cycle_progress(world.cycle)
    row = next(u for u in progress.units if u.unit == "Sở Tư pháp")
    assert (row.cuts, row.unanswered, row.waiting) == (2, 1, 1)


def test_the_leaders_page_shows_progress_by_unit_and_stage(world: World, leader: User) -> None:
    world.cycle.self_assessment_ends = datetime.date(2020, 1, 31)
    world.cycle.save()
    html = _client(leader).get(reverse("cycles:leader")).content.decode()
    assert world.cycle.name in html and "Tự đánh giá" in html
    assert "31/01/2020" in html and "đã quá hạn" in html
    assert html.count(">chậm</strong>") == 2  # neither sheet submitted after the deadline
    assert "self_assessment" not in html  # names, never codes
    home = _client(leader).get(reverse("cycles:home")).content.decode()
    assert reverse("cycles:leader") in home


def test_the_brief_is_a_short_word_document(world: World, leader: User) -> None:
    from docx import Document

    response = _client(leader).get(reverse("cycles:leader-brief"))
    assert response.status_code == 200
    text = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert world.cycle.name in text
    assert "Đã nộp phiếu: 0/2 đơn vị" in text
    assert len(text) < 40  # one page


@pytest.mark.parametrize("actor", ["officer_a", "appraiser_a", "chair"])
def test_other_roles_are_refused_the_leaders_view(world: World, actor: str) -> None:
    client = _client(getattr(world, actor))
    assert client.get(reverse("cycles:leader")).status_code == 403
    assert client.get(reverse("cycles:leader-brief")).status_code == 403


def test_the_anonymous_are_sent_to_sign_in(world: World) -> None:
    response = Client().get(reverse("cycles:leader"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_leader_may_change_nothing(world: World, leader: User) -> None:
    cycle, sheet, leaf = world.cycle, world.sheet_a, world.leaf(world.sheet_a)
    assert not any(
        [
            policy.can_self_assess(leader, sheet),
            policy.can_appraise(leader, sheet),
            policy.can_request_explanation(leader, sheet),
            policy.can_explain(leader, sheet),
            policy.can_review_explanation(leader, sheet),
            policy.can_add_evidence(leader, leaf),
            policy.can_enter_central_points(leader, cycle),
            policy.can_publish(leader, cycle),
            policy.can_correct(leader, cycle),
            policy.can_set_ranked(leader, cycle),
            plans_policy.can_manage_plans(leader),
            *(policy.can_advance(leader, cycle, state) for state, _ in Cycle.STATES),
        ]
    )
    client = _client(leader)
    writes = [
        (reverse("cycles:cycle-advance", args=[cycle.pk]), {"to": Cycle.APPRAISAL}),
        (reverse("cycles:leaf-save", args=[leaf.pk]), {"action": "self", "value": "1"}),
        (reverse("cycles:sheet-submit", args=[sheet.pk]), {}),
        (reverse("cycles:unit-create"), {"code": "S09", "name": "Sở X", "kind": "department"}),
        (reverse("cycles:role-grant"), {"username": "x", "kind": "admin"}),
    ]
    for address, data in writes:
        assert client.post(address, data).status_code in (403, 404), address
    assert Cycle.objects.get(pk=cycle.pk).state == Cycle.SELF
    assert not Role.objects.filter(user__username="x").exists()
    assert not policy.visible_sheets(leader).exists()  # no unit's sheet before publication
