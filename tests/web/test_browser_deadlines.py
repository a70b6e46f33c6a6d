"""Issue #21 in a real headless Chromium: a sheet whose window closed says so; the administrator
extends it for the unit on the cycle's page; the officer types again, submits (confirmed) and
withdraws; the appraiser accepts a domain in one action and confirms 'not applicable' in place;
the sheet's page passes axe-core."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from chiso.web.accounts.models import Role
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import workflow
from chiso.web.cycles.models import Cycle, LeafScore, Unit
from web import browser_steps as steps
from web.test_browser import chromium  # noqa: F401  (the autouse fixture)

PASSWORD = "mat-khau-thoi-han"


@pytest.fixture
def cycle(transactional_db: None) -> Cycle:
    """Two departments in self-assessment whose window closed yesterday; Sở Tư pháp claimed
    every leaf's maximum and 1.5 not applicable."""
    users = {n: User.objects.create_user(n, password=PASSWORD) for n in
             ("admin", "so-tu-phap", "tham-dinh")}  # fmt: skip
    Role.objects.create(user=users["admin"], kind=Role.ADMIN)
    a = Unit.objects.create(code="S01", name="Sở Tư pháp", kind="department")
    b = Unit.objects.create(code="S02", name="Sở Y tế", kind="department")
    cycle = workflow.create_cycle(
        users["admin"], "Chỉ số CCHC các sở 2025", 2025, "example-department-2024", [a, b]
    )
    Role.objects.create(user=users["so-tu-phap"], kind=Role.OFFICER, unit=a)
    Role.objects.create(user=users["tham-dinh"], kind=Role.APPRAISER, unit=a, cycle=cycle)
    for node in framework_of(cycle).leaves():
        LeafScore.objects.filter(sheet__cycle=cycle, sheet__unit=a, code=node.code).update(
            self_raw=str(node.max), self_points=node.max
        )
    LeafScore.objects.filter(sheet__cycle=cycle, sheet__unit=a, code="1.5").update(
        self_raw="KAD", self_points=None, self_na=True
    )
    workflow.advance(users["admin"], cycle, Cycle.SELF)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Cycle.objects.filter(pk=cycle.pk).update(self_assessment_ends=yesterday)
    return cycle


def test_a_closed_window_extended_then_appraised_at_speed_in_chromium(
    live_server: object, cycle: Cycle
) -> None:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not touched while pages run
    base = str(live_server)
    sheet = cycle.sheets.get(unit__code="S01")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page: Any = context.new_page()
        steps.watch_console(page, errors)

        def login(name: str) -> None:
            steps.sign_in(page, base, name, PASSWORD)

        def click(selector: str) -> None:
            steps.click_and_wait(page, selector)

        # the officer is told why nothing can be typed, and since when
        login("so-tu-phap")
        page.goto(f"{base}/sheets/{sheet.pk}/")
        assert "Hạn tự đánh giá đã hết vào ngày" in page.inner_text("#window-closed")
        assert page.locator("input[name=value]").count() == 0

        # the administrator extends the window for this unit only, with a reason
        login("admin")
        page.goto(f"{base}/cycles/{cycle.pk}/")
        ends = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
        page.select_option("#extend select[name=stage]", "self_assessment")
        page.select_option("#extend select[name=unit]", label="Sở Tư pháp")
        page.fill("#extend input[name=ends]", ends)
        page.fill("#extend input[name=reason]", "mất điện ba ngày")
        click("#extend button")
        assert "Đã gia hạn cho Sở Tư pháp" in page.inner_text("main")
        assert "mất điện ba ngày" in page.inner_text("#extensions")

        # the officer types again, submits (asked first), withdraws, submits again
        login("so-tu-phap")
        page.goto(f"{base}/sheets/{sheet.pk}/")
        assert "(còn 3 ngày)" in page.inner_text("#deadline")
        row = page.locator("tr", has=page.locator("input[aria-label='1.4']"))
        row.locator("input[aria-label='1.4']").fill("1")
        steps.saved_in_place(page, row, "button:has-text('Lưu')", "1.4")
        steps.confirmed(page, "#submit-sheet")
        click("#withdraw-sheet")
        assert "Đã rút lại phiếu" in page.inner_text("main")
        steps.confirmed(page, "#submit-sheet")

        # appraisal: the council member accepts domain 1 in one action, confirms 2.4 empty
        login("admin")
        page.goto(f"{base}/cycles/{cycle.pk}/")
        click("#advance")
        assert "Sở Y tế: chưa nộp phiếu" in page.inner_text("#not-ready")
        click("#confirm")
        login("tham-dinh")
        page.goto(f"{base}/sheets/{sheet.pk}/")
        click("#node-1 button")
        assert "Đã chấp nhận điểm tự đánh giá của 5 tiêu chí" in page.inner_text("main")
        row = page.locator("tr", has=page.locator("input[aria-label='điểm thẩm định 2.4']"))
        row.locator("input[aria-label='điểm thẩm định 2.4']").fill("KAD")
        row.locator("input[aria-label='lý do 2.4']").fill("đơn vị không có nhiệm vụ này")
        steps.saved_in_place(page, row, "button:has-text('Thẩm định')", "2.4")
        problems = steps.audited(page, "sheet")
        assert not problems, "\n".join(problems)
        browser.close()
    assert errors == []
    leaves = {x.code: x for x in LeafScore.objects.filter(sheet=sheet)}
    assert leaves["1.4"].appraised_points == 1.0 and leaves["1.5"].appraised_na
    assert leaves["2.4"].appraised_na and leaves["2.1"].appraised_points is None
