"""``chiso remind``: record and e-mail today's notices (a stage opened, a deadline 3 days or 1
day away, cuts waiting for an explanation, an explanation answered, a plan's task due).

Run it once a day from cron or a systemd timer (docs/notifications.md); it is idempotent, so
running it again, or more often, sends nothing twice. It runs the web application's ``remind``
command through :func:`chiso.cli.serve_cmd.run_in_django`, with the settings ``chiso serve``
uses (DATABASE_URL, CHISO_EMAIL_HOST…)."""

from datetime import datetime
from typing import Annotated

import typer

from chiso.cli.output import check_lang, err, guarded
from chiso.i18n import gettext


def remind_command(
    today: Annotated[
        datetime | None,
        typer.Option("--today", formats=["%Y-%m-%d"], help="remind as of this day (YYYY-MM-DD)"),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")] = "vi",
) -> None:
    """Record and e-mail today's notices; a second run sends nothing again."""
    check_lang(lang)

    def run() -> list[int]:
        from chiso.cli.serve_cmd import run_in_django

        args = ["--today", today.date().isoformat()] if today else []
        return [int(n) for n in run_in_django("remind", *args).split()]

    recorded, emailed, failed, muted = guarded(lang, run)
    err.print(
        gettext(
            "Thông báo mới: {recorded}; đã gửi thư: {emailed}; chưa gửi được: {failed}; "
            "bỏ qua theo lựa chọn của người nhận: {muted}",
            lang,
        ).format(recorded=recorded, emailed=emailed, failed=failed, muted=muted)
    )
    if failed:
        raise typer.Exit(75)  # EX_TEMPFAIL: the mail server can be tried again by the next run
