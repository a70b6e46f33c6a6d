"""``chiso dossiers index`` as a library call: check the records when they are not a canonical
dataset, compute every data indicator, and write them in the score-input form."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from chiso.problems import ProblemReport, Refusal
from chiso.records.simulate import MANIFEST

if TYPE_CHECKING:
    from chiso.frameworks.model import Framework
    from chiso.records.compile import IndicatorValue
    from chiso.records.engines import Run
    from chiso.records.periods import Period


def is_canonical(path: Path) -> bool:
    """Written by ``chiso dossiers import`` or ``simulate`` (already checked)."""
    return path.is_dir() and (path / MANIFEST).is_file()


def format_value(value: float | None) -> str:
    """Full precision, a decimal point (score input), ``NA`` where nothing was counted."""
    return "NA" if value is None else repr(round(value, 10))


def index_values(
    framework: Framework,
    periods: list[Period],
    run: Run,
    units: tuple[str, ...] | None = None,
) -> list[IndicatorValue]:
    """Every data indicator of ``framework`` over the records ``run`` names, checking them
    first unless they are a canonical dataset (or a location on a cluster, which must be one:
    copied there from ``chiso dossiers import``)."""
    from chiso.records.compile import data_leaves
    from chiso.records.engines import compute, is_remote

    if not data_leaves(framework):
        report = ProblemReport()
        report.add(
            "record.no_data_leaves", framework.path or framework.code, framework=framework.code
        )
        raise Refusal(report)
    if is_remote(run.records):
        # a cluster's dataset: written by chiso dossiers import (checked) and copied there
        return compute(framework, periods, run)
    path = Path(run.records)
    if is_canonical(path):
        return compute(framework, periods, run)
    from chiso.records.dossier_import import import_records

    with tempfile.TemporaryDirectory(prefix="chiso-records-") as tmp:
        checked = Path(tmp) / "records"
        import_records(path, checked, units, str(run.records))
        run.records = checked
        return compute(framework, periods, run)


OUTPUT_SUFFIXES = (".csv", ".xlsx")


def check_output(out: str | Path) -> None:
    """Refuse, before anything is computed, a file name whose kind the values cannot be
    written as (a ``.xlsx`` got CSV text once, which Excel will not open)."""
    suffix = Path(out).suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        report = ProblemReport()
        report.add("file.format", str(out), format=suffix or "?")
        raise Refusal(report)


def write_values(values: list[IndicatorValue], by: str, several: bool, out: str | Path) -> None:
    """The values as CSV, or as a workbook for a ``.xlsx`` name (numbers as numbers, ``NA``
    where nothing was counted). One period by unit: ``unit,node,value`` (the score input of
    ``chiso score`` and of a cycle's central import). Otherwise the period, the procedure or
    field, and the numerator and denominator are columns too."""
    from chiso.tables.atomic import atomic_target
    from chiso.tables.formulas import csv_row

    check_output(out)
    workbook = Path(out).suffix.lower() == ".xlsx"
    plain = by == "unit" and not several
    header = (["period"] if several else []) + ["unit"] + ([by] if by != "unit" else [])
    header += ["node", "value"] + ([] if plain else ["numerator", "denominator"])
    rows: list[list[object]] = []
    for v in values:
        row: list[object] = [v.period] if several else []
        row.append(v.unit)
        if by != "unit":
            row.append(v.key)
        if workbook:
            row += [v.node, "NA" if v.value is None else round(v.value, 10)]
        else:
            row += [v.node, format_value(v.value)]
        if not plain:
            row += [v.numerator, v.denominator]
        rows.append(row)
    if workbook:
        from chiso.tables.records import write_records

        write_records(header, rows, out)
        return
    with atomic_target(out) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in rows:
            writer.writerow(csv_row(row))
