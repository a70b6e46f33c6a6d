"""Problems found in a user's file, reported all at once, in the user's language; and the one
error chiso raises when it will not do what it was asked.

Every check in chiso adds a :class:`Problem` to a :class:`ProblemReport` instead of raising at
the first one, so a reform officer fixes a file in one pass. A problem names the file, the row
(or line), the column (or field) and the rule it broke; its text comes from the message catalogue
below, in Vietnamese or English.

A :class:`Refusal` carries such a report (a file's problems) or one rule (an action refused by
the workflow, a request the API cannot answer), with its :class:`Kind`: whether the input breaks
a rule, the person may not do this, the object does not exist, or someone changed it meanwhile.
The library raises it for bad input; the web layer raises it for refusals; each interface tells
it in one place (a page: messages or a 403/404 page; the API: one JSON body with the status of
its kind; the CLI: the table of problems and its exit status).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from chiso.i18n import gettext
from chiso.messages import render


@dataclass(frozen=True)
class Problem:
    rule: str
    file: str
    row: int | None = None
    column: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "vi") -> str:
        return render(self.rule, lang, **self.params)

    def where(self, lang: str = "vi") -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(gettext("dòng {row}", lang).format(row=self.row))
        if self.column is not None:
            parts.append(gettext("cột {column}", lang).format(column=self.column))
        return ", ".join(parts)

    def render(self, lang: str = "vi") -> str:
        return f"{self.where(lang)}: {self.message(lang)} [{self.rule}]"

    def as_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "rule": self.rule,
            "message": self.message(lang),
        }


MAX_PROBLEMS = 200
"""The most problems a report keeps; the others are counted (issue #19: a small file made
262,141 problems, a 45 MB answer). Readers add problems in file order, so those kept are the
first to fix, and a person fixes a file in a few passes rather than reading a million lines."""


class ProblemReport:
    """An ordered collection of problems; empty means the input is valid.

    It keeps the first :data:`MAX_PROBLEMS` and counts the rest: ``len`` is every problem
    found, iteration gives those kept, and :meth:`lines` and :meth:`as_dicts` (what pages, the
    API and the command line show) end with one line saying how many more there are."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self._problems: list[Problem] = []
        self._unlisted = 0
        for problem in problems:
            self._keep(problem)

    def _keep(self, problem: Problem) -> None:
        if len(self._problems) < MAX_PROBLEMS:
            self._problems.append(problem)
        else:
            self._unlisted += 1

    def add(
        self,
        rule: str,
        file: str,
        row: int | None = None,
        column: str | None = None,
        **params: Any,
    ) -> None:
        if len(self._problems) < MAX_PROBLEMS:
            self._problems.append(Problem(rule, file, row, column, params))
        else:
            self._unlisted += 1

    def add_unlisted(self, count: int) -> None:
        """Count ``count`` problems found but not made one by one (a reader that counts
        the broken rows of a table in one query)."""
        self._unlisted += count

    def extend(self, other: ProblemReport) -> None:
        for problem in other._problems:
            self._keep(problem)
        self._unlisted += other._unlisted

    def for_file(self, file: str) -> ProblemReport:
        """The same problems naming ``file`` (a reader that saw a temporary copy of an upload
        reports against the name the user knows)."""
        renamed = ProblemReport()
        renamed._problems = [replace(p, file=file) for p in self._problems]
        renamed._unlisted = self._unlisted
        return renamed

    @property
    def unlisted(self) -> int:
        """How many problems were found beyond those kept."""
        return self._unlisted

    def _more(self, lang: str) -> str:
        return render("file.too_many_problems", lang, count=self._unlisted)

    def lines(self, lang: str = "vi") -> list[str]:
        """Each problem kept as a line, then one saying how many more there are."""
        out = [p.render(lang) for p in self._problems]
        return [*out, self._more(lang)] if self._unlisted else out

    def as_dicts(self, lang: str = "vi") -> list[dict[str, Any]]:
        """Each problem kept as :meth:`Problem.as_dict`, then one (rule
        ``file.too_many_problems``) saying how many more there are."""
        out = [p.as_dict(lang) for p in self._problems]
        if self._unlisted:
            file = self._problems[-1].file if self._problems else ""
            more = Problem("file.too_many_problems", file, params={"count": self._unlisted})
            out.append(more.as_dict(lang))
        return out

    def __bool__(self) -> bool:
        return bool(self._problems) or self._unlisted > 0

    def __len__(self) -> int:
        """Every problem found, kept or only counted."""
        return len(self._problems) + self._unlisted

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._problems)

    @property
    def rules(self) -> set[str]:
        return {p.rule for p in self._problems}


class Kind(StrEnum):
    """Why something is refused; each interface answers each kind its own way."""

    INVALID = "invalid"
    """The input breaks a rule: the person can fix it (a page's messages, API 400)."""
    FORBIDDEN = "forbidden"
    """This person may not do this (a 403 page, API 403)."""
    NOT_FOUND = "not_found"
    """No such object, or one the person may not see: both answer alike (404)."""
    CONFLICT = "conflict"
    """Someone saved the object since it was read; reload and try again (API 409)."""
    TOO_LARGE = "too_large"
    """A file or a request beyond its limit, refused before it is read (API 413)."""
    NO_SPACE = "no_space"
    """The server's disk is full: nothing was kept (API 507)."""
    UNAUTHENTICATED = "unauthenticated"
    """A machine client's key is wrong, expired or revoked (API 401)."""


class Refusal(Exception):
    """What chiso will not do, and why: a file's problems (``Refusal(report)``, each listed) or
    one rule with its parameters (``Refusal("cycle.reason_required")``), with its kind.

    ``rule``, ``params`` and ``field`` are the first problem's (for a file: its column), so a
    caller that tells only one reason reads them alike for both; ``report`` always holds every
    problem (the first :data:`MAX_PROBLEMS`, the others counted). ``kind`` and ``field`` are
    passed by position, so a rule's parameters may have any name (``kind`` is one). Nothing has
    been written when it is raised."""

    def __init__(
        self,
        problems: str | ProblemReport,
        kind: Kind = Kind.INVALID,
        field: str | None = None,
        /,
        **params: Any,
    ) -> None:
        if isinstance(problems, ProblemReport):
            report, self.listed = problems, True
            super().__init__(f"{len(report)} problem(s)")
        else:
            report, self.listed = ProblemReport([Problem(problems, "", None, field, params)]), False
            super().__init__(problems)
        if not report:
            raise ValueError("a refusal says why: its report is empty")
        first = next(iter(report), None) or Problem(
            "file.too_many_problems", "", params={"count": report.unlisted}
        )
        self.kind = kind
        self.report = report
        self.rule: str = first.rule
        self.params: dict[str, Any] = first.params
        self.field: str | None = first.column

    def message(self, lang: str = "vi") -> str:
        """The first reason's text in ``lang``."""
        return render(self.rule, lang, **self.params)
