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


class ProblemReport:
    """An ordered collection of problems; empty means the input is valid."""

    def __init__(self) -> None:
        self._problems: list[Problem] = []

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


class InputError(Exception):
    """Raised with a report when a user's input cannot be used; nothing has been written."""

    def __init__(self, report: ProblemReport) -> None:
        super().__init__(f"{len(report)} problem(s)")
        self.report = report
