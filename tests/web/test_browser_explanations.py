"""The explanation loop, the decision and a correction clicked through in a real headless
Chromium: the officer explains a cut with a file, the appraiser restores part of it, the chair
finalises and publishes with a decision number, a correction changes one unit's number, and
the public sees both revisions and the change (the public revisions page passes axe-core).
Screenshots go to artifacts/browser/."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from chiso.web.accounts.models import Role
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import scores, workflow
from chiso.web.cycles.models import Cycle, LeafScore, Publication, Unit
from web import browser_steps as steps
from web.test_browser import PDF, SHOTS, chromium  # noqa: F401  (the autouse fixture)

PASSWORD = "mat-khau-giai-trinh"


@pytest.fixture
def cycle(transactional_db: None) -> Cycle:
    """Two departments in the explanation stage: each claimed every leaf's maximum; the
    appraiser cut Sở Tư pháp's 1.4 from 2 to 0.5 (so 98.5 and 100 before the loop)."""
    users = {n: User.objects.create_user(n, password=PASSWORD) for n in
             ("admin", "so-tu-phap", "tham-dinh", "chu-tich")}  # fmt: skip
    Role.objects.create(user=users["admin"], kind=Role.ADMIN)
    a = Unit.objects.create(code="S01", name="Sở Tư pháp", kind="department")
    b = Unit.objects.create(code="S02", name="Sở Y tế", kind="department")
    cycle = workflow.create_cycle(
        users["admin"], "Chỉ số CCHC các sở 2024", 2024, "example-department-2024", [a, b]
    )
    Role.objects.create(user=users["so-tu-phap"], kind=Role.OFFICER, unit=a)
    Role.objects.create(user=users["tham-dinh"], kind=Role.APPRAISER, unit=a, cycle=cycle)
    Role.objects.create(user=users["chu-tich"], kind=Role.CHAIR, cycle=cycle)
    fw = framework_of(cycle)
    for node in fw.leaves():
        LeafScore.objects.filter(sheet__cycle=cycle, code=node.code).update(
            self_raw=str(node.max), self_points=node.max
        )
    for state in (Cycle.SELF, Cycle.APPRAISAL):
        workflow.advance(users["admin"], cycle, state)
    leaf = LeafScore.objects.get(sheet__cycle=cycle, sheet__unit=a, code="1.4")
    scores.appraise(users["tham-dinh"], leaf, 0.5, "biên bản kiểm tra thiếu chữ ký", 0)
    workflow.advance(users["admin"], cycle, Cycle.EXPLANATION)
    return cycle


def test_explain_restore_finalise_publish_and_correct_in_chromium(
    live_server: object, cycle: Cycle, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not touched while pages run
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = str(live_server)
    sheet_a = cycle.sheets.get(unit__code="S01")
    sheet_b = cycle.sheets.get(unit__code="S02")
    evidence = tmp_path / "bien-ban-da-ky.pdf"
    evidence.write_bytes(PDF)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page: Any = context.new_page()
        steps.watch_console(page, errors)

        def login(name: str) -> None:
            steps.sign_in(page, base, name, PASSWORD)

        def shot(name: str) -> None:
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

        # the officer sees the cut with its reason and explains it with the signed record
        login("so-tu-phap")
        page.goto(f"{base}/sheets/{sheet_a.pk}/")
        steps.click_and_wait(page, "#explanations-link")
        assert "biên bản kiểm tra thiếu chữ ký" in page.inner_text("#cuts")
        page.fill("textarea[name=text]", "Biên bản đã được ký, gửi kèm bản quét")
        page.set_input_files("input[name=file]", str(evidence))
        steps.click_and_wait(page, "text=Gửi giải trình")
        assert "bien-ban-da-ky.pdf" in page.inner_text("#cuts")
        shot("loop-01-explained")

        # the appraiser restores part of the cut
        login("tham-dinh")
        page.goto(f"{base}/sheets/{sheet_a.pk}/explanations/")
        assert "Biên bản đã được ký" in page.inner_text("#cuts")
        page.fill("input[name=points]", "1,5")
        page.fill("input[name=reason]", "chữ ký bổ sung sau thời điểm kiểm tra")
        steps.click_and_wait(page, "text=Trả lời giải trình")
        assert "Khôi phục một phần" in page.inner_text("#cuts")
        shot("loop-02-restored")

        # the officer sees the score before and after
        login("so-tu-phap")
        page.goto(f"{base}/sheets/{sheet_a.pk}/explanations/")
        assert page.inner_text("#total-before") == "98,50"
        assert page.inner_text("#total-after") == "99,50"

        # the chair finalises and publishes with the decision
        login("chu-tich")
        page.goto(f"{base}/cycles/{cycle.pk}/")
        steps.advance(page)
        page.fill("input[name=decision_number]", "1551/QĐ-UBND")
        page.fill("input[name=decision_date]", "2025-01-20")
        page.fill("input[name=decision_body]", "UBND tỉnh")
        steps.confirmed(page, "#publish")
        shot("loop-03-published")

        # a correction changes Sở Y tế's 1.4 from 2 to 1, published with its own decision
        page.select_option("#correction select[name=sheet]", str(sheet_b.pk))
        page.fill("#correction input[name=code]", "1.4")
        page.fill("#correction input[name=points]", "1")
        page.fill("#correction input[name=reason]", "kiểm tra lại: thiếu một báo cáo")
        steps.click_and_wait(page, "#correction button")
        assert "Đính chính tiêu chí 1.4 của Sở Y tế: 2,00 → 1,00" in page.inner_text("h1")
        steps.click_and_wait(page, "#confirm")
        page.fill("input[name=reason]", "đính chính điểm tiêu chí 1.4 của Sở Y tế")
        page.fill("input[name=decision_number]", "1600/QĐ-UBND")
        page.fill("input[name=decision_date]", "2025-02-03")
        page.fill("input[name=decision_body]", "UBND tỉnh")
        steps.confirmed(page, "#publish")

        # the public: the newest revision with its decision, both revisions and the change
        context.clear_cookies()
        page.goto(f"{base}/results/{cycle.pk}/")
        assert "Quyết định số 1600/QĐ-UBND ngày 03/02/2025 của UBND tỉnh" in page.inner_text(
            "#decision"
        )
        # read the revisions page, not the one being left
        steps.click_and_wait(page, "#revisions-link")
        text = page.inner_text("body")
        assert "Quyết định số 1551/QĐ-UBND" in text and "Quyết định số 1600/QĐ-UBND" in text
        rows = [
            [cell.inner_text() for cell in row.query_selector_all("td")]
            for row in page.query_selector_all("#revision-2 table.changes tbody tr")
        ]
        # Sở Y tế's total and index fall from 100 to 99; the ranks are recomputed, so Sở Tư
        # pháp (99,50, not corrected) moves up to first
        assert rows == [
            ["Sở Tư pháp", "Xếp hạng", "2", "1"],
            ["Sở Y tế", "Tổng điểm", "100,00", "99,00"],
            ["Sở Y tế", "Chỉ số (%)", "100,00", "99,00"],
            ["Sở Y tế", "Xếp hạng", "1", "2"],
        ]
        shot("loop-04-revisions")
        problems = steps.audited(page, "revisions")
        assert not problems, "\n".join(problems)
        browser.close()
    assert errors == []
    first, second = Publication.objects.filter(cycle=cycle).order_by("revision")
    assert second.replaces_sha256 == first.sha256
