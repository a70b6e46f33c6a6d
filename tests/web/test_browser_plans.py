"""An improvement plan clicked through in a real headless Chromium: the administrator names the
Department of Home Affairs for domain 1, makes next year's plan of Sở Tư pháp from the published
cycle with an index target, the department's officer marks its task done with its evidence,
and the progress table shows it. Screenshots go to artifacts/browser/."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import User

from chiso.web.accounts.models import Role
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import workflow
from chiso.web.cycles.models import Cycle, LeafScore, Unit
from web import browser_steps as steps
from web.conftest import DECISION
from web.test_browser import SHOTS, chromium  # noqa: F401  (the autouse fixture)

PASSWORD = "mat-khau-trinh-duyet"


@pytest.fixture
def published(transactional_db: None) -> Cycle:
    admin = User.objects.create_user("admin", password=PASSWORD)
    Role.objects.create(user=admin, kind=Role.ADMIN)
    chair = User.objects.create_user("chu-tich", password=PASSWORD)
    justice = Unit.objects.create(code="S01", name="Sở Tư pháp", kind="department")
    health = Unit.objects.create(code="S02", name="Sở Y tế", kind="department")
    home = Unit.objects.create(code="S03", name="Sở Nội vụ", kind="department")
    officer = User.objects.create_user("noi-vu", password=PASSWORD)
    Role.objects.create(user=officer, kind=Role.OFFICER, unit=home)
    cycle = workflow.create_cycle(
        admin, "Chỉ số CCHC 2024", 2024, "example-department-2024", [justice, health]
    )
    Role.objects.create(user=chair, kind=Role.CHAIR, cycle=cycle)
    fw = framework_of(cycle)
    for leaf in fw.leaves():
        for unit, share in ((justice, 0.75), (health, 0.9)):
            LeafScore.objects.filter(sheet__cycle=cycle, sheet__unit=unit, code=leaf.code).update(
                appraised_points=float(leaf.max or 0) * share
            )
    for state in workflow.ORDER[1:-1]:
        workflow.advance(chair if state == Cycle.FINALISED else admin, cycle, state)
    workflow.publish(chair, cycle, decision=DECISION)
    return cycle


def test_a_plan_made_assigned_and_reported_on_in_chromium(
    live_server: object, published: Cycle
) -> None:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not touched while pages run
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = str(live_server)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        steps.watch_console(page, errors)

        def login(name: str) -> None:
            steps.sign_in(page, base, name, PASSWORD)

        login("admin")
        page.goto(f"{base}/plans/map/")
        page.fill("#assign input[name=framework]", "example-department-2024")
        page.select_option("#assign select[name=unit]", label="Sở Tư pháp")
        page.fill("#assign input[name=node]", "1")
        page.select_option("#assign select[name=responsible]", label="Sở Nội vụ")
        # the map's page comes back: read it, not the one being left (#map is on both)
        steps.click_and_wait(page, "#assign button[type=submit]")
        assert "Sở Nội vụ" in page.inner_text("#map")
        page.goto(f"{base}/plans/")
        steps.click_and_wait(page, f"a[href='/plans/new/{published.pk}/']")
        page.select_option("#new-plan select[name=unit]", label="Sở Tư pháp")
        page.fill("#new-plan input[name=index]", "85,5")
        steps.click_and_wait(page, "#new-plan button[type=submit]")
        assert "/plans/" in page.url and "85,5" in page.inner_text("#targets")
        page.screenshot(path=str(SHOTS / "plans-01-plan.png"), full_page=True)
        plan_url = page.url

        login("noi-vu")
        page.goto(plan_url)
        row = page.locator("#tasks tr", has_text="1.2 ")
        row.locator("select[name=status]").select_option("done")
        row.locator("input[name=evidence]").fill("Quyết định 15/QĐ-STP")
        steps.click_and_wait(page, row.locator("button:has-text('Lưu')"))
        assert "Quyết định 15/QĐ-STP" in page.locator("#tasks tr", has_text="1.2 ").inner_html()
        progress = page.inner_text("#progress-unit")
        assert "Sở Nội vụ" in progress
        page.screenshot(path=str(SHOTS / "plans-02-progress.png"), full_page=True)
        browser.close()
    assert not errors, errors
