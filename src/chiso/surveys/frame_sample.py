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
from chiso.surveys.sampling import inclusion_probabilities, simple_random_draw, systematic_draw
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


def _positive(frame: Frame, column: int, rule: str, report: ProblemReport) -> list[float]:
    """The column's numbers, each positive (``rule`` for one that is zero or less)."""
    name = frame.header[column]
    values = []
    for number, row in zip(frame.numbers, frame.rows, strict=True):
        cell = row[column]
        value = _number(cell)
        if value is None or not math.isfinite(value):
            report.add("value.not_number", frame.file, number, name, value=_text(cell))
            values.append(math.nan)
        elif value <= 0:
            report.add(rule, frame.file, number, name, value=_text(cell))
            values.append(math.nan)
        else:
            values.append(value)
    return values


def _standard_deviations(
    frame: Frame, column: int, members: dict[str, list[int]], report: ProblemReport
) -> list[float]:
    """Each stratum's S_h from its variance column: one value per stratum, repeated on its
    rows (a stratum with two different variances is refused, naming it)."""
    name = frame.header[column]
    out = []
    for stratum, rows in members.items():
        values = set()
        for i in rows:
            cell = frame.rows[i][column]
            value = _number(cell)
            if value is None or not math.isfinite(value) or value < 0:
                report.add(
                    "value.not_number", frame.file, frame.numbers[i], name, value=_text(cell)
                )
                continue
            values.add(value)
        if len(values) > 1:
            report.add("survey.variance_varies", frame.file, None, name, stratum=stratum)
        out.append(math.sqrt(min(values)) if values else 0.0)
    return out


def _sizes_given(
    frame: Frame, members: dict[str, list[int]], sizes: Mapping[str, int], report: ProblemReport
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
    members: dict[str, list[int]] = {}
    for i, row in enumerate(frame.rows):
        if stratum_at is None:
            members.setdefault("", []).append(i)
            continue
        name = _text(row[stratum_at])
        if not name:
            report.add("survey.design_blank", frame.file, frame.numbers[i], strata, name=strata)
        members.setdefault(name, []).append(i)
    measures = None if size_at is None else _positive(frame, size_at, "survey.size_zero", report)
    deviations = None
    if variance_at is not None:
        deviations = _standard_deviations(frame, variance_at, members, report)
    names = list(members)
    populations = [len(members[s]) for s in names]
    if isinstance(size, Mapping):
        sizes = _sizes_given(frame, members, size, report)
    if report:
        raise Refusal(report)
    try:
        if not isinstance(size, Mapping):
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
        rows = np.asarray(members[name], dtype=np.intp)
        if n_h == 0:
            continue
        if measures is None:
            probability[rows] = n_h / len(rows)
            chosen[rows[simple_random_draw(len(rows), n_h, rng)]] = True
        else:
            pik = inclusion_probabilities([measures[i] for i in members[name]], n_h)
            probability[rows] = pik
            chosen[rows[systematic_draw(pik, rng)]] = True
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
