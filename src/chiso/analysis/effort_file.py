"""The effort a unit puts into one more point of a criterion: ``node,effort`` per point.

A value given for an inner node applies to every leaf below it that has none of its own, so an
office can say "legal documents cost twice as much" once. Leaves not named cost 1 per point.
Every problem in the file is reported at once, with its row and column.
"""

from __future__ import annotations

from pathlib import Path

from chiso.frameworks.model import Framework, Node
from chiso.numbers import NotANumber, parse_decimal
from chiso.problems import ProblemReport, Refusal
from chiso.tables.sources import open_table

NODE_NAMES = {"node", "mã", "ma", "code", "tiêu chí"}
EFFORT_NAMES = {"effort", "công sức", "cong suc", "nỗ lực"}


def read_efforts(path: str | Path, framework: Framework) -> dict[str, float]:
    """Effort per point of every leaf (code → effort), from the file at ``path``."""
    file = str(path)
    table = open_table(path)
    report = ProblemReport()
    keys = [h.strip().casefold() for h in table.header]
    node_col = next((i for i, k in enumerate(keys) if k in NODE_NAMES), None)
    effort_col = next((i for i, k in enumerate(keys) if k in EFFORT_NAMES), None)
    if node_col is None or effort_col is None:
        report.add("effort.header", file, 1)
        raise Refusal(report)
    column = table.header[effort_col]
    codes = set(framework.codes)
    given: dict[str, float] = {}
    for row, cells in table.rows:
        cells = cells + [None] * (len(table.header) - len(cells))
        raw_code, raw = cells[node_col], cells[effort_col]
        code = "" if raw_code is None else str(raw_code).strip()
        if isinstance(raw_code, float):
            code = str(int(raw_code)) if raw_code == int(raw_code) else repr(raw_code)
        if not code:
            continue
        if code not in codes:
            report.add(
                "node.unknown",
                file,
                row,
                table.header[node_col],
                node=code,
                framework=framework.code,
            )
            continue
        try:
            value = raw if isinstance(raw, float) else parse_decimal(str(raw or "").strip())
        except NotANumber:
            report.add("value.not_number", file, row, column, value=raw or "")
            continue
        if value is None or not value > 0:
            report.add("effort.not_positive", file, row, column, value=raw)
            continue
        given[code] = float(value)
    if report:
        raise Refusal(report)
    out: dict[str, float] = {}

    def visit(node: Node, inherited: float) -> None:
        own = given.get(node.code, inherited)
        if node.is_leaf:
            out[node.code] = own
        for child in node.children:
            visit(child, own)

    for top in framework.nodes:
        visit(top, 1.0)
    return out
