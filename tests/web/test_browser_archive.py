"""The archive's public pages in a real headless Chromium: no console errors and an axe-core
audit (WCAG 2.1 A and AA, colour contrast included) that finds nothing, in Vietnamese and in
English; screenshots in artifacts/browser/."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest

from web import browser_steps as steps
from web.test_browser import SHOTS
from web.test_browser_public import browser

__all__ = ["browser"]  # the fixture

PAGES = {
    "archive-index": "/archive/",
    "archive-quang-ninh": f"/archive/provinces/{quote('Quảng Ninh')}/",
    "archive-hai-phong-merged": f"/archive/provinces/{quote('Hải Phòng')}/",
    "archive-ha-giang-former": f"/archive/provinces/{quote('Hà Giang')}/",
    "archive-hue-new": f"/archive/provinces/{quote('Huế')}/",
    "archive-english": f"/lang/en/?next=/archive/provinces/{quote('Quảng Ninh')}/",
    "archive-compare": "/archive/compare/?p="
    + "&p=".join(quote(n) for n in ("Quảng Ninh", "Hải Phòng", "Hà Nội", "Lâm Đồng")),
    "archive-compare-form": "/archive/compare/",
}


@pytest.fixture
def archive_loaded(transactional_db: None) -> None:
    from chiso.archive import load_archive
    from chiso.web.archive import store

    store.load(load_archive())


def test_the_archive_pages_pass_the_accessibility_audit_without_console_errors(
    live_server: object, archive_loaded: None, browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    page = browser.new_page(locale="vi-VN")
    errors: list[str] = []
    steps.watch_console(page, errors)
    for name, path in PAGES.items():
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.ok, (name, path)
        page.screenshot(path=str(SHOTS / f"public-{name}.png"), full_page=True)
        problems += steps.audited(page, name)
        problems += [f"{name}: console: {e}" for e in errors]
        errors.clear()
    assert not problems, "\n\n".join(problems)


def test_a_visitor_goes_from_the_header_to_a_province_and_its_data(
    live_server: object, archive_loaded: None, browser: Any
) -> None:
    page = browser.new_page(locale="vi-VN")
    page.goto(f"{live_server}/")
    # each click leaves the page: the next step reads the page it leads to (both have an h1)
    steps.click_and_wait(page, page.get_by_role("link", name="Kết quả đã công bố").first)
    steps.click_and_wait(page, page.get_by_role("link", name="Quảng Ninh", exact=True).first)
    assert page.locator("h1").inner_text() == "Quảng Ninh"
    year = page.locator("th", has_text=re.compile(r"^2023$"))
    row = page.locator("#table-par-index tbody tr").filter(has=year)
    assert row.locator("td").nth(0).inner_text() == "92,18"
    assert page.locator("#papi svg, #papi ~ figure svg").count() >= 1
    with page.expect_download() as download:
        page.goto(f"{live_server}/archive/")
        page.get_by_role("link", name="CSV", exact=True).click()
    assert download.value.suggested_filename == "chiso-archive.csv"


def test_the_comparison_page_at_375_px_is_chosen_read_and_audited(
    live_server: object, archive_loaded: None, browser: Any
) -> None:
    """A phone: the visitor picks two provinces in the form, reads the PAR INDEX table, and
    nothing but the tables' own scrolling regions is wider than the screen; axe finds nothing."""
    page = browser.new_page(locale="vi-VN", viewport={"width": 375, "height": 800})
    errors: list[str] = []
    steps.watch_console(page, errors)
    page.goto(f"{live_server}/archive/compare/")
    page.select_option("#p1", "Quảng Ninh")
    page.select_option("#p2", "Hải Phòng")
    steps.click_and_wait(page, "#compare-form button[type=submit]")
    assert "p=Qu%E1%BA%A3ng+Ninh" in page.url or "p=Qu" in page.url
    year = page.locator("th", has_text=re.compile(r"^2023$"))
    row = page.locator("#compare-par-index tbody tr").filter(has=year)
    assert row.locator("td").nth(0).inner_text() == "92,18 (1)"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    page.screenshot(path=str(SHOTS / "public-archive-compare-375.png"), full_page=True)
    problems = steps.audited(page, "compare-375")
    assert not problems, "\n".join(problems)
    assert not errors
