"""Benchmark: ``chiso remind`` for a province of 63 units with 5 officers each (315 people),
a cycle in self-assessment whose deadline is 3 days away: every officer gets two notices (the
stage, the deadline), 630 mails through a real SMTP server (aiosmtpd on 127.0.0.1).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_remind.py

Prints the first run (record and send), the second run (finds everything recorded, sends
nothing) and, as the reference measured in the same process, Django sending the same number
of ready-made messages to the same server over one connection. The ratio is what finding,
recording and writing the notices costs on top of the mail itself. Targets: the first run
within 3 times the reference; the second run under a second.
"""

from __future__ import annotations

import datetime
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

UNITS = 63
OFFICERS = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Count:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.count += 1
        return "250 OK"


def main() -> None:
    from aiosmtpd.controller import Controller

    port = _free_port()
    received = _Count()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    folder = tempfile.mkdtemp(prefix="chiso-bench-remind-")
    os.environ.update(
        CHISO_DEMO="1",
        CHISO_DATA_DIR=folder,
        CHISO_EMAIL_HOST="127.0.0.1",
        CHISO_EMAIL_PORT=str(port),
        CHISO_EMAIL_TLS="0",
        DJANGO_SETTINGS_MODULE="chiso.web.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.mail import EmailMessage, get_connection
    from django.core.management import call_command

    from chiso.web.accounts.models import Role
    from chiso.web.cycles import workflow
    from chiso.web.cycles.models import Cycle, Unit
    from chiso.web.notifications.sending import remind

    call_command("migrate", verbosity=0)
    admin = User.objects.create_user("admin")
    Role.objects.create(user=admin, kind="admin")
    units = [
        Unit.objects.create(code=f"S{i:02d}", name=f"Sở mô phỏng {i}", kind="department")
        for i in range(1, UNITS + 1)
    ]
    for unit in units:
        for k in range(OFFICERS):
            person = User.objects.create_user(
                f"{unit.code}-{k}", email=f"{unit.code.lower()}-{k}@bench.example"
            )
            Role.objects.create(user=person, kind="officer", unit=unit)
    today = datetime.date(2025, 3, 10)
    cycle = workflow.create_cycle(
        admin,
        "Chỉ số mô phỏng 2024",
        2024,
        "example-department-2024",
        units,
        simulated=True,
        windows={"self_assessment_ends": today + datetime.timedelta(days=3)},
    )
    workflow.advance(admin, cycle, Cycle.SELF)

    start = time.perf_counter()
    first = remind(today)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    second = remind(today)
    second_s = time.perf_counter() - start

    messages = [
        EmailMessage(
            "Chỉ số mô phỏng 2024: bắt đầu giai đoạn Tự đánh giá",
            "Kỳ đánh giá đã chuyển sang giai đoạn Tự đánh giá.\nhttp://127.0.0.1:8000/cycles/1/",
            "chiso <noreply@localhost>",
            [f"bench-{i}@bench.example"],
        )
        for i in range(first.emailed)
    ]
    start = time.perf_counter()
    connection = get_connection()
    connection.send_messages(messages)
    connection.close()
    reference_s = time.perf_counter() - start
    controller.stop()

    print(
        f"people: {UNITS * OFFICERS}; notices recorded: {first.recorded}, mailed: {first.emailed}"
    )
    print(f"first run:  {first_s:.2f} s ({first_s / max(first.emailed, 1) * 1000:.1f} ms a notice)")
    print(f"second run: {second_s:.3f} s (recorded {second.recorded}, mailed {second.emailed})")
    print(f"reference (Django sending {len(messages)} mails): {reference_s:.2f} s")
    print(f"ratio first run / reference: {first_s / reference_s:.2f} (target ≤ 3)")
    print(f"the server received {received.count} mails (expected {first.emailed + len(messages)})")


if __name__ == "__main__":
    main()
