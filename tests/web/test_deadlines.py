"""Deadlines: checked when a cycle opens, shown with the time left, a closed window says why and
until when, and an administrator extends them for the cycle or for one unit, with a reason, in
the audit trail (issue #21)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from chiso.problems import Kind, Refusal
from chiso.web.core.models import AuditEntry
from chiso.web.cycles import scores, windows, workflow
from chiso.web.cycles.models import Cycle, DeadlineExtension, Unit
from web.conftest import World
from web.views.helpers import CONFIRM, as_


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _told(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def _close_self_assessment(world: World) -> None:
    """Time passes: the self-assessment window closed yesterday."""
    Cycle.objects.filter(pk=world.cycle.pk).update(self_assessment_ends=_day(-1))
    world.cycle.refresh_from_db()


def test_a_cycle_cannot_open_with_a_closing_date_already_past(world: World) -> None:
    unit = Unit.objects.get(code="S01")
    with pytest.raises(Refusal) as caught:
        workflow.create_cycle(
            world.admin,
            "2026",
            2026,
            "example-department-2024",
            [unit],
            windows={"self_assessment_ends": _day(-3)},
        )
    assert caught.value.rule == "deadline.past"
    assert caught.value.field == "self_assessment_ends"
    assert Cycle.objects.count() == 1


def test_a_cycle_cannot_open_with_its_deadlines_out_of_order(world: World) -> None:
    unit = Unit.objects.get(code="S01")
    with pytest.raises(Refusal) as caught:
        workflow.create_cycle(
            world.admin,
            "2026",
            2026,
            "example-department-2024",
            [unit],
            windows={"self_assessment_ends": _day(20), "appraisal_ends": _day(10)},
        )
    assert caught.value.rule == "deadline.out_of_order"
    assert caught.value.field == "appraisal_ends"


def test_the_manage_page_names_the_deadline_that_is_past_and_opens_nothing(world: World) -> None:
    response = as_(world, "admin").post(
        reverse("cycles:cycle-create"),
        {
            "units": [world.sheet_a.unit_id],
            "year": "2026",
            "framework": "example-department-2024",
            "self_assessment_ends": _day(-1).isoformat(),
        },
    )
    shown = _day(-1).strftime("%d/%m/%Y")
    assert _told(response) == [
        f"Hạn tự đánh giá: ngày {shown} đã qua; chọn một ngày từ hôm nay trở đi"
    ]
    assert Cycle.objects.count() == 1


def test_a_stage_whose_deadline_has_passed_cannot_be_opened(world: World) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(appraisal_ends=_day(-2))
    with pytest.raises(Refusal) as caught:
        workflow.advance(world.admin, world.cycle, Cycle.APPRAISAL)
    assert caught.value.rule == "deadline.stage_closed"
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.SELF


def test_the_sheet_page_shows_the_deadline_with_the_days_left(world: World) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(self_assessment_ends=_day(9))
    html = as_(world, "officer_a").get(reverse("cycles:sheet", args=[world.sheet_a.pk]))
    shown = _day(9).strftime("%d/%m/%Y")
    assert f"Hạn tự đánh giá: {shown} (còn 9 ngày)" in html.content.decode()
    home = as_(world, "officer_a").get(reverse("cycles:home")).content.decode()
    assert f"Hạn tự đánh giá: {shown} (còn 9 ngày)" in home
    cycle = as_(world, "admin").get(reverse("cycles:cycle", args=[world.cycle.pk]))
    assert f"Hạn tự đánh giá: {shown} (còn 9 ngày)" in cycle.content.decode()


def test_the_deadline_in_english_counts_days_left_and_writes_the_date(world: World) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(self_assessment_ends=_day(0))
    html = as_(world, "officer_a").get(
        reverse("cycles:sheet", args=[world.sheet_a.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Self-assessment deadline: " in html.content.decode()
    assert "(today is the last day)" in html.content.decode()


def test_a_closed_window_says_why_and_since_when_instead_of_locking_silently(
    world: World,
) -> None:
    _close_self_assessment(world)
    html = as_(world, "officer_a").get(reverse("cycles:sheet", args=[world.sheet_a.pk]))
    page = html.content.decode()
    shown = _day(-1).strftime("%d/%m/%Y")
    assert 'id="window-closed"' in page
    assert f"Hạn tự đánh giá đã hết vào ngày {shown}" in page
    assert 'name="action" value="self"' not in page


def test_an_extension_for_one_unit_reopens_its_window_only_and_is_audited(
    world: World,
) -> None:
    _close_self_assessment(world)
    response = as_(world, "admin").post(
        reverse("cycles:cycle-extend", args=[world.cycle.pk]),
        {
            "stage": Cycle.SELF,
            "unit": world.sheet_a.unit_id,
            "ends": _day(5).isoformat(),
            "reason": "mất điện ba ngày",
        },
    )
    assert any(m.startswith("Đã gia hạn cho Sở Tư pháp") for m in _told(response))
    leaf = world.leaf(world.sheet_a)
    scores.save_self_score(world.officer_a, leaf, "2", leaf.version)
    other = world.leaf(world.sheet_b)
    with pytest.raises(Refusal) as caught:
        scores.save_self_score(world.officer_b, other, "2", other.version)
    assert caught.value.kind is Kind.FORBIDDEN
    entry = AuditEntry.objects.get(field="self_assessment_ends")
    assert (entry.object_type, entry.new, entry.reason) == (
        "Unit",
        _day(5).isoformat(),
        "mất điện ba ngày",
    )
    world.cycle.refresh_from_db()
    assert world.cycle.self_assessment_ends == _day(-1)  # the cycle's own date is unchanged
    page = as_(world, "admin").get(reverse("cycles:cycle", args=[world.cycle.pk]))
    assert "mất điện ba ngày" in page.content.decode()


def test_an_extension_for_the_cycle_moves_its_date(world: World) -> None:
    _close_self_assessment(world)
    extension = windows.extend(world.admin, world.cycle, Cycle.SELF, _day(3), "sáp nhập")
    world.cycle.refresh_from_db()
    assert world.cycle.self_assessment_ends == _day(3)
    assert extension.previous == _day(-1) and extension.unit is None
    window = windows.window_of(world.cycle, world.sheet_b.unit_id)
    assert window is not None and window.open and window.days_left == 3


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"ends": "+5", "reason": ""}, "lý do: gia hạn cần nêu lý do"),
        ({"ends": "-1", "reason": "x"}, "Hạn tự đánh giá: ngày {past} đã qua"),
        ({"ends": "", "reason": "x"}, "hạn mới: cần ngày hết hạn mới (YYYY-MM-DD)"),
        ({"ends": "31/12", "reason": "x"}, "'31/12' không phải là ngày (YYYY-MM-DD)"),
    ],
)
def test_a_bad_extension_is_refused_naming_the_field_and_changes_nothing(
    world: World, data: dict[str, str], said: str
) -> None:
    _close_self_assessment(world)
    ends = data["ends"]
    if ends[:1] in "+-" and ends:
        ends = _day(int(ends)).isoformat()
    response = as_(world, "admin").post(
        reverse("cycles:cycle-extend", args=[world.cycle.pk]),
        {"stage": Cycle.SELF, "unit": "", "ends": ends, "reason": data["reason"]},
    )
    told = _told(response)
    assert len(told) == 1
    assert told[0].startswith(said.format(past=_day(-1).strftime("%d/%m/%Y"))), told
    assert not DeadlineExtension.objects.exists()
    world.cycle.refresh_from_db()
    assert world.cycle.self_assessment_ends == _day(-1)


def test_only_the_administrator_extends(world: World) -> None:
    response = as_(world, "chair").post(
        reverse("cycles:cycle-extend", args=[world.cycle.pk]),
        {"stage": Cycle.SELF, "ends": _day(3).isoformat(), "reason": "x"},
    )
    assert response.status_code == 403
    assert not DeadlineExtension.objects.exists()


def test_a_cycle_wide_extension_cannot_pass_the_next_stage_s_deadline(world: World) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(
        self_assessment_ends=_day(2), appraisal_ends=_day(4)
    )
    world.cycle.refresh_from_db()
    with pytest.raises(Refusal) as caught:
        windows.extend(world.admin, world.cycle, Cycle.SELF, _day(6), "chậm")
    assert caught.value.rule == "deadline.out_of_order"
    world.cycle.refresh_from_db()
    assert world.cycle.self_assessment_ends == _day(2)


def test_the_officer_withdraws_a_submitted_sheet_before_the_deadline(world: World) -> None:
    url = reverse("cycles:sheet-submit", args=[world.sheet_a.pk])
    as_(world, "officer_a").post(url, CONFIRM)
    response = as_(world, "officer_a").post(
        reverse("cycles:sheet-withdraw", args=[world.sheet_a.pk])
    )
    assert _told(response) == ["Đã rút lại phiếu để sửa; hãy nộp lại trước khi hết hạn"]
    world.sheet_a.refresh_from_db()
    assert world.sheet_a.state == "draft"
    assert AuditEntry.objects.filter(field="state", old="submitted", new="draft").count() == 1


def test_a_submitted_sheet_cannot_be_withdrawn_after_the_deadline(world: World) -> None:
    as_(world, "officer_a").post(reverse("cycles:sheet-submit", args=[world.sheet_a.pk]), CONFIRM)
    _close_self_assessment(world)
    response = as_(world, "officer_a").post(
        reverse("cycles:sheet-withdraw", args=[world.sheet_a.pk])
    )
    assert _told(response) == ["chỉ rút lại được phiếu đã nộp khi hạn tự đánh giá còn mở"]
    world.sheet_a.refresh_from_db()
    assert world.sheet_a.state == "submitted"
    assert (
        as_(world, "officer_b")
        .post(reverse("cycles:sheet-withdraw", args=[world.sheet_a.pk]))
        .status_code
        == 404
    )


def test_a_stage_already_over_cannot_be_extended(world: World) -> None:
    world.move_to(Cycle.APPRAISAL)
    with pytest.raises(Refusal) as caught:
        windows.extend(world.admin, world.cycle, Cycle.SELF, _day(3), "muộn")
    assert caught.value.rule == "deadline.stage_over" and caught.value.field == "stage"
    page = as_(world, "admin").get(reverse("cycles:cycle", args=[world.cycle.pk]))
    html = page.content.decode()
    assert '<option value="appraisal">' in html and '<option value="self_assessment">' not in html
    assert not DeadlineExtension.objects.exists()
