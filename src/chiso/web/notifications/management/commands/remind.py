"""``manage.py remind`` (what ``chiso remind`` runs): record and send today's notices."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chiso.web.notifications.sending import remind


class Command(BaseCommand):
    help = "Record and e-mail today's notices (idempotent: a second run sends nothing again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the day to remind as of (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> str:
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today: {options['today'][:20]!r}") from exc
        summary = remind(today)
        return f"{summary.recorded} {summary.emailed} {summary.failed} {summary.muted}"
