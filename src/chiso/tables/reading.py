"""Read a score input (wide or long, CSV or XLSX) into the arrays the engine takes.

Wide: a ``unit`` column and one column per node code, a value in each cell.
Long: columns ``unit, node, value`` (and ``se`` for survey estimates), one value per row.
Values may be given at any level of the tree, the total included under the reserved code
``total`` (:data:`~chiso.frameworks.model.TOTAL_CODE`, which no node may take), as
``chiso survey estimate --points-out`` writes it with the total's standard error. Every problem
of the file is collected and reported at once; nothing is returned unless the whole file is
valid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from chiso.frameworks.model import TOTAL_CODE, Framework, Node
from chiso.numbers import NotANumber, parse_decimal
from chiso.problems import ProblemReport, Refusal
from chiso.scoring.engine import aggregate
from chiso.scoring.plan import ScoringPlan
from chiso.scoring.rules import NO, YES, RuleError, points_for
from chiso.tables.sources import Cell, open_table

UNIT_NAMES = {"unit", "đơn vị", "don vi", "tên đơn vị", "unit name"}
NODE_NAMES = {"node", "code", "mã", "mã tiêu chí", "tiêu chí"}
VALUE_NAMES = {"value", "giá trị", "điểm", "points"}
SE_NAMES = {"se", "sai số chuẩn", "standard error"}
RANKED_NAMES = {"ranked", "được xếp hạng", "xếp hạng?"}
IGNORED_NAMES = {"stt", "tt", "ghi chú", "note", "notes"}
NA_TOKENS = {"na", "n/a", "kad", "không áp dụng", "khong ap dung", "not applicable"}

_EPS = 1e-9


@dataclass
class ScoreInput:
    file: str
    units: list[str]
    given: npt.NDArray[np.float64]
    na: npt.NDArray[np.bool_]
    ranked: npt.NDArray[np.bool_]
    cells: dict[tuple[int, int], tuple[int, str]] = field(default_factory=dict)
    encoding: str = "utf-8"
    # standard errors of survey-sourced values [node, unit], NaN where none; the plan's root
    # row is the total's. Kept only where the value itself is given.
    se: npt.NDArray[np.float64] | None = None


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


class _Collector:
    def __init__(
        self, framework: Framework, plan: ScoringPlan, file: str, decimal_comma: bool
    ) -> None:
        self.framework = framework
        self.plan = plan
        self.file = file
        self.decimal_comma = decimal_comma
        self.report = ProblemReport()
        self.units: list[str] = []
        self.unit_rows: dict[str, int] = {}
        self.values: list[tuple[int, int, float | None, bool]] = []  # node, unit, value, na
        self.cells: dict[tuple[int, int], tuple[int, str]] = {}
        self.ranked: dict[int, bool] = {}
        self.nodes: dict[int, Node] = {
            pn.position: pn.node for pn in plan.nodes if pn.node is not None
        }
        # the total, read like an inner node: a number between 0 and the total's maximum
        self.nodes[plan.root] = Node(
            TOTAL_CODE, "Tổng điểm", "Total", framework.total_max, children=framework.nodes
        )

    def position(self, code: str) -> int | None:
        """The plan row of a node code or of the reserved total code (any letter case)."""
        if code in self.plan.positions:
            return self.plan.positions[code]
        return self.plan.root if code.casefold() == TOTAL_CODE else None

    def unit(self, raw: Cell, row: int, column: str) -> int | None:
        name = "" if raw is None else (raw if isinstance(raw, str) else _plain(raw))
        name = " ".join(name.split())
        if not name:
            self.report.add("unit.empty", self.file, row, column)
            return None
        if name in self.unit_rows:
            return -1 - self.units.index(name)  # existing unit, encoded negative
        self.unit_rows[name] = row
        self.units.append(name)
        return len(self.units) - 1

    def value(self, position: int, unit: int, raw: Cell, row: int, column: str) -> None:
        if raw is None:
            return
        node = self.nodes[position]
        if isinstance(raw, str) and _key(raw) in NA_TOKENS:
            self.values.append((position, unit, None, True))
            self.cells[(position, unit)] = (row, column)
            return
        parsed: str | float = raw
        if isinstance(raw, str) and (node.children or node.rule.kind not in ("choice", "yes_no")):
            number = self.number(raw, row, column)
            if number is None:
                return
            parsed = number
        try:
            points = points_for(node, parsed) if not node.children else float(parsed)
        except RuleError as err:
            self.report.add(err.rule, self.file, row, column, **err.params)
            return
        if points < node.min - _EPS:
            if node.min == 0:
                self.report.add("value.negative", self.file, row, column, value=_plain(points))
            else:
                self.report.add(
                    "value.below_min",
                    self.file,
                    row,
                    column,
                    value=_plain(points),
                    min=_plain(node.min),
                    node=node.code,
                )
            return
        if node.max is not None and points > node.max + _EPS:
            self.report.add(
                "value.above_max",
                self.file,
                row,
                column,
                value=_plain(points),
                max=_plain(node.max),
                node=node.code,
            )
            return
        self.values.append((position, unit, points, False))
        self.cells[(position, unit)] = (row, column)

    def number(self, text: str, row: int, column: str) -> float | None:
        """The number in a cell (:func:`chiso.numbers.parse_decimal`), or None with the problem
        reported: a decimal comma where none was declared comes with the number to write."""
        try:
            value = parse_decimal(text, decimal_comma=self.decimal_comma, spaces_inside=True)
        except NotANumber:
            if _reads_with_decimal_comma(text):  # refused only because none was declared
                suggest = "".join(text.split()).replace(",", ".")
                self.report.add(
                    "value.decimal_comma", self.file, row, column, value=text, suggest=suggest
                )
                return None
            value = None
        if value is None:
            self.report.add("value.not_number", self.file, row, column, value=text)
        return value

    def flag(self, raw: Cell, row: int, column: str) -> bool | None:
        if raw is None:
            return None
        key = _plain(raw) if isinstance(raw, float) else _key(raw)
        if key in YES:
            return True
        if key in NO:
            return False
        self.report.add("value.bad_flag", self.file, row, column, value=raw)
        return None


def _reads_with_decimal_comma(text: str) -> bool:
    try:
        return parse_decimal(text, decimal_comma=True, spaces_inside=True) is not None
    except NotANumber:
        return False


def _plain(x: float) -> str:
    if not math.isfinite(x):
        return repr(x)
    return str(int(x)) if x == int(x) else repr(x)


def read_scores(
    path: str,
    framework: Framework,
    plan: ScoringPlan,
    decimal_comma: bool = False,
    not_ranked: list[str] | None = None,
    max_rows: int | None = None,
) -> ScoreInput:
    """Read ``path`` against ``framework``; raise :class:`Refusal` listing every problem.

    ``max_rows``: the most rows of values the caller can have a use for (a cycle's import:
    its units times its nodes); a file with more is refused at the first row too many, with
    the problems found above it, instead of being read and checked to its end (500,000 rows
    took 13 s and answered with half a million problems)."""
    table = open_table(path)
    c = _Collector(framework, plan, table.file, decimal_comma)
    keys = [_key(h) for h in table.header]
    seen: dict[str, int] = {}
    for i, (name, key) in enumerate(zip(table.header, keys, strict=True)):
        if not name:
            c.report.add("file.header_empty", table.file, 1, str(i + 1))
        elif key in seen:
            c.report.add("file.header_duplicate", table.file, 1, name, name=name)
        seen.setdefault(key, i)
    unit_col = next((i for i, k in enumerate(keys) if k in UNIT_NAMES), None)
    node_col = next((i for i, k in enumerate(keys) if k in NODE_NAMES), None)
    value_col = next((i for i, k in enumerate(keys) if k in VALUE_NAMES), None)
    ranked_col = next((i for i, k in enumerate(keys) if k in RANKED_NAMES), None)
    long_form = node_col is not None and value_col is not None
    se_col = next((i for i, k in enumerate(keys) if k in SE_NAMES), None) if long_form else None
    errors: dict[tuple[int, int], float] = {}
    columns: dict[int, int] = {}
    if not long_form and unit_col is not None:
        for i, name in enumerate(table.header):
            if i in (unit_col, ranked_col) or not name or keys[i] in IGNORED_NAMES:
                continue
            if seen[keys[i]] != i:
                continue  # a repeated column, reported above: its first copy is read
            at = c.position(name)
            if at is not None:
                columns[i] = at
            else:
                c.report.add(
                    "node.unknown", table.file, 1, name, node=name, framework=framework.code
                )
        if not columns and not c.report:
            c.report.add("file.no_node_columns", table.file, 1)
    if unit_col is None:
        c.report.add("file.no_unit_column", table.file, 1)
        raise Refusal(c.report)
    # A header's problems do not stop the check: the rows are read against the columns that
    # are known, so their bad values and repeated units are in the same report.
    width = len(table.header)
    any_row = False
    for read, (row, cells) in enumerate(table.rows, start=1):
        any_row = True
        if max_rows is not None and read > max_rows:
            # the refusal first: the report lists only its first problems
            refused = ProblemReport()
            refused.add("file.too_many_table_rows", table.file, row, limit=max_rows)
            refused.extend(c.report)
            raise Refusal(refused)
        if len(cells) > width and any(x is not None for x in cells[width:]):
            c.report.add("file.ragged_row", table.file, row, None, found=len(cells), expected=width)
            continue
        cells = cells + [None] * (width - len(cells))
        unit_name = table.header[unit_col]
        u = c.unit(cells[unit_col], row, unit_name)
        if u is None:
            continue
        if long_form:
            assert node_col is not None and value_col is not None
            u = u if u >= 0 else -1 - u
            raw_code = cells[node_col]
            code = (_plain(raw_code) if isinstance(raw_code, float) else raw_code) or ""
            found = c.position(code)
            if found is None:
                c.report.add(
                    "node.unknown",
                    table.file,
                    row,
                    table.header[node_col],
                    node=code,
                    framework=framework.code,
                )
                continue
            position = found
            if (position, u) in c.cells:
                c.report.add(
                    "node.duplicate_value",
                    table.file,
                    row,
                    table.header[value_col],
                    unit=c.units[u],
                    node=code,
                    first_row=c.cells[(position, u)][0],
                )
                continue
            c.value(position, u, cells[value_col], row, table.header[value_col])
            raw = cells[se_col] if se_col is not None else None
            if se_col is not None and raw is not None:
                number = raw if isinstance(raw, float) else c.number(raw, row, table.header[se_col])
                if number is not None and number < 0:
                    c.report.add(
                        "value.negative",
                        table.file,
                        row,
                        table.header[se_col],
                        value=_plain(number),
                    )
                elif number is not None:
                    scaled = _se_in_points(c.nodes.get(position), number)
                    if scaled is None:
                        c.report.add(
                            "value.se_not_linear",
                            table.file,
                            row,
                            table.header[se_col],
                            node=code,
                        )
                    else:
                        errors[(position, u)] = scaled
        else:
            if u < 0:
                name = c.units[-1 - u]
                c.report.add(
                    "unit.duplicate",
                    table.file,
                    row,
                    unit_name,
                    unit=name,
                    first_row=c.unit_rows[name],
                )
                continue
            for i, position in columns.items():
                c.value(position, u, cells[i], row, table.header[i])
        if ranked_col is not None:
            flag = c.flag(cells[ranked_col], row, table.header[ranked_col])
            if flag is not None:
                c.ranked[u if u >= 0 else -1 - u] = flag
    if not any_row:
        c.report.add("file.no_rows", table.file)
    for name in not_ranked or []:
        if name not in c.unit_rows:
            c.report.add("unit.unknown", table.file, None, None, unit=name)
    if c.report:
        raise Refusal(c.report)
    n = len(c.units)
    given = np.full((plan.size, n), np.nan)
    na = np.zeros((plan.size, n), dtype=bool)
    for position, u, value, is_na in c.values:
        if is_na:
            na[position, u] = True
        else:
            given[position, u] = value
    ranked = np.ones(n, dtype=bool)
    for u, flag in c.ranked.items():
        ranked[u] = flag
    for name in not_ranked or []:
        ranked[c.units.index(name)] = False
    se = None
    if errors:
        se = np.full((plan.size, n), np.nan)
        for (position, u), value in errors.items():
            se[position, u] = value
        se = np.where(np.isnan(given), np.nan, se)  # no error without its value
    result = ScoreInput(table.file, c.units, given, na, ranked, c.cells, table.encoding, se)
    check_consistency(result, plan, framework)
    return result


def _se_in_points(node: Node | None, se: float) -> float | None:
    """A standard error given with a leaf's reported value, on the points' scale: the value
    goes through the leaf's rule, and so does its error where the rule is linear (a share of
    ``full`` turns into points in proportion); through a band or a choice it cannot (None)."""
    if node is None or node.children or node.rule.kind == "points":
        return se
    if node.rule.kind == "proportional" and node.max is not None and node.rule.full:
        return se * node.max / node.rule.full
    return None


def check_consistency(data: ScoreInput, plan: ScoringPlan, framework: Framework) -> None:
    """Where a value is given for a node and for nodes below it, the two must agree.

    Published tables often carry both (PAPI sheets give dimensions and sub-dimensions); a
    disagreement beyond the published precision is an error in the file, not something to
    settle silently.
    """
    inner = [pn.position for pn in plan.inner]  # the total included
    given_inner = [j for j in inner if not np.isnan(data.given[j]).all()]
    if not given_inner:
        return
    stripped = data.given.copy()
    stripped[given_inner] = np.nan
    below = aggregate(plan, stripped, data.na)
    tolerance = 0.5 * 10.0 ** (-framework.precision) + 1e-9
    report = ProblemReport()
    for j in given_inner:
        g = data.given[j]
        computed = below.value_row(j)
        bad = (
            ~np.isnan(g)
            & ~np.isnan(computed)
            & ~below.missing_row(j)
            & (np.abs(g - computed) > tolerance)
        )
        for u in np.flatnonzero(bad):
            row, column = data.cells[(j, int(u))]
            report.add(
                "node.inconsistent",
                data.file,
                row,
                column,
                node=plan.nodes[j].code,
                value=_plain(float(g[u])),
                computed=f"{computed[u]:.6g}",
            )
    if report:
        raise Refusal(report)
