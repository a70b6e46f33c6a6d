"""Changing a password, the forced change after a one-time password, and a reset by e-mail
through a real SMTP server (aiosmtpd, started by the test): the mail arrives, its link works
once, and nobody learns from the answer whether an address has an account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from chiso.web.accounts.models import Profile
from chiso.web.accounts.one_time import issue_one_time_password, must_change_password
from chiso.web.accounts.roles import grant_role
from chiso.web.cycles.models import Unit
from web.conftest import PASSWORD, World
from web.smtp_server import SmtpServer, smtp  # noqa: F401  (the fixture)

NEW = "mot-mat-khau-moi-dai"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()  # the reset limits count in the cache


def _link(body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)", body)
    assert found, body
    return found.group(1)


def _signs_in(username: str, password: str) -> bool:
    """Through the sign-in page, as a person does (axes counts the failures)."""
    answer = Client().post(reverse("accounts:login"), {"username": username, "password": password})
    return answer.status_code == 302


def _reset(client: Client, address: str) -> Any:
    return client.post(reverse("accounts:password-reset"), {"email": address})


def test_a_reset_mail_arrives_by_smtp_and_its_link_sets_the_new_password(
    db: None,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    User.objects.create_user("can-bo", email="can.bo@so-tu-phap.example", password=PASSWORD)
    client = Client()
    answer = _reset(client, "Can.Bo@so-tu-phap.example")
    assert answer.status_code == 302
    assert answer["Location"] == reverse("accounts:password-reset-done")
    smtp.inbox.wait(1)
    [mail] = smtp.inbox.to("can.bo@so-tu-phap.example")
    assert "đặt lại mật khẩu" in mail["Subject"]
    body = mail.get_content()
    assert "can-bo" in body
    link = _link(body)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and b'id="password-set"' in form.content
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": NEW, "new_password2": NEW},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password-reset-complete")
    assert _signs_in("can-bo", NEW)
    assert not _signs_in("can-bo", PASSWORD)
    # the link works once
    again = Client().get(link, follow=True)
    assert b'id="bad-link"' in again.content


def test_a_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(
    db: None,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    User.objects.create_user("co-dia-chi", email="that@so-y-te.example", password=PASSWORD)
    known = Client().post(
        reverse("accounts:password-reset"), {"email": "that@so-y-te.example"}, follow=True
    )
    unknown = Client().post(
        reverse("accounts:password-reset"), {"email": "nobody@nowhere.example"}, follow=True
    )
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub(b"", known.content) == strip.sub(b"", unknown.content)
    smtp.inbox.wait(1)
    assert [rcpt for rcpt, _ in smtp.inbox.messages] == [["that@so-y-te.example"]]


def test_a_reset_with_no_address_or_a_malformed_one_is_told_and_sends_nothing(
    db: None,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    for bad in ("", "khong-phai-dia-chi", "a@" + "b" * 300 + ".vn"):
        answer = Client().post(reverse("accounts:password-reset"), {"email": bad})
        assert answer.status_code == 200
        assert "Hãy nhập một địa chỉ thư điện tử hợp lệ." in answer.content.decode()
    assert smtp.inbox.messages == []


def test_reset_requests_are_limited_per_visitor_and_per_address(
    db: None,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    User.objects.create_user("nhieu-lan", email="many@so.example", password=PASSWORD)
    client = Client()
    for _ in range(5):
        assert _reset(client, "many@so.example").status_code == 302
    smtp.inbox.wait(3)
    assert len(smtp.inbox.to("many@so.example")) == 3  # no flood of one mailbox
    for i in range(5):
        assert _reset(client, f"other{i}@so.example").status_code == 302
    refused = _reset(client, "many@so.example")
    assert refused.status_code == 429
    assert "quá nhiều yêu cầu" in refused.content.decode().lower()
    english = client.post(
        reverse("accounts:password-reset"),
        {"email": "many@so.example"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.status_code == 429
    assert len(smtp.inbox.to("many@so.example")) == 3


def test_a_one_time_password_must_be_changed_before_anything_else(world: World) -> None:
    unit = Unit.objects.get(code="S01")
    user, first = grant_role(world.admin, "nguoi-moi", "officer", unit, None)
    assert first is not None and must_change_password(user)
    client = Client()
    answer = client.post(
        reverse("accounts:login"), {"username": "nguoi-moi", "password": first}, follow=True
    )
    assert answer.redirect_chain[-1][0] == reverse("accounts:password-change")
    assert "Hãy đặt mật khẩu của riêng bạn" in answer.content.decode()
    for page in (reverse("cycles:home"), reverse("accounts:tokens"), "/api/cycles"):
        blocked = client.get(page)
        assert blocked.status_code == 302, page
        assert blocked["Location"] == reverse("accounts:password-change")
    # a wrong old password changes nothing
    wrong = client.post(
        reverse("accounts:password-change"),
        {"old_password": "sai", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200 and must_change_password(user)
    done = client.post(
        reverse("accounts:password-change"),
        {"old_password": first, "new_password1": NEW, "new_password2": NEW},
    )
    assert done["Location"] == reverse("accounts:password-change-done")
    assert not must_change_password(user)
    assert client.get(reverse("accounts:tokens")).status_code == 200  # still signed in
    assert _signs_in("nguoi-moi", NEW)


def test_a_reset_also_ends_a_one_time_password(
    db: None,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    user = User.objects.create_user("mot-lan", email="once@so.example")
    issue_one_time_password(user)
    _reset(Client(), "once@so.example")
    smtp.inbox.wait(1)
    link = _link(smtp.inbox.to("once@so.example")[0].get_content())
    client = Client()
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert Profile.objects.get(user=user).must_change_password is False
    signed_in = Client()
    signed_in.post(reverse("accounts:login"), {"username": "mot-lan", "password": NEW})
    assert signed_in.get(reverse("accounts:tokens")).status_code == 200


def test_a_new_password_is_held_to_the_rules_and_both_entries_must_match(world: World) -> None:
    client = Client()
    client.force_login(world.officer_a)
    for new1, new2 in (("ngan", "ngan"), ("password123", "password123"), (NEW, NEW + "x")):
        answer = client.post(
            reverse("accounts:password-change"),
            {"old_password": PASSWORD, "new_password1": new1, "new_password2": new2},
        )
        assert answer.status_code == 200
        assert b"errorlist" in answer.content
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(PASSWORD)


def test_a_person_sets_their_own_address_with_their_password(world: World) -> None:
    client = Client()
    client.force_login(world.officer_a)
    url = reverse("accounts:email")
    wrong = client.post(url, {"email": "a@so.example", "password": "sai"}, follow=True)
    assert "mật khẩu hiện tại không đúng" in wrong.content.decode()
    bad = client.post(url, {"email": "khong-phai <dia chi>", "password": PASSWORD}, follow=True)
    assert "không phải là một địa chỉ thư điện tử" in bad.content.decode()
    assert "&lt;dia chi&gt;" in bad.content.decode()  # escaped
    world.officer_a.refresh_from_db()
    assert world.officer_a.email == ""
    done = client.post(url, {"email": " a@so.example ", "password": PASSWORD}, follow=True)
    assert "Đã lưu địa chỉ thư điện tử." in done.content.decode()
    world.officer_a.refresh_from_db()
    assert world.officer_a.email == "a@so.example"
    assert Client().post(url, {"email": "x@y.example", "password": PASSWORD}).status_code == 302
    assert User.objects.filter(email="x@y.example").count() == 0


def test_the_answer_does_not_wait_for_the_mail_server(db: None, settings: Any) -> None:
    """Waiting for the SMTP server would tell an address with an account from one without by
    the time the answer takes: the mail leaves in a thread, and arrives all the same."""
    import asyncio

    from aiosmtpd.controller import Controller

    from web.smtp_server import Inbox, free_port

    class SlowInbox(Inbox):
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            await asyncio.sleep(1.5)
            return await super().handle_DATA(server, session, envelope)

    inbox = SlowInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    try:
        User.objects.create_user("cham", email="slow@so.example", password=PASSWORD)
        import time

        timings = {}
        for address in ("slow@so.example", "none@so.example"):
            start = time.perf_counter()
            assert _reset(Client(), address).status_code == 302
            timings[address] = time.perf_counter() - start
        assert max(timings.values()) < 1.0, timings
        inbox.wait(1, seconds=15)
        assert [rcpt for rcpt, _ in inbox.messages] == [["slow@so.example"]]
    finally:
        controller.stop()
