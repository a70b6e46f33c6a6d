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


class ProblemReport:
    """An ordered collection of problems; empty means the input is valid."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self._problems: list[Problem] = list(problems)

    def add(
        self,
        rule: str,
        file: str,
        row: int | None = None,
        column: str | None = None,
        **params: Any,
    ) -> None:
        self._problems.append(Problem(rule, file, row, column, params))

    def extend(self, other: ProblemReport) -> None:
        self._problems.extend(other._problems)

    def for_file(self, file: str) -> ProblemReport:
        """The same problems naming ``file`` (a reader that saw a temporary copy of an upload
        reports against the name the user knows)."""
        renamed = ProblemReport()
        renamed._problems = [replace(p, file=file) for p in self._problems]
        return renamed

    def __bool__(self) -> bool:
        return bool(self._problems)

    def __len__(self) -> int:
        return len(self._problems)

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
    THROTTLED = "throttled"
    """Too many requests; wait and try again (API 429)."""


class Refusal(Exception):
    """What chiso will not do, and why: a file's problems (``Refusal(report)``, each listed) or
    one rule with its parameters (``Refusal("cycle.reason_required")``), with its kind.

    ``rule``, ``params`` and ``field`` are the first problem's (for a file: its column), so a
    caller that tells only one reason reads them alike for both; ``report`` always holds every
    problem. ``kind`` and ``field`` are passed by position, so a rule's parameters may have any
    name (``kind`` is one). Nothing has been written when it is raised."""

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
        first = next(iter(report), None)
        if first is None:
            raise ValueError("a refusal says why: its report is empty")
        self.kind = kind
        self.report = report
        self.rule: str = first.rule
        self.params: dict[str, Any] = first.params
        self.field: str | None = first.column

    def message(self, lang: str = "vi") -> str:
        """The first reason's text in ``lang``."""
        return render(self.rule, lang, **self.params)
