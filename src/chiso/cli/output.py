"""Shared console output: problem reports, numbers, and the guard that keeps tracebacks from
users."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from chiso import environment
from chiso.i18n import gettext, ngettext, pgettext
from chiso.problems import Refusal

if TYPE_CHECKING:
    from chiso.problems import ProblemReport

T = TypeVar("T")


class _Console:
    """A Rich console made afresh for each use, so that it sees the current terminal width
    (``COLUMNS``) and streams, also under a test runner that swaps them.

    A line of plain text to a stream that is not a terminal (a command's "Written: …" in a
    script) is written as it is, which is what Rich writes for it, without importing Rich:
    that import was a twentieth of ``chiso survey estimate``'s time. Anything else is Rich's."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr

    def print(self, *objects: Any, **options: Any) -> None:
        stream = sys.stderr if self._stderr else sys.stdout
        text = objects[0] if len(objects) == 1 and not options else None
        if isinstance(text, str) and plain_line(text, stream):
            stream.write(text + "\n")
            return
        from rich.console import Console

        Console(stderr=self._stderr).print(*objects, **options)

    def __getattr__(self, name: str) -> Any:
        from rich.console import Console  # imported when something is printed

        return getattr(Console(stderr=self._stderr), name)


_EMOJI_LIKE = re.compile(r":\S*:")  # what rich.emoji could replace (:smile:), and more


def plain_line(text: str, stream: Any) -> bool:
    """Whether Rich would write ``text`` to ``stream`` exactly as it is, with a new line: the
    stream is no terminal (as Rich decides it: FORCE_COLOR empty, TTY_COMPATIBLE not 1, no tty),
    so nothing is coloured; the text has no markup (``[``) nor anything like an emoji code
    (two colons with no space between), no space at either end, and only characters one
    cell wide (ASCII and the Vietnamese letters), fewer than the width Rich would wrap at
    (COLUMNS, else the terminal's, else 80)."""
    if "[" in text or _EMOJI_LIKE.search(text) or text != text.strip():
        return False
    if not all(ch.isprintable() and (ch < "\u0300" or "\u1e00" <= ch <= "\u1eff") for ch in text):
        return False
    if environment.value("FORCE_COLOR") != "" or environment.value("TTY_COMPATIBLE") == "1":
        return False
    try:
        if stream.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    return len(text) < _rich_width()


def _rich_width() -> int:
    """The width Rich gives a console that is not a terminal (rich.console.Console.size)."""
    columns = environment.value("COLUMNS")
    if columns.isdigit():
        return int(columns)
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        return width or 80
    return 80


err: Any = _Console(stderr=True)
out: Any = _Console(stderr=False)
MAX_SHOWN = 50


def fail_with_report(report: ProblemReport, lang: str) -> NoReturn:
    from rich.markup import escape
    from rich.table import Table

    count = len(report)
    title = ngettext(
        "{count} lỗi, không ghi kết quả nào",
        "{count} lỗi, không ghi kết quả nào",
        count,
        lang,
    ).format(count=count)
    table = Table(title=title, title_justify="left", show_lines=False)
    for name in (
        pgettext("column", "Tệp", lang),
        pgettext("column", "Dòng", lang),
        pgettext("column", "Cột", lang),
        pgettext("column", "Lỗi", lang),
        pgettext("column", "Quy tắc", lang),
    ):
        table.add_column(name, overflow="fold")
    for i, p in enumerate(report):
        if i >= MAX_SHOWN:
            break
        # as text, not Rich markup: a file name or a message may hold "[…]" ('chiso[spark]')
        table.add_row(
            *(
                escape(cell)
                for cell in (
                    p.file,
                    "" if p.row is None else str(p.row),
                    p.column or "",
                    p.message(lang),
                    p.rule,
                )
            )
        )
    err.print(table)
    if count > MAX_SHOWN:
        from chiso.messages import render

        err.print(render("file.too_many_problems", lang, count=count - MAX_SHOWN))
    raise typer.Exit(1)


def guarded(lang: str, action: Callable[[], T]) -> T:
    """Run ``action``; a refusal (:class:`chiso.problems.Refusal`, of any kind: the command line
    reads files, so its refusals are a file's problems) becomes the table of its problems and
    exit status 1, anything unexpected one clear line (set CHISO_TRACEBACK=1 for the
    traceback; CHISO_DEBUG is the web server's debug mode, which a command does not turn on)."""
    try:
        return action()
    except Refusal as exc:
        fail_with_report(exc.report, lang)
    except typer.Exit:
        raise
    except OSError as exc:
        where = getattr(exc, "filename", None) or ""
        label = gettext("Lỗi tệp", lang)
        err.print(f"[red]{label}:[/red] {where} {exc.strerror or exc}")
        raise typer.Exit(1) from None
    except Exception as exc:
        if environment.flag("CHISO_TRACEBACK"):
            raise
        label = gettext("Lỗi không mong đợi", lang)
        err.print(f"[red]{label}:[/red] {type(exc).__name__}: {exc}")
        raise typer.Exit(70) from None


def check_lang(lang: str) -> str:
    if lang not in ("vi", "en"):
        err.print(f"--lang: 'vi' | 'en' ({lang}?)")
        sys.exit(2)
    return lang
