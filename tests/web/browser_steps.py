"""Steps the Chromium walks share, so each waits for the page the same way.

Why: a click on a link returns before the next page has loaded, and a form htmx has not
yet taken over is posted the old way (a whole page, not the row). A walk that clicks a
row's save on a page still loading then waits for a row that never comes: the flake
CI saw twice. These steps wait for what they need, and nothing else: a click that leaves
the page waits for the next one (:func:`click_and_wait`), a save in place waits for htmx
and for its row (:func:`saved_in_place`).
"""

from __future__ import annotations

import shutil
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
"""Debian's chromium (.ci/run installs it)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
"""The axe-core rules every page is held to: WCAG 2.1 A and AA (colour contrast included)."""
HTMX_READY = "() => document.readyState === 'complete' && window.htmx !== undefined"


def launch(playwright: Any) -> Any:
    """Debian's chromium, headless, without the background traffic a walk does not need."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def watch_console(page: Any, errors: list[str]) -> None:
    """Every console error and uncaught exception of ``page`` is appended to ``errors``."""
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))


def wait_for_htmx(page: Any) -> None:
    """The page has loaded and htmx has taken over its forms (it does so on DOMContentLoaded,
    which has run once the document is complete)."""
    page.wait_for_function(HTMX_READY)


def click_and_wait(page: Any, target: Any) -> None:
    """A click that leaves the page (a link, a plain form's button): returns once the next
    page has loaded. ``target`` is a selector or a locator."""
    with page.expect_navigation():
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()


def confirmed(page: Any, target: Any) -> None:
    """An action that asks first: its button, then the confirmation page's."""
    click_and_wait(page, target)
    click_and_wait(page, "#confirm")


def advance(page: Any) -> None:
    """The cycle page's next stage, then the confirmation page's button (the page lists the
    units not ready)."""
    confirmed(page, "#advance")


def sign_in(
    page: Any, base: str, username: str, password: str, new_password: str | None = None
) -> None:
    """Sign in afresh (the browser forgets whoever was signed in). With ``new_password``,
    the person holds a one-time password: the sign-in leads to the change page, where they
    choose their own."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    click_and_wait(page, "main button[type=submit]")
    if new_password is None:
        assert "/accounts/login/" not in page.url, f"{username} was not signed in"
        return
    assert page.url.endswith("/accounts/password/"), page.url
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    click_and_wait(page, "#password-change button[type=submit]")
    assert page.is_visible("#password-changed")


def saved_in_place(page: Any, row: Any, button: str, code: str) -> None:
    """A row's save: htmx swaps the row, the page stays (no navigation)."""
    wait_for_htmx(page)
    url = page.url
    row.locator(button).click()
    page.locator(f"tr:has(.saved):has-text('Đã lưu tiêu chí {code}')").wait_for()
    assert page.url == url


def audited(page: Any, name: str) -> list[str]:
    """What axe-core finds on the page as it stands (WCAG 2.1 A and AA), one report per page
    with findings; an empty list when it finds nothing."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    if not results.violations_count:
        return []
    return [f"{name} {page.url}\n{results.generate_report()}"]
