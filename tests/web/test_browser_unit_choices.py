"""Choosing many units in a real headless Chromium (chiso/units.js): on the administrator's
page, a group's "choose all" box chooses every unit of the group and only those, a filter box
finds a unit typed with or without its tones, "choose all" then chooses only the units shown,
and the form opens the cycle and grants the role for exactly what was chosen; the page passes
axe-core with the tools shown."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.contrib.auth.models import User

from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Cycle, Unit
from web.test_browser import CHROMIUM, chromium  # noqa: F401  (the autouse fixture)

PASSWORD = "mat-khau-chon-don-vi"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
DEPARTMENTS = ["Sở Tư pháp", "Sở Y tế", "Sở Nội vụ", "Văn phòng UBND tỉnh"]
COMMUNES = ["Xã Đại Từ", "Xã Dân Tiến", "Xã Yên Bình", "Xã An Khánh", "Xã Đức Lương"]
WARDS = ["Phường Phan Đình Phùng", "Phường Bách Quang"]


@pytest.fixture
def admin(transactional_db: None) -> User:
    user = User.objects.create_user("admin", password=PASSWORD)
    Role.objects.create(user=user, kind=Role.ADMIN)
    for n, name in enumerate(WARDS + COMMUNES + DEPARTMENTS):  # communes first, as the codes
        kind = "department" if name in DEPARTMENTS else "commune"
        Unit.objects.create(code=f"U{n:02d}", name=name, kind=kind)
    return user


def test_choosing_many_units_by_group_and_by_filter_in_chromium(
    live_server: object, admin: User
) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not touched while pages run
    base = str(live_server)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page: Any = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.goto(f"{base}/manage/")
        units = page.locator("#cycle-units")
        legends = units.locator("fieldset > legend").all_inner_texts()
        shown = [" ".join(t.split()) for t in legends]
        assert shown == ["Sở, ban, ngành (4)", "Phường (2)", "Xã (5)"]

        def chosen(box: Any) -> list[str]:
            return [
                " ".join(t.split()) for t in box.locator("li:has(input:checked)").all_inner_texts()
            ]

        # one box chooses the group (and says how many are chosen); again, none of it
        units.get_by_role("checkbox", name="Chọn tất cả: Xã").check()
        assert chosen(units) == sorted_vi(COMMUNES)
        assert "Đã chọn: 5 đơn vị" in units.inner_text()
        units.get_by_role("checkbox", name="Chọn tất cả: Xã").uncheck()
        assert chosen(units) == []
        # a unit chosen by hand makes its group's box "some" (mixed), not "all"
        units.get_by_role("checkbox", name="Sở Y tế", exact=True).check()
        everything = units.get_by_role("checkbox", name="Chọn tất cả: Sở, ban, ngành")
        assert everything.evaluate("b => b.indeterminate") and not everything.is_checked()
        # the filter finds "Đại Từ" typed without its tones, and hides the groups left empty
        units.get_by_label("Lọc theo tên").fill("dai tu")
        assert units.locator("li:visible").all_inner_texts() == [" Xã Đại Từ"]
        assert not units.locator("fieldset:has(legend:text('Phường'))").is_visible()
        # typed with its tones, a name is found as typed: "Đức" is not "Dân" nor "Đại"
        units.get_by_label("Lọc theo tên").fill("Đức")
        assert units.locator("li:visible").all_inner_texts() == [" Xã Đức Lương"]
        units.get_by_label("Lọc theo tên").fill("dai tu")
        units.get_by_label("Lọc theo tên").press("Enter")  # filters, does not send the form
        assert page.url == f"{base}/manage/"
        units.get_by_role("checkbox", name="Chọn tất cả: Xã").check()  # only what is shown
        units.get_by_label("Lọc theo tên").fill("")
        assert chosen(units) == ["Sở Y tế", "Xã Đại Từ"]

        results = Axe().run(page, options=WCAG)
        assert not results.violations_count, results.generate_report()

        page.fill("#cycle-name", "Kỳ chọn theo nhóm")
        page.fill("#cycle-year", "2025")
        page.select_option("#cycle-framework", "example-department-2024")
        with page.expect_navigation():
            page.click("#cycle-create")
        assert "Đã mở kỳ đánh giá Kỳ chọn theo nhóm" in page.inner_text("main")

        # the bulk grant: the wards and the departments by their groups' boxes
        page.goto(f"{base}/manage/")
        roles = page.locator("#role-units")
        page.fill("#role-username", "tham-dinh-nhom")
        page.select_option("#role-kind", "appraiser")
        page.select_option("#role-cycle", label="Kỳ chọn theo nhóm")
        roles.get_by_role("checkbox", name="Chọn tất cả: Phường").check()
        roles.get_by_role("checkbox", name="Chọn tất cả: Sở, ban, ngành").check()
        with page.expect_navigation():
            page.click("#role-grant")
        assert "cho tham-dinh-nhom: 6 quyền" in page.inner_text("main")
        browser.close()
    cycle = Cycle.objects.get(name="Kỳ chọn theo nhóm")
    assert sorted(cycle.units.values_list("name", flat=True)) == sorted(["Sở Y tế", "Xã Đại Từ"])
    granted = Role.objects.filter(user__username="tham-dinh-nhom").values_list("unit__name")
    assert sorted(u for (u,) in granted) == sorted(WARDS + DEPARTMENTS)
    assert not errors, errors


def sorted_vi(names: list[str]) -> list[str]:
    from chiso.vietnamese import sorted_vi as in_order

    return in_order(names)
