"""Notices: what ``chiso remind`` finds (a stage opened, a deadline 3 days and 1 day away,
cuts waiting for an explanation, an explanation answered, a plan's task due), recorded once
per person and sent through a real SMTP server (aiosmtpd); a second run sends nothing; a
kind turned off is neither sent nor recorded; the inbox shows a person their own only."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chiso.web.cycles import explanations, scores, windows
from chiso.web.cycles.models import Cycle, Publication
from chiso.web.notifications import kinds
from chiso.web.notifications.models import Muted, Notification
from chiso.web.notifications.sending import remind
from chiso.web.plans.models import ImprovementPlan, Task
from web.conftest import World
from web.smtp_server import SmtpServer, smtp  # noqa: F401  (the fixture)

TODAY = datetime.date(2025, 3, 10)


@pytest.fixture
def mailed(world: World) -> World:
    """The province's people with addresses (those without get the inbox only)."""
    for user in (world.officer_a, world.officer_b, world.appraiser_a, world.chair, world.admin):
        user.email = f"{user.username}@tinh.example"
        user.save(update_fields=["email"])
    return world


def _kinds(user: User) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def _cut(world: World) -> None:
    leaf = world.leaf(world.sheet_a, "1.4")
    scores.save_self_score(world.officer_a, leaf, "2", leaf.version)
    world.move_to(Cycle.APPRAISAL)
    leaf.refresh_from_db()
    scores.appraise(world.appraiser_a, leaf, 1.0, "Thiếu biên bản kiểm tra", leaf.version)
    world.move_to(Cycle.EXPLANATION)


def test_a_second_run_sends_nothing_again(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    first = remind(TODAY)
    assert first.recorded == 2 and first.emailed == 2  # the self-assessment opened: officers
    smtp.inbox.wait(2)
    assert sorted(r[0] for r, _ in smtp.inbox.messages) == [
        "can-bo-a@tinh.example",
        "can-bo-b@tinh.example",
    ]
    second = remind(TODAY)
    assert (second.recorded, second.emailed) == (0, 0)
    assert call_command("remind", "--today", TODAY.isoformat()) == "0 0 0 0"
    assert len(smtp.inbox.messages) == 2
    assert Notification.objects.count() == 2
    notice = Notification.objects.get(recipient=mailed.officer_a)
    assert notice.sent_at is not None and notice.key == f"stage:{mailed.cycle.pk}:self_assessment"
    assert (notice.object_type, notice.object_id) == ("cycle", mailed.cycle.pk)


def test_the_mail_says_it_in_vietnamese_then_english_with_the_page_to_open(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
    settings: object,
) -> None:
    settings.SITE_URL = "https://chiso.tinh.example"  # type: ignore[attr-defined]
    mailed.cycle.self_assessment_ends = TODAY + datetime.timedelta(days=20)
    mailed.cycle.save()
    remind(TODAY)
    smtp.inbox.wait(2)
    [mail] = smtp.inbox.to("can-bo-a@tinh.example")
    body = mail.get_content()
    assert str(mail["Subject"]).strip() == (
        "Chỉ số CCHC 2024: bắt đầu giai đoạn Tự đánh giá / "
        "Chỉ số CCHC 2024: the Self-assessment stage begins"
    )
    assert "Hạn: 30/03/2025." in body
    assert "Deadline: 30/03/2025." in body or "Deadline: 2025-03-30." in body
    assert f"https://chiso.tinh.example/cycles/{mailed.cycle.pk}/" in body
    assert "https://chiso.tinh.example/notifications/" in body


def test_deadlines_are_reminded_three_days_and_one_day_before(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    ends = TODAY + datetime.timedelta(days=3)
    mailed.cycle.self_assessment_ends = ends
    mailed.cycle.save()
    remind(TODAY - datetime.timedelta(days=2))  # five days before: the stage only
    assert _kinds(mailed.officer_a) == [kinds.STAGE_OPENED]
    remind(TODAY)  # three days before
    assert _kinds(mailed.officer_a) == [kinds.DEADLINE, kinds.STAGE_OPENED]
    remind(TODAY + datetime.timedelta(days=1))  # two days before: nothing new
    assert len(_kinds(mailed.officer_a)) == 2
    remind(TODAY + datetime.timedelta(days=2))  # one day before
    remind(TODAY + datetime.timedelta(days=3))  # the last day: told already
    deadlines = Notification.objects.filter(recipient=mailed.officer_a, kind=kinds.DEADLINE)
    assert sorted(n.params["days"] for n in deadlines) == [1, 3]
    assert not Notification.objects.filter(recipient=mailed.appraiser_a).exists()
    smtp.inbox.wait(6)
    subjects = [m["Subject"] for m in smtp.inbox.to("can-bo-b@tinh.example")]
    assert sum("hết hạn ngày 13/03/2025" in s for s in subjects) == 2


def test_an_extended_deadline_is_reminded_again(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    mailed.cycle.self_assessment_ends = TODAY + datetime.timedelta(days=1)
    mailed.cycle.save()
    remind(TODAY)
    mailed.cycle.self_assessment_ends = TODAY + datetime.timedelta(days=8)
    mailed.cycle.save()
    remind(TODAY + datetime.timedelta(days=5))
    dates = Notification.objects.filter(recipient=mailed.officer_b, kind=kinds.DEADLINE)
    assert sorted(n.params["date"] for n in dates) == ["2025-03-11", "2025-03-18"]


def test_a_units_own_extension_is_the_day_its_notices_tell(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    """The administrator gave Sở Tư pháp a week more: its officer is told that day when the
    stage opens and reminded three days before it, not of the cycle's day; Sở Y tế's officer
    is told the cycle's day."""
    today = timezone.localdate()
    ends, extended = today + datetime.timedelta(days=3), today + datetime.timedelta(days=10)
    mailed.cycle.self_assessment_ends = ends
    mailed.cycle.save()
    unit = mailed.sheet_a.unit
    windows.extend(mailed.admin, mailed.cycle, Cycle.SELF, extended, "mất điện", unit)

    def told(user: User) -> list[tuple[str, str]]:
        notices = Notification.objects.filter(recipient=user).order_by("kind", "pk")
        return [(n.kind, n.params.get("date") or n.params["until"]) for n in notices]

    remind(today)
    assert told(mailed.officer_a) == [(kinds.STAGE_OPENED, extended.isoformat())]
    assert told(mailed.officer_b) == [
        (kinds.DEADLINE, ends.isoformat()),
        (kinds.STAGE_OPENED, ends.isoformat()),
    ]
    remind(extended - datetime.timedelta(days=3))
    assert told(mailed.officer_a) == [
        (kinds.DEADLINE, extended.isoformat()),
        (kinds.STAGE_OPENED, extended.isoformat()),
    ]
    smtp.inbox.wait(4)
    [opened, reminded] = smtp.inbox.to("can-bo-a@tinh.example")
    assert f"Hạn: {extended.strftime('%d/%m/%Y')}." in opened.get_content()
    assert f"hết hạn ngày {extended.strftime('%d/%m/%Y')}" in str(reminded["Subject"])


def test_a_stage_is_told_to_the_people_it_concerns(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    mailed.move_to(Cycle.APPRAISAL)
    remind(TODAY)
    assert _kinds(mailed.appraiser_a) == [kinds.STAGE_OPENED]
    assert _kinds(mailed.officer_a) == [] and _kinds(mailed.chair) == []


def test_cuts_waiting_for_an_explanation_and_the_answer_are_told_to_the_unit(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    _cut(mailed)
    remind(TODAY)
    assert _kinds(mailed.officer_a) == [kinds.CUT_WAITING, kinds.STAGE_OPENED]
    assert _kinds(mailed.officer_b) == [kinds.STAGE_OPENED]  # no cut on B's sheet
    cut = Notification.objects.get(recipient=mailed.officer_a, kind=kinds.CUT_WAITING)
    assert cut.params["count"] == 1
    assert cut.link == reverse("cycles:sheet-explanations", args=[mailed.sheet_a.pk])
    answered = explanations.explain(
        mailed.officer_a, mailed.leaf(mailed.sheet_a, "1.4"), "Đã bổ sung biên bản."
    )
    explanations.review(mailed.appraiser_a, answered, None, "Biên bản vẫn thiếu chữ ký")
    remind(datetime.date.today())
    [notice] = Notification.objects.filter(
        recipient=mailed.officer_a, kind=kinds.EXPLANATION_ANSWERED
    )
    assert notice.params["code"] == "1.4" and notice.params["outcome"] == "kept"
    smtp.inbox.wait(5)
    [mail] = [m for m in smtp.inbox.to("can-bo-a@tinh.example") if "1.4" in m["Subject"]]
    assert "Giữ nguyên điểm trừ" in mail.get_content()


def test_a_plan_task_due_is_told_to_the_unit_that_answers_for_it(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    mailed.move_to(Cycle.PUBLISHED)
    plan = ImprovementPlan.objects.create(
        cycle=mailed.cycle,
        publication=Publication.objects.get(cycle=mailed.cycle),
        unit=mailed.sheet_a.unit,
        year=2025,
        created_by=mailed.admin,
    )
    due = Task.objects.create(
        plan=plan,
        node_code="1.4",
        responsible=mailed.sheet_b.unit,
        points_now=1,
        points_max=2,
        deadline=TODAY + datetime.timedelta(days=2),
    )
    Task.objects.create(  # done: not told; far: not yet
        plan=plan, node_code="1.5", points_now=1, points_max=2, deadline=TODAY, status=Task.DONE
    )
    Task.objects.create(
        plan=plan,
        node_code="2.1",
        points_now=1,
        points_max=2,
        deadline=TODAY + datetime.timedelta(days=30),
    )
    remind(TODAY)
    [notice] = Notification.objects.filter(kind=kinds.TASK_DUE)
    assert notice.recipient == mailed.officer_b and notice.object_id == due.pk
    smtp.inbox.wait(3)
    assert any(
        "Nhiệm vụ tiêu chí 1.4" in m["Subject"] for m in smtp.inbox.to("can-bo-b@tinh.example")
    )


def test_a_kind_turned_off_is_neither_sent_nor_recorded(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    client = Client()
    client.force_login(mailed.officer_a)
    wanted = [k for k in kinds.KINDS if k != kinds.STAGE_OPENED]
    answer = client.post(reverse("notifications:kinds"), {"kind": wanted})
    assert answer.status_code == 302
    assert list(Muted.objects.filter(user=mailed.officer_a).values_list("kind", flat=True)) == [
        kinds.STAGE_OPENED
    ]
    summary = remind(TODAY)
    assert (summary.recorded, summary.muted) == (1, 1)
    smtp.inbox.wait(1)
    assert smtp.inbox.to("can-bo-a@tinh.example") == []
    assert len(smtp.inbox.to("can-bo-b@tinh.example")) == 1
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert f'value="{kinds.STAGE_OPENED}" checked' not in page
    assert f'value="{kinds.DEADLINE}" checked' in page


def test_an_unknown_kind_is_refused_and_nothing_changes(mailed: World) -> None:
    client = Client()
    client.force_login(mailed.officer_a)
    answer = client.post(
        reverse("notifications:kinds"), {"kind": ["deadline", "<script>"]}, follow=True
    )
    assert "Loại thông báo không có trong danh sách." in answer.content.decode()
    assert not Muted.objects.exists()


def test_the_inbox_shows_a_person_their_own_notices_only(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    remind(TODAY)
    mine = Notification.objects.get(recipient=mailed.officer_a)
    theirs = Notification.objects.get(recipient=mailed.officer_b)
    client = Client()
    client.force_login(mailed.officer_a)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.count('class="unread"') == 1
    assert reverse("notifications:open", args=[mine.pk]) in page
    assert reverse("notifications:open", args=[theirs.pk]) not in page
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    opened = client.post(reverse("notifications:open", args=[mine.pk]))
    assert opened["Location"] == mine.link
    mine.refresh_from_db()
    assert mine.read_at is not None
    admin = Client()
    admin.force_login(mailed.admin)
    assert admin.post(reverse("notifications:open", args=[mine.pk])).status_code == 404
    assert Client().get(reverse("notifications:inbox")).status_code == 302  # sign in first
    english = client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE="en")
    assert "the Self-assessment stage begins" in english.content.decode()
    account = client.get(reverse("accounts:tokens")).content.decode()
    assert reverse("notifications:inbox") in account


def test_a_mail_that_could_not_leave_is_kept_and_sent_by_the_next_run(
    mailed: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    smtp.stop()
    failed = remind(TODAY)
    assert (failed.recorded, failed.emailed, failed.failed) == (2, 0, 2)
    notice = Notification.objects.get(recipient=mailed.officer_a)
    assert notice.sent_at is None and "Error" in notice.email_error
    smtp.start_again()
    again = remind(TODAY)
    assert (again.recorded, again.emailed, again.failed) == (0, 2, 0)
    assert remind(TODAY).emailed == 0
    smtp.inbox.wait(2)
    assert len(smtp.inbox.messages) == 2


def test_a_person_without_an_address_finds_the_notice_in_the_inbox(
    world: World,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    summary = remind(TODAY)
    assert (summary.recorded, summary.emailed) == (2, 0)
    assert smtp.inbox.messages == []


def test_a_notice_met_twice_while_recording_is_recorded_once(mailed: World) -> None:
    """What a second run recording at the same moment meets: the unique key refuses the
    second, the first stays, and the run goes on with the others."""
    from chiso.web.notifications.events import events
    from chiso.web.notifications.sending import _record

    [stage] = [e for e in events(TODAY) if e.kind == kinds.STAGE_OPENED]
    a, b = mailed.officer_a.pk, mailed.officer_b.pk
    made = _record([(stage, a), (stage, a), (stage, b)])
    assert sorted(n.recipient_id for n in made) == [a, b]
    assert Notification.objects.filter(key=stage.key).count() == 2
    assert _record([(stage, a), (stage, b)]) == []
