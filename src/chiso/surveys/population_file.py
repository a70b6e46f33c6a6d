"""Read population counts per post-stratum (census counts by sex, age group...) for
``chiso survey estimate --poststrata/--rake``: a CSV or XLSX whose first column names the
category and whose second counts it. Kept apart from the estimator, which takes the counts as
a mapping and never opens a file."""

from __future__ import annotations

from chiso.problems import ProblemReport, Refusal
from chiso.tables.sources import open_table


def read_population(path: str) -> dict[str, float]:
    """Population counts per post-stratum: the first column names it, the second counts."""
    table = open_table(path)
    report = ProblemReport()
    counts: dict[str, float] = {}
    for row, cells in table.rows:
        name = "" if cells[0] is None else str(cells[0]).strip()
        value = cells[1] if len(cells) > 1 else None
        try:
            counts[name] = float(str(value).replace(" ", ""))
            if counts[name] <= 0:
                raise ValueError
        except ValueError:
            report.add(
                "value.not_number",
                table.file,
                row,
                table.header[1] if len(table.header) > 1 else None,
                value=value,
            )
    if report:
        raise Refusal(report)
    return counts
