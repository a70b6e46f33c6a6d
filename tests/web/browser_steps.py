"""Steps the Chromium walks share, so each waits for the page the same way.

Why: a click on a link returns before the next page has loaded, and a form htmx has not
yet taken over is posted the old way (a whole page, not the row). A walk that clicks a
row's save on a page still loading then waits for a row that never comes: the flake
CI saw twice. These steps wait for what they need, and nothing else.
"""

from __future__ import annotations

from typing import Any

HTMX_READY = "() => document.readyState === 'complete' && window.htmx !== undefined"


def wait_for_htmx(page: Any) -> None:
    """The page has loaded and htmx has taken over its forms (it does so on DOMContentLoaded,
    which has run once the document is complete)."""
    page.wait_for_function(HTMX_READY)


def saved_in_place(page: Any, row: Any, button: str, code: str) -> None:
    """A row's save: htmx swaps the row, the page stays (no navigation)."""
    wait_for_htmx(page)
    url = page.url
    row.locator(button).click()
    page.locator(f"tr:has(.saved):has-text('Đã lưu tiêu chí {code}')").wait_for()
    assert page.url == url
