"""Rows of a user's CSV or XLSX file, whatever its encoding, as NFC text or numbers.

Why no encoding-detection library: the files we meet are UTF-8 (with or without BOM) or the
Vietnamese Windows code page 1258; trying them in that order is exact, and anything else is
reported rather than guessed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chiso.problems import InputError, ProblemReport
from chiso.vietnamese import nfc

Cell = str | float | None
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass(frozen=True)
class Table:
    """A header and an iterator of (row number as the user sees it, cells)."""

    file: str
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    encoding: str = "utf-8"
    was_nfc: bool = True  # False: some text came decomposed (NFD) and was normalised


def typed_cell(value: object) -> Cell:
    """A spreadsheet or Parquet value as chiso reads cells: numbers as floats, booleans as
    1/0, text as stripped NFC (empty text as missing)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return float(value)
    text = nfc(str(value)).strip()
    return text or None


def _fail(rule: str, file: str, **params: Any) -> InputError:
    report = ProblemReport()
    report.add(rule, file, **params)
    return InputError(report)


def decode(raw: bytes, file: str) -> tuple[str, str]:
    """Text of ``raw`` and the encoding used: UTF-8 (BOM or not), else Windows-1258."""
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise _fail("file.encoding", file)


def open_table(path: str | Path) -> Table:
    """Open a CSV or XLSX file as a :class:`Table`; raise :class:`InputError` when impossible."""
    file = str(path)
    p = Path(path)
    if not p.is_file():
        raise _fail("file.not_found", file)
    suffix = p.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _csv_table(p, file)
    if suffix in XLSX_SUFFIXES:
        return _xlsx_table(p, file)
    if suffix == ".parquet":
        return _parquet_table(p, file)
    raise _fail("file.format", file, format=suffix or "?")


def _parquet_table(p: Path, file: str) -> Table:
    """Parquet (what ``chiso survey import`` writes for large surveys), read in batches."""
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(p)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise _fail("file.unreadable", file, reason=str(exc) or type(exc).__name__) from None
    header = [nfc(name) for name in source.schema_arrow.names]

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        number = 1  # the header is "row 1", as in a spreadsheet
        for batch in source.iter_batches(batch_size=65536):
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            for values in zip(*columns, strict=True):
                number += 1
                yield number, [typed_cell(v) for v in values]

    return Table(file, header, rows(), "parquet")


def _csv_table(p: Path, file: str) -> Table:
    raw = p.read_bytes()
    if not raw.strip():
        raise _fail("file.empty", file)
    decoded, encoding = decode(raw, file)
    text = nfc(decoded)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise _fail("file.empty", file) from None
    except csv.Error as exc:
        raise _fail("file.unreadable", file, reason=str(exc)) from None

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                yield reader.line_num, [c.strip() or None for c in cells]
        except csv.Error as exc:
            raise _fail("file.unreadable", file, reason=str(exc)) from None

    # Windows-1258 stores tones as combining marks by design: only UTF-8 text in NFD is news
    was_nfc = encoding == "cp1258" or text == decoded
    return Table(file, [h.strip() for h in header], rows(), encoding, was_nfc)


def _xlsx_table(p: Path, file: str) -> Table:
    import openpyxl  # imported here: reading CSV should not pay for it

    try:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise _fail("file.unreadable", file, reason=str(exc) or type(exc).__name__) from None
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    header_row: tuple[object, ...] | None = None
    header_at = 0
    for row in it:
        header_at += 1
        if any(c is not None and str(c).strip() for c in row):
            header_row = row
            break
    if header_row is None:
        book.close()
        raise _fail("file.empty", file)
    header = [nfc(str(c)).strip() if c is not None else "" for c in header_row]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for number, row in enumerate(it, start=header_at + 1):
            cells = [typed_cell(v) for v in row]
            if any(c is not None for c in cells):
                yield number, cells
        book.close()

    return Table(file, header, rows(), "xlsx")
