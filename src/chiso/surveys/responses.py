"""Read survey responses (CSV or XLSX, one row per respondent) into the columns a design needs,
reporting every problem at once: missing design columns, blank or non-positive weights, blank
domains, answers that are not numbers.

Each column is kept as codes into its distinct cells (a survey column has few: "1", "2",
"NA"...), so that a cell is converted and checked once per distinct value rather than once per
row; numbers are an array. A plain CSV file is split with NumPy
(:mod:`chiso.surveys.csv_columns`), anything else row by row through
:func:`chiso.tables.sources.open_table`; both give the same cells, so the same responses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from chiso.office.limits import LOCAL
from chiso.problems import ProblemReport, Refusal
from chiso.surveys.csv_columns import split_body
from chiso.surveys.labels import Factor
from chiso.tables.sources import CSV_SUFFIXES, Cell, Table, decode, open_table
from chiso.vietnamese import nfc

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
MISSING_TOKENS = {"", "na", "n/a", ".", "nan"}
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Column:
    """A column's cells: ``codes[row]`` into the distinct ``values``, except the rows whose
    code is −1, which hold the number ``numbers[row]`` (plain numbers read in bulk)."""

    codes: IntArray
    values: list[Cell]
    numbers: FloatArray | None = None

    def cells(self) -> list[Cell]:
        """Every row's cell (numbers as floats)."""
        out: list[Cell] = [self.values[c] if c >= 0 else None for c in self.codes.tolist()]
        if self.numbers is not None:
            for row in np.flatnonzero(self.codes < 0).tolist():
                out[row] = float(self.numbers[row])
        return out

    def _mapped(self, convert: list[Any], fill: Any, dtype: Any) -> npt.NDArray[Any]:
        lookup = np.asarray([*convert, fill], dtype=dtype)  # code −1: the last entry
        return lookup[self.codes]


@dataclass(frozen=True)
class Responses:
    file: str
    n: int
    columns: dict[str, Column]
    items: list[str]

    def numbers(self, name: str) -> npt.NDArray[np.float64]:
        column = self.columns[name]
        converted = [np.nan if v is None else float(v) for v in column.values]
        out: FloatArray = column._mapped(converted, np.nan, np.float64)
        if column.numbers is not None:
            bulk = column.codes < 0
            out[bulk] = column.numbers[bulk]
        return out

    def satisfied(
        self, name: str, satisfied: tuple[str, ...], excluded: tuple[str, ...]
    ) -> npt.NDArray[np.float64]:
        """1 where the answer counts as satisfied, 0 where it does not, NaN where it is missing
        or excluded ("don't know")."""
        column = self._coded(name)

        def value(cell: Cell) -> float:
            text = _text(cell)
            if text and text not in excluded:
                return 1.0 if text in satisfied else 0.0
            return np.nan

        out: FloatArray = column._mapped([value(v) for v in column.values], np.nan, np.float64)
        return out

    def labels(self, name: str) -> npt.NDArray[np.str_]:
        column = self._coded(name)
        texts = [_text(v) for v in column.values]
        return np.asarray(texts, dtype=str)[column.codes] if texts else np.array([], dtype=str)

    def factor(self, name: str) -> Factor:
        """The column's labels as codes into their sorted distinct texts: what
        :func:`chiso.surveys.labels.factorise` makes of :meth:`labels`, without sorting every
        row's label."""
        column = self._coded(name)
        texts = np.asarray([_text(v) for v in column.values], dtype=str)
        levels, code_of_value = np.unique(texts, return_inverse=True)
        used = np.zeros(len(levels), dtype=bool)
        used[code_of_value[column.codes]] = True
        if not used.all():  # a text no row has (two cells with one text): drop it
            keep = np.cumsum(used) - 1
            levels, code_of_value = levels[used], keep[code_of_value]
        return Factor(code_of_value[column.codes].astype(np.int64), levels)

    def distinct(self, name: str) -> list[Cell]:
        """The column's distinct cells."""
        column = self._coded(name)
        return [column.values[c] for c in np.unique(column.codes).tolist()]

    def _coded(self, name: str) -> Column:
        """The column with every cell among its distinct values (bulk numbers included)."""
        column = self.columns[name]
        if column.numbers is None:
            return column
        codes, values = _factorise(column.cells())
        return Column(codes, values)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else repr(value)
    return value


def _factorise(cells: list[Cell]) -> tuple[IntArray, list[Cell]]:
    index: dict[Cell, int] = {}
    codes = np.asarray([index.setdefault(c, len(index)) for c in cells], dtype=np.intp)
    return codes, list(index)


def _read_columns(
    path: str, table: Table, names: list[str], numeric: set[str]
) -> tuple[IntArray, dict[str, Column]]:
    """The row number of every row of ``table`` (opened from ``path``) and its columns
    ``names`` as :class:`Column`; plain numbers of the ``numeric`` ones in bulk."""
    header = table.header
    index = {name: header.index(name) for name in names}
    if Path(path).suffix.lower() in CSV_SUFFIXES:
        text = table.text  # the text open_table decoded, not decoded again
        if text is None:
            text = nfc(decode(Path(path).read_bytes(), table.file)[0])
        end = text.find("\n")  # the first line without splitting (copying) the rest
        first_line = text if end < 0 else text[:end]
        delimiter = max((",", ";", "\t"), key=first_line.count)
        body = split_body(text, delimiter, len(header))
        if body is not None:
            columns: dict[str, Column] = {}
            for name in names:
                if name in numeric and body.varied(index[name]):
                    # many distinct numbers (weights): converted in bulk, not one by one
                    bulk, plain = body.decimals(index[name])
                    rest = np.flatnonzero(~plain)
                    codes = np.full(body.n_rows, -1, dtype=np.intp)
                    codes[rest], distinct = body.cells(index[name], rest)
                    columns[name] = Column(codes, list(distinct), bulk)
                else:
                    codes, distinct = body.cells(index[name])
                    columns[name] = Column(codes, list(distinct))
            rows = np.arange(2, body.n_rows + 2, dtype=np.intp)  # the header is row 1
            return rows, columns
    cells: dict[str, list[Cell]] = {name: [] for name in names}
    row_numbers: list[int] = []
    for row, values in table.rows:
        row_numbers.append(row)
        values = values + [None] * (len(header) - len(values))
        for name in names:
            cells[name].append(values[index[name]])
    columns = {name: Column(*_factorise(cells[name])) for name in names}
    return np.asarray(row_numbers, dtype=np.intp), columns


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
    # a survey export on the analyst's own disk: tens of thousands of interviews
    table = open_table(path, LOCAL)
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
        raise Refusal(report)
    candidates = items or [c for c in header if c and c not in design_columns]
    wanted = list(dict.fromkeys(design_columns + candidates))

    def as_text(name: str) -> bool:
        """Cells kept as text: labels, the form version, coded answers when asked."""
        coded = text_items and name in (items or [])
        return name in labels_only or name == "form_version" or coded

    numeric = {name for name in wanted if not as_text(name)}
    row_numbers, raw = _read_columns(path, table, wanted, numeric)
    file, n = table.file, len(row_numbers)
    columns: dict[str, Column] = {}
    text_columns: set[str] = set()  # columns with text answers: not items unless asked for
    # problems found per distinct value, reported in the order of the rows and columns
    found: list[tuple[int, int, str, str, Cell]] = []  # (row, column order, rule, name, value)
    for order, name in enumerate(wanted):
        col = raw[name]
        values: list[Cell] = []
        for value in col.values:
            if isinstance(value, str):
                if value.strip().casefold() in MISSING_TOKENS:
                    value = None
                elif name in numeric and _NUMBER.match(value.strip()):
                    value = float(value)
                elif name in numeric:
                    text_columns.add(name)
            values.append(value)
        col = Column(col.codes, values, col.numbers)
        columns[name] = col
        if name == weight:
            # every row whose weight is missing, not a number or not positive, named with its
            # value (a text weight used to end the command with an unexpected ValueError)
            for code, value in enumerate(values):
                if isinstance(value, str):
                    rule = "survey.weight_not_number"
                elif value is None:
                    rule = "survey.weight_missing"
                elif float(value) <= 0:
                    rule = "survey.weight_not_positive"
                else:
                    continue
                found += [(r, order, rule, name, value) for r in _rows_of(col, code)]
            if col.numbers is not None:
                bulk = np.flatnonzero((col.codes < 0) & (col.numbers <= 0)).tolist()
                found += [
                    (r, order, "survey.weight_not_positive", name, float(col.numbers[r]))
                    for r in bulk
                ]
        elif name in (labels_only | {fpc}) - {None}:
            for code, value in enumerate(values):
                if value is None:
                    blank = _rows_of(col, code)
                    found += [(r, order, "survey.design_blank", name, None) for r in blank]
    for r, _, rule, name, value in sorted(found, key=lambda f: (f[0], f[1])):
        row = int(row_numbers[r])
        if rule == "survey.design_blank":
            report.add(rule, file, row, name, name=name)
        else:
            report.add(rule, file, row, name, value=value)
    if n == 0:
        report.add("file.no_rows", file)
    chosen = [c for c in candidates if c not in text_columns]
    if items and not text_items:
        for name in sorted(text_columns & set(items)):
            col = columns[name]
            text_codes = [k for k, v in enumerate(col.values) if isinstance(v, str)]
            first = int(np.flatnonzero(np.isin(col.codes, text_codes))[0])
            value = col.values[int(col.codes[first])]
            report.add("value.not_number", file, int(row_numbers[first]), name, value=value)
    if report:
        raise Refusal(report)
    return Responses(file, n, columns, chosen)


def _rows_of(column: Column, code: int) -> list[int]:
    return np.flatnonzero(column.codes == code).tolist()
