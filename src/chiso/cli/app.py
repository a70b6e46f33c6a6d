"""The ``chiso`` command: frameworks, score, compare, demo.

The commands are listed here by name with the module that defines them, and a run builds only
what it needs: ``chiso survey estimate …`` imports and builds the ``survey`` commands alone,
not the other twenty (Typer turns every command's signature into options before it runs
anything, which cost ``chiso survey estimate`` a tenth of its time); ``chiso --help``, or a
name that is no command, builds them all, so the help and the "no such command" answers are
the whole application's. ``app`` (the whole application, for tests and other callers) is
built when first asked for.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import typer

HELP = (
    "chiso — Chỉ số CCHC, SIPAS, PAPI: khung tiêu chí, chấm điểm, xếp hạng. "
    "Public-administration indices: frameworks, scoring, ranking."
)
GROUPS = {  # name: module whose ``app`` holds the subcommands (registered first, in this order)
    "frameworks": "chiso.cli.frameworks_cmd",
    "survey": "chiso.cli.survey_cmd",
    "report": "chiso.cli.report_cmd",
    "archive": "chiso.cli.archive_cmd",
    "dossiers": "chiso.cli.dossiers_cmd",
    "units": "chiso.cli.units_cmd",
}
COMMANDS = {  # name: (module, function), registered after the groups, in this order
    "score": ("chiso.cli.score_cmd", "score_command"),
    "compare": ("chiso.cli.score_cmd", "compare_command"),
    "demo": ("chiso.cli.demo_cmd", "demo_command"),
    "serve": ("chiso.cli.serve_cmd", "serve_command"),
    "gaps": ("chiso.cli.analysis_cmd", "gaps_command"),
    "plan": ("chiso.cli.analysis_cmd", "plan_command"),
    "ranks": ("chiso.cli.analysis_cmd", "ranks_command"),
    "backup": ("chiso.cli.backup_cmd", "backup_command"),
    "restore": ("chiso.cli.backup_cmd", "restore_command"),
    "verify": ("chiso.cli.backup_cmd", "verify_command"),
    "remind": ("chiso.cli.remind_cmd", "remind_command"),
}


def build(only: str | None = None) -> typer.Typer:
    """The application with every command, or with the one named ``only`` (still a group of
    commands: its usage line and errors are those of the whole application)."""
    made = typer.Typer(
        name="chiso", help=HELP, no_args_is_help=True, pretty_exceptions_enable=False
    )
    for name, module in GROUPS.items():
        if only in (None, name):
            made.add_typer(importlib.import_module(module).app, name=name)
    for name, (module, function) in COMMANDS.items():
        if only in (None, name):
            made.command(name)(getattr(importlib.import_module(module), function))
    if only is not None and only in COMMANDS:
        # Typer makes an application of one command and no callback that command itself
        # (``chiso score …`` would then read ``score`` as its input): a callback that does
        # nothing keeps it a group, as the whole application is
        made.callback()(_group)
    return made


def _group() -> None:
    # no docstring: Typer would show it as the group's help instead of HELP
    pass


def main() -> None:
    # NumPy's OpenBLAS starts a thread per core when imported, and each spins a while waiting
    # for work: on a shared machine that took a third of the CPU time of importing NumPy from
    # the command itself. chiso's arrays are a few thousand long, no work to share among
    # threads; a thread count the person set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from chiso.cli.fast_help import defer_rich_imports

    defer_rich_imports()
    first = sys.argv[1] if len(sys.argv) > 1 else None
    build(first if first in GROUPS or first in COMMANDS else None)()


def __getattr__(name: str) -> Any:
    """``app``: the whole application, built once on first use."""
    if name == "app":
        whole = build()
        globals()["app"] = whole
        return whole
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()
