"""``chiso-admin add_service_month RECORDS --framework CODE --period YYYY-MM``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

from chiso.problems import Refusal
from chiso.web.service_index.importing import add_month


class Command(BaseCommand):
    help = "Add one month of the service index, computed from dossier records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("records")
        parser.add_argument("--framework", default="service-index-2022")
        parser.add_argument("--period", required=True)
        parser.add_argument(
            "--central", help="points file of the centrally assessed leaves (unit,node,value)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            central = None
            if options.get("central"):
                from chiso.frameworks import get_framework
                from chiso.records.monthly_index import read_central

                central = read_central(options["central"], get_framework(options["framework"]))
            month = add_month(options["records"], options["framework"], options["period"], central)
        except Refusal as exc:
            raise CommandError("; ".join(p.message("vi") for p in exc.report)) from None
        except IntegrityError:
            raise CommandError(f"{options['period']}: already imported") from None
        self.stdout.write(f"{month}: {month.values.count()} values")
