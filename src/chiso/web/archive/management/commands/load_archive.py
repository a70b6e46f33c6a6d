"""``load_archive``: put the archive of published results into this installation's database
and make its open-data files (what ``chiso archive load`` runs; the files are checked by the
command line first, so a problem is reported before anything is written)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chiso.archive import load_archive
from chiso.archive.open_data import FORMATS
from chiso.web.archive import store


class Command(BaseCommand):
    help = "Load the archive of published results (PAR INDEX, SIPAS, PAPI)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data", default=None, help="sources.yaml and *.csv (default: chiso's)"
        )

    def handle(self, *args: Any, **options: Any) -> str:
        archive = load_archive(options["data"])
        loaded = store.load(archive)
        for kind in FORMATS:
            store.open_data_file(loaded.sha256, archive, kind)
        return f"{loaded.figures} {loaded.sha256}"
