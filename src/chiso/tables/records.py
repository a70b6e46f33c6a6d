"""Write a plain table (a header and rows of text and numbers) as CSV, XLSX or JSON, by the
file's extension, atomically; numbers with a decimal comma in Vietnamese CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from chiso.numbers import format_number, format_numbers
from chiso.tables.atomic import atomic_target
from chiso.tables.formulas import append_row, csv_cell, csv_row


def records_csv(header: list[str], rows: list[list[Any]], lang: str, decimals: int) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(csv_row(header))
    writer.writerows(_csv_cells(rows, lang, decimals))
    return buf.getvalue()


def _csv_cells(rows: list[list[Any]], lang: str, decimals: int) -> list[list[Any]]:
    """The rows as written: a number (float) printed by :func:`format_number`, nothing for
    ``None``, anything else through the formula guard. A column of numbers alone is printed
    whole by :func:`format_numbers`, the same texts faster."""

    def cell(x: Any) -> Any:
        if isinstance(x, float):
            return format_number(x, lang, decimals)
        if isinstance(x, str):
            return csv_cell(x)
        return "" if x is None else x  # (csv_cell leaves anything but text as it is)

    if not rows or len({len(row) for row in rows}) != 1:
        return [[cell(x) for x in row] for row in rows]
    columns: list[list[Any]] = []
    for column in zip(*rows, strict=True):
        if all(x is None or isinstance(x, float) for x in column):
            columns.append(format_numbers(column, lang, decimals))
        else:
            columns.append([cell(x) for x in column])
    return [list(row) for row in zip(*columns, strict=True)]


def write_records(
    header: list[str],
    rows: list[list[Any]],
    path: str | Path,
    lang: str = "vi",
    decimals: int = 2,
    keys: list[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """``keys`` name the JSON fields (stable, English) where ``header`` is for people."""
    with atomic_target(path) as tmp:
        write_records_to(tmp, Path(path).suffix.lower(), header, rows, lang, decimals, keys, extra)


def write_records_to(
    tmp: str,
    suffix: str,
    header: list[str],
    rows: list[list[Any]],
    lang: str = "vi",
    decimals: int = 2,
    keys: list[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write the table to ``tmp`` in the format of ``suffix`` (for callers that move several
    files into place together)."""
    if suffix == ".json":
        names = keys or header
        doc: dict[str, Any] = {"rows": [dict(zip(names, r, strict=True)) for r in rows]}
        doc.update(extra or {})
        Path(tmp).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
    elif suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns: list[list[Any]] = [[row[i] for row in rows] for i in range(len(header))]
        table = pa.table(
            {name: pa.array(values) for name, values in zip(keys or header, columns, strict=True)}
        )
        table = table.replace_schema_metadata(
            {k: json.dumps(v, ensure_ascii=False) for k, v in (extra or {}).items()}
        )
        pq.write_table(table, tmp)
    elif suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        append_row(sheet, header)
        for row in rows:
            append_row(sheet, row)
        book.save(tmp)
    else:
        # a BOM, so that Excel opens the Vietnamese text as UTF-8
        Path(tmp).write_text(records_csv(header, rows, lang, decimals), encoding="utf-8-sig")
