"""A whole cycle clicked through in a real headless Chromium (Debian's chromium, driven by
Playwright): an administrator opens it, a unit scores itself with evidence, an appraiser cuts
a point with a reason and asks for an explanation, the unit explains, the chair finalises and
publishes, and the public reads the results. Screenshots go to artifacts/browser/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Unit
from web import browser_steps as steps
from web.conftest import DECISION

CHROMIUM = steps.CHROMIUM
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
PASSWORD = "mat-khau-trinh-duyet"
ANSWERS = {
    "1.2": "95",
    "1.4": "2",
    "1.5": "1.5",
    "2.1": "97.5",
    "2.3": "0",
    "2.4": "3.5",
    "3.1": "5",
    "3.2": "4",
    "4.1": "4",
    "4.2": "3.5",
    "4.3": "1",
    "5.1": "4.5",
    "5.2": "KAD",
    "6.1": "3.75",
    "6.2": "60",
    "6.3": "4",
    "7.1": "88.2",
}
CHOICES = {"1.1": "đúng hạn", "1.3": "có", "2.2": "có"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def chromium() -> None:
    """Debian's chromium: required in CI (.ci/run installs it), optional elsewhere."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required in CI (.ci/run installs it)")
        pytest.skip("Debian's chromium is not installed here")


@pytest.fixture
def people(transactional_db: None) -> None:
    for name in ("admin", "so-tu-phap", "tham-dinh", "chu-tich"):
        User.objects.create_user(name, password=PASSWORD)
    Role.objects.create(user=User.objects.get(username="admin"), kind=Role.ADMIN)
    a = Unit.objects.create(code="S01", name="Sở Tư pháp", kind="department")
    Unit.objects.create(code="S02", name="Sở Y tế", kind="department")
    Role.objects.create(user=User.objects.get(username="so-tu-phap"), kind=Role.OFFICER, unit=a)


def test_a_whole_cycle_from_opening_to_publication_in_chromium(
    live_server: object, people: None, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not touched while pages run
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = str(live_server)
    evidence = tmp_path / "bien-ban-kiem-tra.pdf"
    evidence.write_bytes(PDF)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        steps.watch_console(page, errors)

        def login(name: str) -> None:
            steps.sign_in(page, base, name, PASSWORD)

        def shot(name: str) -> None:
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

        # the administrator opens the cycle and names the council
        login("admin")
        steps.click_and_wait(page, "#manage-link")
        page.fill("#cycle-name", "Chỉ số CCHC các sở 2024")
        page.fill("#cycle-year", "2024")
        page.select_option("#cycle-framework", "example-department-2024")
        page.check("text=Sở Tư pháp")
        page.check("text=Sở Y tế")
        shot("01-open-cycle")
        steps.click_and_wait(page, "#cycle-create")  # the cycle's page, whose address is read
        cycle_url = page.url
        page.goto(f"{base}/manage/")
        for name, kind, unit in (
            ("tham-dinh", "appraiser", "Sở Tư pháp"),
            ("chu-tich", "chair", None),
        ):
            page.fill("#role-username", name)
            page.select_option("#role-kind", kind)
            if unit:
                page.locator("#role-units").get_by_role("checkbox", name=unit, exact=True).check()
            page.select_option("#role-cycle", label="Chỉ số CCHC các sở 2024")
            steps.click_and_wait(page, "#role-grant")
        page.goto(cycle_url)
        steps.advance(page)  # → self-assessment
        shot("02-cycle-open")

        # the unit scores itself, attaches evidence and submits
        login("so-tu-phap")
        steps.click_and_wait(page, "text=Sở Tư pháp")
        for code, value in CHOICES.items():
            row = page.locator("tr", has=page.locator(f"select[aria-label='{code}']"))
            row.locator(f"select[aria-label='{code}']").select_option(value)
            steps.saved_in_place(page, row, "button:has-text('Lưu')", code)
        for code, value in ANSWERS.items():
            row = page.locator("tr", has=page.locator(f"input[aria-label='{code}']"))
            row.locator(f"input[aria-label='{code}']").fill(value)
            steps.saved_in_place(page, row, "button:has-text('Lưu')", code)
        row = page.locator("tr", has=page.locator("input[aria-label='tài liệu cho 1.4']"))
        row.locator("input[type=file]").set_input_files(str(evidence))
        # a plain form post: the whole page comes back
        steps.click_and_wait(page, row.locator("button:has-text('Đính kèm')"))
        assert page.locator("a:has-text('bien-ban-kiem-tra.pdf')").count() == 1
        shot("03-self-assessment")
        steps.confirmed(page, "#submit-sheet")
        assert page.locator("text=Đã nộp phiếu của Sở Tư pháp").count() == 1

        login("admin")
        page.goto(cycle_url)
        steps.advance(page)  # → appraisal

        # the appraiser cuts a point, with a reason, and asks for an explanation
        login("tham-dinh")
        steps.click_and_wait(page, "text=Sở Tư pháp")
        row = page.locator("tr", has=page.locator("input[aria-label='điểm thẩm định 1.4']"))
        row.locator("input[aria-label='điểm thẩm định 1.4']").fill("1")
        row.locator("input[aria-label='lý do 1.4']").fill("Thiếu biên bản kiểm tra quý IV")
        steps.saved_in_place(page, row, "button:has-text('Thẩm định')", "1.4")
        row = page.locator("tr", has=page.locator("input[aria-label='nội dung 1.4']"))
        row.locator("input[aria-label='nội dung 1.4']").fill("Đề nghị bổ sung biên bản")
        # a plain form post: the whole page comes back
        steps.click_and_wait(page, row.locator("button:has-text('Yêu cầu giải trình')"))
        shot("04-appraisal")

        login("admin")
        page.goto(cycle_url)
        steps.advance(page)  # → explanation

        login("so-tu-phap")
        steps.click_and_wait(page, "text=Sở Tư pháp")
        row = page.locator("tr", has=page.locator("input[aria-label='nội dung 1.4']"))
        row.locator("input[aria-label='nội dung 1.4']").fill("Đã bổ sung biên bản kiểm tra")
        # a plain form post: the whole page comes back
        steps.click_and_wait(page, row.locator("button:has-text('Giải trình')"))
        shot("05-explanation")

        # the chair finalises and publishes
        login("chu-tich")
        page.goto(cycle_url)
        steps.advance(page)  # → finalised
        page.fill("input[name=decision_number]", "1551/QĐ-UBND")
        page.fill("input[name=decision_date]", "2025-01-20")
        page.fill("input[name=decision_body]", "UBND tỉnh")
        steps.confirmed(page, "#publish")
        assert page.locator("#published-link").count() == 1
        shot("06-published")
        assert page.locator("code").count() == 1  # the snapshot's SHA-256

        # the public reads the results
        context.clear_cookies()
        page.goto(base)
        steps.click_and_wait(page, "text=Chỉ số CCHC các sở 2024")
        shot("07-public-results")
        table = page.locator("table").inner_text()
        # Sở Tư pháp: 84.79 points self-assessed, less the appraised cut of 1 on 1.4
        assert "Sở Tư pháp" in table and "83,79" in table and "88,20" in table
        browser.close()
    assert errors == []


def test_a_value_above_the_maximum_is_flagged_as_it_is_typed(
    live_server: object, people: None
) -> None:
    from playwright.sync_api import sync_playwright

    from chiso.web.cycles import workflow
    from chiso.web.cycles.models import Cycle

    admin = User.objects.get(username="admin")
    cycle = workflow.create_cycle(
        admin, "2024", 2024, "example-department-2024", list(Unit.objects.all())
    )
    workflow.advance(admin, cycle, Cycle.SELF)
    sheet = cycle.sheets.get(unit__code="S01").pk
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = steps.launch(p)
        page = browser.new_page(locale="vi-VN")
        # signed in once the answer has come (a page asked for before then would be the
        # sign-in page again)
        steps.sign_in(page, str(live_server), "so-tu-phap", PASSWORD)
        page.goto(f"{live_server}/sheets/{sheet}/")
        field = page.locator("input[aria-label='1.4']")
        field.fill("7")
        assert field.evaluate("e => e.validationMessage") == "Tối đa 2"
        field.fill("1,5")
        assert field.evaluate("e => e.validity.valid")
        browser.close()


def test_the_public_ranking_filters_and_sorts_in_chromium(
    live_server: object, people: None
) -> None:
    from playwright.sync_api import expect, sync_playwright

    from chiso.web.accounts.models import Role
    from chiso.web.cycles import workflow
    from chiso.web.cycles.models import Cycle, LeafScore

    admin = User.objects.get(username="admin")
    chair = User.objects.get(username="chu-tich")
    cycle = workflow.create_cycle(
        admin,
        "Công bố thử 2024",
        2024,
        "example-department-2024",
        list(Unit.objects.all()),
        simulated=True,
    )
    Role.objects.create(user=chair, kind=Role.CHAIR, cycle=cycle)
    for i, leaf in enumerate(LeafScore.objects.filter(sheet__cycle=cycle).select_related("sheet")):
        LeafScore.objects.filter(pk=leaf.pk).update(self_points=0.5 + (i % 3) * 0.25)
    for state in (Cycle.SELF, Cycle.APPRAISAL, Cycle.EXPLANATION):
        workflow.advance(admin, cycle, state)
    workflow.advance(chair, cycle, Cycle.FINALISED)
    workflow.publish(chair, cycle, decision=DECISION)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        page = browser.new_page(locale="vi-VN")
        steps.watch_console(page, errors)
        page.goto(f"{live_server}/results/{cycle.pk}/")
        page.click("button[data-sort=name]")
        names = page.locator("#ranking tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.name)"
        )
        assert names == ["Sở Tư pháp", "Sở Y tế"]
        page.fill("#search", "y tế")
        visible = page.locator("#ranking tbody tr:not([hidden])").count()
        assert visible == 1
        page.screenshot(path=str(SHOTS / "08-portal-ranking.png"), full_page=True)
        # the click starts a navigation: wait for the profile to load rather than read the
        # page mid-way (content() was once read as '' on a loaded CI machine)
        steps.click_and_wait(page, "text=Sở Y tế")
        assert "/units/" in page.url
        expect(page.locator("body")).to_contain_text("Lĩnh vực")
        page.screenshot(path=str(SHOTS / "09-portal-profile.png"), full_page=True)
        browser.close()
    assert errors == []
