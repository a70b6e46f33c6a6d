"""``chiso backup``, ``chiso restore`` and ``chiso verify``: the installation named by the
environment (``CHISO_DATA_DIR``, ``DATABASE_URL``), as ``chiso serve`` uses it."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

from chiso.cli.output import check_lang, err, fail_with_report, guarded, out
from chiso.i18n import gettext

LANG = typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")


def _django() -> None:
    """Django with the installation's settings. These commands sign nothing, so without
    CHISO_SECRET_KEY a throwaway key is used (the server's own must be set to serve)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.web.settings")
    os.environ.setdefault("CHISO_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()


def backup_command(
    out_path: Annotated[Path, typer.Option("--out", help="the backup file to write")],
    allow_missing: Annotated[
        bool,
        typer.Option(
            "--allow-missing",
            help="back up even if evidence files the database names are missing on disk",
        ),
    ] = False,
    lang: Annotated[str, LANG] = "vi",
) -> None:
    """A consistent backup while the server runs: database, evidence files, uploaded maps and
    frameworks. An evidence file missing on disk fails it (each one named) unless
    --allow-missing."""
    check_lang(lang)

    def run() -> None:
        _django()
        from chiso.web.backup import make_backup

        summary = make_backup(out_path, allow_missing=allow_missing)
        for member in summary.missing:
            err.print(
                gettext("Thiếu trên đĩa, không có trong bản sao lưu: {member}", lang).format(
                    member=member
                )
            )
        out.print(
            gettext(
                "Đã sao lưu {path}: {files} tệp kiểm chứng, {publications} bản công bố, "
                "{size} byte",
                lang,
            ).format(
                path=summary.path,
                files=summary.evidence_files,
                publications=summary.publications,
                size=summary.size,
            )
        )

    guarded(lang, run)


def restore_command(
    backup: Annotated[Path, typer.Argument(help="a file made by chiso backup")],
    lang: Annotated[str, LANG] = "vi",
) -> None:
    """Restore into an empty data folder or database (a non-empty one is refused)."""
    check_lang(lang)

    def run() -> None:
        _django()
        from django.core.management import call_command

        from chiso.web.backup import restore_backup

        manifest = restore_backup(backup)
        call_command("migrate", verbosity=0, interactive=False)  # a backup of an older chiso
        out.print(
            gettext("Đã khôi phục {path} (sao lưu lúc {created})", lang).format(
                path=backup, created=manifest["created_at"]
            )
        )

    guarded(lang, run)


def verify_command(lang: Annotated[str, LANG] = "vi") -> None:
    """Recompute the SHA-256 of every published snapshot and evidence file; exit 0 only when
    all agree with what was recorded."""
    check_lang(lang)

    def run() -> None:
        _django()
        from chiso.web.backup import verify_installation

        report, snapshots, files = verify_installation()
        if report:
            fail_with_report(report, lang)
        out.print(
            gettext("Khớp: {snapshots} bản công bố, {files} tệp kiểm chứng", lang).format(
                snapshots=snapshots, files=files
            )
        )

    guarded(lang, run)
