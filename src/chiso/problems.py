"""Problems found in a user's file, reported all at once, in the user's language.

Every check in chiso adds a :class:`Problem` to a :class:`ProblemReport` instead of raising at
the first one, so a reform officer fixes a file in one pass. A problem names the file, the row
(or line), the column (or field) and the rule it broke; its text comes from the message catalogue
below, in Vietnamese or English.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
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

    def __init__(self) -> None:
        self._problems: list[Problem] = []
        self._unlisted = 0

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


class InputError(Exception):
    """Raised with a report when a user's input cannot be used; nothing has been written."""

    def __init__(self, report: ProblemReport) -> None:
        super().__init__(f"{len(report)} problem(s)")
        self.report = report
