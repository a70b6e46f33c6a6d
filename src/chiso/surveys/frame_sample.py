"""A stratified sample drawn from a sampling frame (``chiso survey sample``): the frame's rows
(households, or communes with their population), a stratum column, a sample size per stratum
(given, or a total allocated by :mod:`chiso.surveys.allocation`), and in every stratum either
simple random sampling without replacement or a systematic draw with probabilities
proportional to a size column (:mod:`chiso.surveys.sampling`).

Each selected row comes back with its inclusion probability and its design weight (the
inverse), which ``chiso survey estimate --weight`` reads. All problems of the frame are
reported at once, with their row and column: a blank stratum, a size that is zero, negative
or not a number, a stratum asked for more units than it has.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from chiso.numbers import NotANumber, parse_decimal
from chiso.office.limits import LOCAL
from chiso.problems import ProblemReport, Refusal
from chiso.surveys.allocation import allocate
from chiso.surveys.errors import DesignError
from chiso.surveys.sampling import (
    FloatArray,
    IntArray,
    inclusion_probabilities,
    simple_random_draw,
    systematic_draw,
)
from chiso.tables.sources import Cell, open_table

METHODS = ("srs", "pps")


@dataclass(frozen=True)
class Frame:
    """The frame as read: its header and its rows (with the row numbers the user sees)."""

    file: str
    header: list[str]
    numbers: list[int]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class StratumDraw:
    """One stratum's allocation: its name, its population and its sample size."""

    name: str
    population: int
    size: int


@dataclass(frozen=True)
class DrawnSample:
    """The selected rows (frame order), their inclusion probabilities and design weights."""

    header: list[str]
    rows: list[list[Cell]]
    probabilities: list[float]
    weights: list[float]
    strata: list[StratumDraw]
    seed: int


def read_frame(path: str) -> Frame:
    """The frame's rows; a frame is a person's own file, possibly large (LOCAL limits)."""
    table = open_table(path, LOCAL)
    numbers, rows = [], []
    width = len(table.header)
    for number, cells in table.rows:
        numbers.append(number)
        rows.append((cells + [None] * width)[:width])
    if not rows:
        report = ProblemReport()
        report.add("file.no_rows", table.file)
        raise Refusal(report)
    return Frame(table.file, table.header, numbers, rows)


def _column(frame: Frame, name: str, report: ProblemReport) -> int | None:
    if name in frame.header:
        return frame.header.index(name)
    report.add("survey.no_column", frame.file, None, name, name=name)
    return None


def _text(cell: Cell) -> str:
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return "" if cell is None else cell


def _number(cell: Cell) -> float | None:
    """A cell's number (a dot for decimals, as a frame exported by software has), or None."""
    if isinstance(cell, float):
        return cell
    try:
        return parse_decimal(cell or "", decimal_comma=False)
    except NotANumber:
        return None


def _numbers(frame: Frame, column: int) -> FloatArray:
    """The column's cells as numbers, NaN where a cell is not one (as :func:`_number` reads
    it). A frame may hold a million households: a column of plain numbers is converted at
    once, and only a column with some other cell is read cell by cell."""
    cells = [row[column] for row in frame.rows]
    try:
        values: FloatArray = np.array(cells, dtype=np.float64)
        # float() also reads "1_000", which a person's number never is: that column goes on
        try:
            text = "".join(cells)  # type: ignore[arg-type]  # a CSV's column: all text
        except TypeError:
            text = "".join(c for c in cells if isinstance(c, str))
        if "_" not in text:
            return values
    except (TypeError, ValueError):
        pass
    return np.array([math.nan if (v := _number(c)) is None else v for c in cells])


def _positive(frame: Frame, column: int, rule: str, report: ProblemReport) -> FloatArray:
    """The column's numbers, each positive (``rule`` for one that is zero or less)."""
    name = frame.header[column]
    values = _numbers(frame, column)
    bad = ~(np.isfinite(values) & (values > 0))
    for i in np.flatnonzero(bad).tolist():
        cell = frame.rows[i][column]
        number = frame.numbers[i]
        if math.isfinite(values[i]):
            report.add(rule, frame.file, number, name, value=_text(cell))
        else:
            report.add("value.not_number", frame.file, number, name, value=_text(cell))
    return values


def _standard_deviations(
    frame: Frame, column: int, members: dict[str, IntArray], report: ProblemReport
) -> list[float]:
    """Each stratum's S_h from its variance column: one value per stratum, repeated on its
    rows (a stratum with two different variances is refused, naming it)."""
    name = frame.header[column]
    values = _numbers(frame, column)
    bad = ~(np.isfinite(values) & (values >= 0))
    for i in np.flatnonzero(bad).tolist():
        cell = frame.rows[i][column]
        report.add("value.not_number", frame.file, frame.numbers[i], name, value=_text(cell))
    out = []
    for stratum, rows in members.items():
        distinct = np.unique(values[rows][~bad[rows]])
        if len(distinct) > 1:
            report.add("survey.variance_varies", frame.file, None, name, stratum=stratum)
        out.append(math.sqrt(float(distinct[0])) if len(distinct) else 0.0)
    return out


def _members(
    frame: Frame, column: int | None, strata: str | None, report: ProblemReport
) -> dict[str, IntArray]:
    """The rows of each stratum (positions in the frame), in the order the strata first
    appear; a blank stratum cell is reported with its row. Each distinct cell is named once
    (a workbook's 1.0 and a text "1" are one stratum, "1")."""
    if column is None:
        return {"": np.arange(len(frame.rows), dtype=np.intp)}
    cells = [row[column] for row in frame.rows]
    # each distinct cell once, numbered in the order it first appears (dict keeps it)
    codes = {cell: k for k, cell in enumerate(dict.fromkeys(cells))}
    code_of_row = np.fromiter(map(codes.__getitem__, cells), dtype=np.intp, count=len(cells))
    index: dict[str, int] = {}
    stratum_of_code = np.array([index.setdefault(_text(c), len(index)) for c in codes])
    stratum_of_row = stratum_of_code[code_of_row]
    if "" in index:
        for i in np.flatnonzero(stratum_of_row == index[""]).tolist():
            report.add("survey.design_blank", frame.file, frame.numbers[i], strata, name=strata)
    # stable: each stratum's rows stay in frame order; 16-bit keys sort by radix, in one pass
    keys = stratum_of_row.astype(np.int16) if len(index) < 2**15 else stratum_of_row
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(stratum_of_row[order], np.arange(len(index) + 1))
    return {name: order[bounds[h] : bounds[h + 1]] for name, h in index.items()}


def _sizes_given(
    frame: Frame, members: dict[str, IntArray], sizes: Mapping[str, int], report: ProblemReport
) -> list[int]:
    out = []
    for stratum in members:
        if stratum not in sizes:
            report.add("survey.size_missing", frame.file, None, None, stratum=stratum)
        out.append(sizes.get(stratum, 0))
    for stratum in sizes:
        if stratum not in members:
            report.add("survey.size_unknown_stratum", frame.file, None, None, stratum=stratum)
    return out


def draw_sample(
    frame: Frame,
    strata: str | None,
    size: int | Mapping[str, int],
    method: str,
    seed: int,
    size_column: str | None = None,
    allocation: str = "proportional",
    variance_column: str | None = None,
) -> DrawnSample:
    """Draw the sample (see the module's docstring). ``size`` is a total to allocate, or a
    size per stratum name; ``seed`` seeds the one generator every stratum draws from, in the
    order the strata first appear in the frame."""
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {METHODS}")  # the caller checks
    report = ProblemReport()
    stratum_at = None if strata is None else _column(frame, strata, report)
    size_at = None
    if method == "pps":
        if size_column is None:
            report.add("survey.pps_needs_size", frame.file)
        else:
            size_at = _column(frame, size_column, report)
    variance_at = None if variance_column is None else _column(frame, variance_column, report)
    if report:
        raise Refusal(report)
    members = _members(frame, stratum_at, strata, report)
    measures = None if size_at is None else _positive(frame, size_at, "survey.size_zero", report)
    deviations = None
    if variance_at is not None:
        deviations = _standard_deviations(frame, variance_at, members, report)
    names = list(members)
    populations = [len(members[s]) for s in names]
    sizes = _sizes_given(frame, members, size, report) if isinstance(size, Mapping) else []
    if report:
        raise Refusal(report)
    if not isinstance(size, Mapping):
        try:
            method_of_allocation = "neyman" if deviations is not None else allocation
            sizes = allocate(names, populations, size, method_of_allocation, deviations)
        except DesignError as exc:
            report.add(exc.rule, frame.file, None, strata, **exc.params)
            raise Refusal(report) from None
    for name, n_h, pop in zip(names, sizes, populations, strict=True):
        if n_h > pop or n_h < 0:
            report.add(
                "survey.size_above_stratum",
                frame.file,
                None,
                strata,
                stratum=name,
                size=n_h,
                population=pop,
            )
    if report:
        raise Refusal(report)
    rng = np.random.default_rng(seed)
    probability = np.zeros(len(frame.rows))
    chosen = np.zeros(len(frame.rows), dtype=bool)
    for name, n_h in zip(names, sizes, strict=True):
        rows = members[name]
        if n_h == 0:
            continue
        if measures is None:
            probability[rows] = n_h / len(rows)
            chosen[rows[simple_random_draw(len(rows), n_h, rng)]] = True
        else:
            pik = inclusion_probabilities(measures[rows], n_h)
            probability[rows] = pik
            chosen[rows[systematic_draw(pik, rng.random())]] = True
    picked = np.flatnonzero(chosen).tolist()
    pik_list = probability[picked].tolist()
    return DrawnSample(
        header=frame.header,
        rows=[frame.rows[i] for i in picked],
        probabilities=pik_list,
        weights=[1.0 / p for p in pik_list],
        strata=[StratumDraw(s, p, n) for s, p, n in zip(names, populations, sizes, strict=True)],
        seed=seed,
    )


def read_size_file(path: str) -> dict[str, int]:
    """Sample sizes per stratum: the first column names the stratum, the second its size."""
    table = open_table(path)
    report = ProblemReport()
    sizes: dict[str, int] = {}
    column = table.header[1] if len(table.header) > 1 else None
    for row, cells in table.rows:
        name = _text(cells[0]).strip()
        cell = cells[1] if len(cells) > 1 else None
        value = _number(cell)
        if value is None or not float(value).is_integer() or value < 0:
            report.add("value.not_integer", table.file, row, column, value=_text(cell))
            continue
        sizes[name] = int(value)
    if report:
        raise Refusal(report)
    return sizes
