"""Passwords in a real headless Chromium: a person with a one-time password is taken to the
change page at sign-in and chooses their own; a forgotten password is reset from the mail a
real SMTP server (aiosmtpd) received, and the new one signs in."""

from __future__ import annotations

import os
import re

from django.contrib.auth.models import User

from chiso.web.accounts.one_time import issue_one_time_password
from web import browser_steps as steps
from web.smtp_server import SmtpServer, smtp  # noqa: F401  (the fixture)
from web.test_browser import chromium  # noqa: F401  (the autouse fixture)

NEW = "mat-khau-rieng-cua-toi"


def test_a_one_time_password_is_changed_at_the_first_sign_in_in_chromium(
    live_server: object, transactional_db: None
) -> None:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    user = User.objects.create_user("nguoi-moi")
    first = issue_one_time_password(user)
    base = str(live_server)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        page = browser.new_page(locale="vi-VN")
        steps.watch_console(page, errors)
        steps.sign_in(page, base, "nguoi-moi", first)
        assert page.url.endswith("/accounts/password/")
        assert "Hãy đặt mật khẩu của riêng bạn" in page.inner_text("main")
        page.goto(f"{base}/accounts/tokens/")
        assert page.url.endswith("/accounts/password/")  # nowhere else first
        page.fill("#id_old_password", first)
        page.fill("#id_new_password1", NEW)
        page.fill("#id_new_password2", NEW)
        steps.click_and_wait(page, "#password-change button[type=submit]")
        assert page.is_visible("#password-changed")
        page.goto(f"{base}/accounts/tokens/")
        assert page.url.endswith("/accounts/tokens/")
        browser.close()
    assert errors == []
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_a_forgotten_password_is_reset_from_the_mail_in_chromium(
    live_server: object,
    transactional_db: None,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    User.objects.create_user("quen-mat-khau", email="quen@so.example", password="cu-" * 5)
    base = str(live_server)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        page = browser.new_page(locale="en-GB")
        steps.watch_console(page, errors)
        page.goto(f"{base}/accounts/login/")
        steps.click_and_wait(page, "a[href='/accounts/reset/']")
        page.fill("#id_email", "quen@so.example")
        steps.click_and_wait(page, "#password-reset button[type=submit]")
        assert page.is_visible("#reset-sent")
        smtp.inbox.wait(1)
        [mail] = smtp.inbox.to("quen@so.example")
        found = re.search(r"(https?://\S+/accounts/reset/\S+/)", mail.get_content())
        assert found
        page.goto(found.group(1))
        page.fill("#id_new_password1", NEW)
        page.fill("#id_new_password2", NEW)
        steps.click_and_wait(page, "#password-set button[type=submit]")
        assert page.is_visible("#reset-complete")
        steps.sign_in(page, base, "quen-mat-khau", NEW)  # signed in: not on the sign-in page
        page.goto(found.group(1))
        assert page.is_visible("#bad-link")  # used once
        browser.close()
    assert errors == []


def test_the_password_pages_and_the_inbox_pass_the_accessibility_audit(
    live_server: object,
    transactional_db: None,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    from playwright.sync_api import sync_playwright

    from chiso.web.notifications.models import Notification

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    user = User.objects.create_user("doc-thong-bao", email="doc@so.example", password=NEW)
    Notification.objects.create(
        recipient=user,
        kind="stage_opened",
        key="stage:1:self_assessment",
        object_type="cycle",
        object_id=1,
        params={"cycle": "Chỉ số CCHC 2024", "stage": "self_assessment", "until": "2025-03-30"},
        link="/cycles/1/",
    )
    base = str(live_server)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        page = browser.new_page(locale="vi-VN")
        for path in ("/accounts/reset/", "/accounts/reset/sent/", "/accounts/reset/MQ/x-y/"):
            page.goto(f"{base}{path}")
            problems += steps.audited(page, path)
        steps.sign_in(page, base, "doc-thong-bao", NEW)
        for path in ("/accounts/password/", "/accounts/tokens/", "/notifications/"):
            page.goto(f"{base}{path}")
            problems += steps.audited(page, path)
        assert "Tự đánh giá" in page.inner_text("#notices")
        assert "30/03/2025" in page.inner_text("#notices")
        browser.close()
    assert not problems, "\n\n".join(problems)
