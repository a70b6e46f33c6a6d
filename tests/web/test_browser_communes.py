"""The commune cycle clicked through in a real headless Chromium (Debian's chromium, driven by
Playwright): the administrator loads Thái Nguyên's 92 communes from the official list, its
departments and its people from files, and opens the commune cycle; one commune signs in with
the one-time password it was given, assesses itself and submits; the appraiser cuts a point
with a reason; the chair finalises and publishes; the portal shows the commune ranking, and
the map of the 34 provinces of another index is unaffected. Screenshots go to
artifacts/browser/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from chiso.frameworks import get_framework
from chiso.simulation import province_effects, simulate_scores
from chiso.units.provinces import MERGED_34
from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Cycle, Unit
from web import browser_steps as steps
from web.test_browser import SHOTS, chromium  # noqa: F401  (the autouse fixture, required in CI)

PASSWORD = "mat-khau-trinh-duyet"
DEPARTMENTS = "mã,tên,loại\nTN-S01,Sở Nội vụ,sở\nTN-S02,Sở Tư pháp,sở\n"
PEOPLE = (
    "tên đăng nhập,họ tên,email,mã đơn vị,vai trò\n"
    "xa-dai-tu,Hoàng Văn Đại,daitu@example.vn,05830,cán bộ đơn vị\n"
    "so-noi-vu,Nguyễn Thị Nội,noivu@example.vn,TN-S01,cán bộ đơn vị\n"
)
CHOICES = {"1.1": "đúng hạn", "1.3": "có", "2.1": "có", "3.2": "có"}
ANSWERS = {
    "1.2": "92",
    "1.4": "1.5",
    "1.5": "1",
    "2.2": "3",
    "2.3": "2",
    "3.1": "96,5",
    "3.3": "80",
    "3.4": "0",
    "3.5": "2.5",
    "4.1": "4",
    "4.2": "3.5",
    "5.1": "4",
    "5.2": "3",
    "5.3": "0",
    "6.1": "4",
    "6.2": "KAD",
    "7.1": "75",
    "7.2": "3",
    "7.3": "2.5",
    "8.1": "90",
}
NAME = "Chỉ số CCHC UBND các xã, phường 2025"


@pytest.fixture
def province(transactional_db: None) -> int:
    """An administrator, an appraiser and a chair; and PAPI 2025 of the 34 provinces,
    published (simulated), whose map must not change. Returns that cycle's id."""
    from chiso.web.demo import _publish_scores

    for name in ("admin", "tham-dinh", "chu-tich"):
        User.objects.create_user(name, password=PASSWORD)
    admin, chair = User.objects.get(username="admin"), User.objects.get(username="chu-tich")
    Role.objects.create(user=admin, kind=Role.ADMIN)
    units = [
        Unit.objects.create(code=f"N{i:02d}", name=n, kind="province")
        for i, n in enumerate(MERGED_34, start=1)
    ]
    effects = province_effects(2025)
    rows = simulate_scores(
        get_framework("papi-2021"), {n: effects[f"new:{n}"] for n in MERGED_34}, 25
    )
    papi = _publish_scores(
        admin, chair, "PAPI 2025 (mô phỏng)", 2025, "papi-2021", units, {r["unit"]: r for r in rows}
    )
    return papi.pk


def test_the_commune_cycle_from_loading_the_province_to_the_public_ranking(
    live_server: object, province: int, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not touched while pages run
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = str(live_server)
    departments, people = tmp_path / "so-ban-nganh.csv", tmp_path / "nguoi-dung.csv"
    departments.write_text(DEPARTMENTS, encoding="utf-8")
    people.write_text(PEOPLE, encoding="utf-8")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        steps.watch_console(page, errors)

        def login(name: str) -> None:
            steps.sign_in(page, base, name, PASSWORD)

        def shot(name: str) -> None:
            page.screenshot(path=str(SHOTS / f"communes-{name}.png"), full_page=True)

        def advance() -> None:
            """The cycle's next stage, confirmed (the confirmation page lists who is not ready)."""
            page.goto(cycle_url)
            steps.advance(page)

        # the administrator loads the province: communes, departments and people at once
        login("admin")
        page.goto(f"{base}/manage/")
        page.select_option("#province-code", label="Thái Nguyên")
        page.set_input_files("#province-departments", str(departments))
        page.set_input_files("#province-people", str(people))
        steps.click_and_wait(page, "#province-load")
        summary = page.locator("#province-summary").inner_text()
        assert "92 xã, phường, đặc khu mới" in summary and "2 sở, ban, ngành mới" in summary
        row = page.locator("#one-time-passwords tr", has=page.locator("td:text-is('xa-dai-tu')"))
        first_password = row.locator("code").inner_text()
        shot("01-province-loaded")

        # … and opens the commune cycle for all 92 communes, with its council
        page.goto(f"{base}/manage/")
        page.fill("#cycle-name", NAME)
        page.fill("#cycle-year", "2025")
        page.select_option("#cycle-framework", "example-commune-2025")
        checked = page.locator("input[name=units]").evaluate_all(
            """boxes => boxes.filter(b => /^(Xã|Phường|Đặc khu) /.test(
                b.parentElement.textContent.trim())).map(b => { b.checked = true; return 1; })
                .length"""
        )
        assert checked == 92
        steps.click_and_wait(page, "#cycle-create")
        cycle_url = page.url
        for name, kind, unit in (
            ("tham-dinh", "appraiser", "Xã Đại Từ"),
            ("chu-tich", "chair", None),
        ):
            page.goto(f"{base}/manage/")
            page.fill("#role-username", name)
            page.select_option("#role-kind", kind)
            if unit:
                page.locator("#role-units").get_by_role("checkbox", name=unit, exact=True).check()
            page.select_option("#role-cycle", label=NAME)
            steps.click_and_wait(page, "#role-grant")
        advance()  # → self-assessment
        shot("02-cycle-open")

        # the commune signs in with its one-time password, assesses itself and submits
        # a one-time password must be changed before anything else
        steps.sign_in(page, base, "xa-dai-tu", first_password, "Xa-Dai-Tu-2025-rieng")
        page.goto(cycle_url)
        steps.click_and_wait(page, "text=Xã Đại Từ")
        for code, value in CHOICES.items():
            row = page.locator("tr", has=page.locator(f"select[aria-label='{code}']"))
            row.locator(f"select[aria-label='{code}']").select_option(value)
            steps.saved_in_place(page, row, "button:has-text('Lưu')", code)
        for code, value in ANSWERS.items():
            row = page.locator("tr", has=page.locator(f"input[aria-label='{code}']"))
            row.locator(f"input[aria-label='{code}']").fill(value)
            steps.saved_in_place(page, row, "button:has-text('Lưu')", code)
        shot("03-self-assessment")
        steps.confirmed(page, "#submit-sheet")

        login("admin")
        advance()  # → appraisal

        # the appraiser cuts one point, with its reason
        login("tham-dinh")
        page.goto(cycle_url)
        steps.click_and_wait(page, "text=Xã Đại Từ")
        row = page.locator("tr", has=page.locator("input[aria-label='điểm thẩm định 1.4']"))
        row.locator("input[aria-label='điểm thẩm định 1.4']").fill("1")
        row.locator("input[aria-label='lý do 1.4']").fill("Chưa có kế hoạch tuyên truyền quý IV")
        steps.saved_in_place(page, row, "button:has-text('Thẩm định')", "1.4")
        shot("04-appraisal")

        login("admin")
        advance()  # → explanation
        login("chu-tich")
        advance()  # → finalised
        page.fill("input[name=decision_number]", "25/QĐ-UBND (mô phỏng)")
        page.fill("input[name=decision_date]", "2026-02-10")
        page.fill("input[name=decision_body]", "UBND tỉnh Thái Nguyên (mô phỏng)")
        steps.confirmed(page, "#publish")
        shot("05-published")

        # the public reads the commune ranking; the 34 provinces' map is as it was
        context.clear_cookies()
        page.goto(base)
        steps.click_and_wait(page, f"text={NAME}")
        shot("06-commune-ranking")
        table = page.locator("table").first.inner_text()
        assert "Xã Đại Từ" in table and "Phường Phan Đình Phùng" in table
        assert page.locator("figure.map").count() == 0  # communes are no provinces to map
        page.goto(f"{base}/results/{province}/")
        tiles = page.locator("figure.map svg").first.locator("rect")
        assert tiles.count() == 34
        shot("07-papi-34-map")
        browser.close()
    assert errors == []
    cycle = Cycle.objects.get(name=NAME)
    assert cycle.state == Cycle.PUBLISHED and cycle.sheets.count() == 92
    sheet = cycle.sheets.get(unit__code="05830")
    assert sheet.leaves.get(code="1.4").appraised_points == 1
