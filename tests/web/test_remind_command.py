"""``chiso remind`` as cron or a systemd timer runs it: a process of its own, with the
settings from the environment (the database, the SMTP server named in CHISO_EMAIL_HOST),
sending through a real SMTP server (aiosmtpd); and the mail settings read from the
environment, with a bad one refused by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from web.smtp_server import Inbox, free_port

SCRIPT = """
import os, sys
os.environ["CHISO_DEMO"] = "1"
import django
django.setup()
from django.contrib.auth.models import User
from chiso.web.accounts.models import Role
from chiso.web.cycles import workflow
from chiso.web.cycles.models import Cycle, Unit
from django.core.management import call_command
call_command("migrate", verbosity=0)
admin = User.objects.create_user("admin")
Role.objects.create(user=admin, kind="admin")
unit = Unit.objects.create(code="S01", name="Sở Tư pháp", kind="department")
officer = User.objects.create_user("can-bo", email="can-bo@so.example")
Role.objects.create(user=officer, kind="officer", unit=unit)
cycle = workflow.create_cycle(admin, "Chỉ số CCHC 2024", 2024, "example-department-2024", [unit])
workflow.advance(admin, cycle, Cycle.SELF)
"""


def _env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DATABASE_"))}
    env.update(
        CHISO_DATA_DIR=str(tmp_path),
        CHISO_SECRET_KEY="remind-test-only-Hq7vN2pLr9XcW4mZt8KbJ3sYf6DgA1eUo5RiQ0wE",
        CHISO_EMAIL_HOST="127.0.0.1",
        CHISO_EMAIL_PORT=str(port),
        CHISO_EMAIL_TLS="0",
        CHISO_EMAIL_FROM="chiso <chiso@tinh.example>",
        DJANGO_SETTINGS_MODULE="chiso.web.settings",
        PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"),
    )
    return env


def _chiso(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from chiso.cli.app import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_chiso_remind_sends_through_the_configured_server_once(tmp_path: Path) -> None:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = _env(tmp_path, port)
        made = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
        )
        assert made.returncode == 0, made.stderr
        first = _chiso(env, "remind", "--lang", "en")
        assert first.returncode == 0, first.stderr
        assert "New notices: 1; e-mailed: 1" in " ".join(first.stderr.split())
        inbox.wait(1)
        [(rcpt, mail)] = inbox.messages
        assert rcpt == ["can-bo@so.example"]
        assert mail["From"] == "chiso <chiso@tinh.example>"
        second = _chiso(env, "remind")
        assert second.returncode == 0, second.stderr
        assert "Thông báo mới: 0; đã gửi thư: 0" in " ".join(second.stderr.split())
        assert len(inbox.messages) == 1
        wrong_day = _chiso(env, "remind", "--today", "31/12/2025")
        assert wrong_day.returncode == 2
        assert "--today" in wrong_day.stderr
    finally:
        controller.stop()


@pytest.mark.parametrize(
    ("name", "text"), [("CHISO_EMAIL_PORT", "hai mươi lăm"), ("CHISO_EMAIL_TLS", "có")]
)
def test_a_mail_setting_that_cannot_be_used_stops_the_start_by_name(
    tmp_path: Path, name: str, text: str
) -> None:
    shown = _chiso(_env(tmp_path, 25) | {name: text}, "remind")
    assert shown.returncode == 1
    assert name in shown.stderr and "Traceback" not in shown.stderr


def test_mail_goes_to_the_named_server_and_is_printed_without_one(tmp_path: Path) -> None:
    show = (
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, "
        "s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER, s.DEFAULT_FROM_EMAIL)"
    )
    env = _env(tmp_path, 2525) | {
        "CHISO_EMAIL_USER": "chiso",
        "CHISO_EMAIL_PASSWORD": "bi-mat",
        "CHISO_EMAIL_TLS": "1",
    }
    code = f"import django; django.setup(); {show}"
    named = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert named.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "127.0.0.1",
        "2525",
        "True",
        "chiso",
        "chiso",
        "<chiso@tinh.example>",
    ]
    env.pop("CHISO_EMAIL_HOST")
    printed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert printed.stdout.split()[0] == "django.core.mail.backends.console.EmailBackend"
