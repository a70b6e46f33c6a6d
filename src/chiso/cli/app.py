"""The ``chiso`` command: frameworks, score, compare, demo."""

from __future__ import annotations

import typer

from chiso.cli import (
    analysis_cmd,
    backup_cmd,
    demo_cmd,
    dossiers_cmd,
    frameworks_cmd,
    report_cmd,
    score_cmd,
    serve_cmd,
    survey_cmd,
)
from chiso.cli.archive_cmd import app as archive_app

app = typer.Typer(
    name="chiso",
    help="chiso — Chỉ số CCHC, SIPAS, PAPI: khung tiêu chí, chấm điểm, xếp hạng. "
    "Public-administration indices: frameworks, scoring, ranking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(frameworks_cmd.app, name="frameworks")
app.add_typer(survey_cmd.app, name="survey")
app.add_typer(report_cmd.app, name="report")
app.add_typer(archive_app, name="archive")
app.add_typer(dossiers_cmd.app, name="dossiers")
app.command("score")(score_cmd.score_command)
app.command("compare")(score_cmd.compare_command)
app.command("demo")(demo_cmd.demo_command)
app.command("serve")(serve_cmd.serve_command)
app.command("gaps")(analysis_cmd.gaps_command)
app.command("plan")(analysis_cmd.plan_command)
app.command("ranks")(analysis_cmd.ranks_command)
app.command("backup")(backup_cmd.backup_command)
app.command("restore")(backup_cmd.restore_command)
app.command("verify")(backup_cmd.verify_command)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
