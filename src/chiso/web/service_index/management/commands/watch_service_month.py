"""``chiso-admin watch_service_month DIR --state FILE --period YYYY-MM --closes-on YYYY-MM-DD``:
the portal's current month, provisional, moved as record files land in DIR (polled every
``--interval`` seconds; a day's file is folded in about two seconds, so the month moves within
a minute), until the day it closes."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chiso.problems import Refusal


class Command(BaseCommand):
    help = "Keep the current month of the service index up to date as record files land."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")
        parser.add_argument("--state", required=True, help="the running index's state file")
        parser.add_argument("--period", required=True, help="the current month, YYYY-MM")
        parser.add_argument("--closes-on", required=True, help="the day it closes, YYYY-MM-DD")
        parser.add_argument("--framework", default="service-index-2022")
        parser.add_argument("--central", help="points of the centrally assessed leaves")
        parser.add_argument("--profile", help="files in the national portal's standard")
        parser.add_argument("--units", help="provinces-34 | provinces-63 | FILE")
        parser.add_argument("--interval", type=float, default=30.0)
        parser.add_argument("--max-seconds", type=float, default=None)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from chiso.frameworks import get_framework
        from chiso.records.monthly_index import read_central
        from chiso.records.periods import parse_periods
        from chiso.records.running import RunningIndex, file_digest, pending_files
        from chiso.records.unit_lists import unit_names
        from chiso.web.service_index.importing import (
            close_month,
            refresh_provisional,
            store_central,
        )

        try:
            closes_on = dt.date.fromisoformat(options["closes_on"])
        except ValueError:
            raise CommandError(f"--closes-on: YYYY-MM-DD ({options['closes_on']}?)") from None
        try:
            fw = get_framework(options["framework"])
            start = parse_periods(options["period"])[0].start
            profile = None
            if options.get("profile"):
                from chiso.records.standard import load_profile

                profile = load_profile(options["profile"])
            central = read_central(options["central"], fw) if options.get("central") else None
            units = unit_names(options["units"]) if options.get("units") else None
        except Refusal as exc:
            raise CommandError("; ".join(p.message("vi") for p in exc.report)) from None
        inbox = Path(options["folder"])
        refused: dict[str, str] = {}
        started = time.monotonic()
        with RunningIndex(options["state"], fw) as running:
            first = True
            while True:
                if dt.date.today() >= closes_on:
                    close_month(options["period"], closes_on)
                    self.stdout.write(f"{options['period']}: closed on {closes_on}")
                    return
                changed = first
                for path in pending_files(inbox, running.taken()):
                    digest = file_digest(path)
                    if refused.get(path.name) == digest:
                        continue
                    try:
                        folded = running.fold_file(path, profile, units, (start.year, start.month))
                    except Refusal as exc:
                        refused[path.name] = digest
                        self.stderr.write(
                            f"{path.name}: " + "; ".join(p.render("vi") for p in exc.report)
                        )
                        continue
                    changed = True
                    self.stdout.write(f"{folded.name}: {folded.rows}")
                if changed:
                    try:
                        month = refresh_provisional(
                            fw.code,
                            options["period"],
                            closes_on,
                            running.values(),
                            dt.date.today(),
                        )
                    except Refusal as exc:
                        raise CommandError("; ".join(p.message("vi") for p in exc.report)) from None
                    if central is not None:
                        store_central(month, central)
                first = False
                if options["once"]:
                    return
                if (
                    options["max_seconds"] is not None
                    and time.monotonic() - started >= options["max_seconds"]
                ):
                    return
                time.sleep(options["interval"])
