"""The service index pages in a real headless Chromium: an axe-core audit (WCAG 2.1 A and AA)
that finds nothing, no console errors, the portal's navigation reaching them with the keyboard,
and a screenshot of each in artifacts/browser/."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from web import browser_steps as steps
from web.test_browser import SHOTS
from web.test_browser_public import browser  # noqa: F401  (the Chromium fixture)
from web.views.services_helpers import two_months


@pytest.fixture
def months(transactional_db: None, tmp_path: Path) -> None:
    two_months(tmp_path)


def test_the_service_pages_pass_the_accessibility_audit_without_console_errors(
    live_server: object,
    months: None,
    browser: Any,  # noqa: F811
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "series": "/services/",
        "month": "/services/2024-02/",
        "unit": f"/services/2024-02/units/{quote('Huế')}/",
        "series-english": "/lang/en/?next=/services/",
    }
    page = browser.new_page(locale="vi-VN")
    errors: list[str] = []
    steps.watch_console(page, errors)
    problems: list[str] = []
    for name, path in pages.items():
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.ok, (name, path)
        page.screenshot(path=str(SHOTS / f"services-{name}.png"), full_page=True)
        problems += steps.audited(page, name)
        problems += [f"{name}: console: {e}" for e in errors]
        errors.clear()
    assert not problems, "\n\n".join(problems)


def test_the_navigation_reaches_a_unit_month_with_the_keyboard(
    live_server: object,
    months: None,
    browser: Any,  # noqa: F811
) -> None:
    page = browser.new_page(locale="vi-VN")
    page.goto(f"{live_server}/")

    def follow(text: str) -> None:
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.textContent.trim()") == text:
                with page.expect_navigation():  # Enter on a link leaves the page
                    page.keyboard.press("Enter")
                return
        raise AssertionError(f"no focusable '{text}'")

    follow("Chỉ số phục vụ")
    assert page.url.endswith("/services/")
    follow("02/2024")  # months as the reader writes them
    assert page.url.endswith("/services/2024-02/")
    follow("Huế")
    assert "/services/2024-02/units/" in page.url
    assert page.locator("h1").inner_text() == "Huế · 02/2024"
