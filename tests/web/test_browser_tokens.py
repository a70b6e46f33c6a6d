"""The account page in a real headless Chromium: a person makes an API token, a machine
client uses it, the person revokes it and the client is refused."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

from django.contrib.auth.models import User

from web import browser_steps as steps
from web.test_browser import chromium  # noqa: F401  (the autouse fixture)

PASSWORD = "mat-khau-trinh-duyet"


def _status(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            json.load(response)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_a_token_made_on_the_account_page_works_until_it_is_revoked(
    live_server: object, transactional_db: None
) -> None:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    User.objects.create_user("so-tu-phap", password=PASSWORD)
    base = str(live_server)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        page = browser.new_page(locale="vi-VN")
        steps.watch_console(page, errors)
        steps.sign_in(page, base, "so-tu-phap", PASSWORD)
        steps.click_and_wait(page, "header a:has-text('so-tu-phap')")
        page.fill("#token-name", "Hệ thống một cửa")
        page.select_option("#token-scope", "read")
        page.fill("#token-days", "30")
        steps.click_and_wait(page, "#make-token")
        token = page.inner_text("#token-text").strip()
        assert token.startswith("chiso_")
        assert _status(f"{base}/api/cycles", token) == 200
        page.goto(f"{base}/accounts/tokens/")
        assert token not in page.content()  # shown once
        steps.click_and_wait(page, "button.revoke")
        assert "đã thu hồi" in page.inner_text("table")
        assert _status(f"{base}/api/cycles", token) == 401
        browser.close()
    assert errors == []


def test_the_api_documentation_runs_under_the_content_security_policy(
    live_server: object, transactional_db: None
) -> None:
    """Swagger UI from chiso's own static files, with no inline script: the operations
    appear, and the browser reports no refused script or style."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        page = browser.new_page()
        steps.watch_console(page, errors)
        page.goto(f"{live_server}/api/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        assert page.locator(".opblock").count() >= 25
        browser.close()
    assert errors == []
