"""The ``chiso`` command: frameworks, score, compare, demo."""

from __future__ import annotations

import typer

from chiso.cli import (
    demo_cmd,
    dossiers_cmd,
    frameworks_cmd,
    report_cmd,
    score_cmd,
    serve_cmd,
    survey_cmd,
)

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
app.add_typer(dossiers_cmd.app, name="dossiers")
app.command("score")(score_cmd.score_command)
app.command("compare")(score_cmd.compare_command)
app.command("demo")(demo_cmd.demo_command)
app.command("serve")(serve_cmd.serve_command)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
