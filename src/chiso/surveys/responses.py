"""Read survey responses (CSV or XLSX, one row per respondent) into the columns a design needs,
reporting every problem at once: missing design columns, blank or non-positive weights, blank
domains, answers that are not numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chiso.problems import InputError, ProblemReport
from chiso.tables.sources import Cell, open_table

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
MISSING_TOKENS = {"", "na", "n/a", ".", "nan"}


@dataclass(frozen=True)
class Responses:
    file: str
    n: int
    columns: dict[str, list[Cell]]
    items: list[str]

    def numbers(self, name: str) -> npt.NDArray[np.float64]:
        return np.array([np.nan if v is None else float(v) for v in self.columns[name]])

    def satisfied(
        self, name: str, satisfied: tuple[str, ...], excluded: tuple[str, ...]
    ) -> npt.NDArray[np.float64]:
        """1 where the answer counts as satisfied, 0 where it does not, NaN where it is missing
        or excluded ("don't know")."""
        out = np.full(self.n, np.nan)
        for i, value in enumerate(self.columns[name]):
            text = _text(value)
            if text and text not in excluded:
                out[i] = 1.0 if text in satisfied else 0.0
        return out

    def labels(self, name: str) -> npt.NDArray[np.str_]:
        return np.array([_text(v) for v in self.columns[name]])


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else repr(value)
    return value


def read_responses(
    path: str,
    weight: str,
    strata: str | None,
    psu: str | None,
    fpc: str | None,
    by: str | None,
    items: list[str] | None,
    text_items: bool = False,
    extra: list[str] | None = None,
) -> Responses:
    """Read ``path``; items default to every column that is not a design column."""
    table = open_table(path)
    report = ProblemReport()
    header = table.header
    design_columns = [c for c in (weight, strata, psu, fpc, by, *(extra or [])) if c]
    labels_only = {strata, psu, by, *(extra or [])}
    if text_items and "form_version" in header:
        design_columns.append("form_version")  # an import's record of the form version
    for column in design_columns + (items or []):
        if column not in header:
            report.add("survey.no_column", table.file, 1, column, name=column)
    if report:
        raise InputError(report)
    candidates = items or [c for c in header if c and c not in design_columns]
    wanted = list(dict.fromkeys(design_columns + candidates))
    index = {name: header.index(name) for name in wanted}
    columns: dict[str, list[Cell]] = {name: [] for name in wanted}
    n = 0
    text_columns: set[str] = set()  # columns with text answers: not items unless asked for
    row_numbers: list[int] = []
    for row, cells in table.rows:
        n += 1
        row_numbers.append(row)
        cells = cells + [None] * (len(header) - len(cells))
        for name in wanted:
            value = cells[index[name]]
            if isinstance(value, str):
                if value.strip().casefold() in MISSING_TOKENS:
                    value = None
                elif text_items and name in (items or []):
                    pass  # coded answers, read as text
                elif name == "form_version":
                    pass
                elif name not in labels_only and _NUMBER.match(value.strip()):
                    value = float(value)
                elif name not in labels_only:
                    text_columns.add(name)
            if name == weight and (value is None or float(value) <= 0):
                rule = "survey.weight_missing" if value is None else "survey.weight_not_positive"
                report.add(rule, table.file, row, name, value=value)
            elif name in (labels_only | {fpc}) - {None} and value is None:
                report.add("survey.design_blank", table.file, row, name, name=name)
            columns[name].append(value)
    if n == 0:
        report.add("file.no_rows", table.file)
    chosen = [c for c in candidates if c not in text_columns]
    if items and not text_items:
        for name in sorted(text_columns & set(items)):
            first = next(i for i, v in enumerate(columns[name]) if isinstance(v, str))
            report.add(
                "value.not_number", table.file, row_numbers[first], name, value=columns[name][first]
            )
    if report:
        raise InputError(report)
    return Responses(table.file, n, columns, chosen)
