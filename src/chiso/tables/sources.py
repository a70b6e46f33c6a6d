"""Rows of a user's CSV or XLSX file, whatever its encoding, as NFC text or numbers.

Why no encoding-detection library: the files we meet are UTF-8 (with or without BOM), UTF-16
with its BOM (what Excel saves as "Unicode text", tab-separated) or the Vietnamese Windows code
page 1258; the rules of :func:`decode` tell them apart exactly, and anything else is reported
rather than guessed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chiso.office.limits import UPLOAD, Limits
from chiso.problems import ProblemReport, Refusal
from chiso.vietnamese import has_only_vietnamese_letters, nfc

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
    text: str | None = None  # a CSV file's whole text (NFC), for readers that split it


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


def _fail(rule: str, file: str, **params: Any) -> Refusal:
    report = ProblemReport()
    report.add(rule, file, **params)
    return Refusal(report)


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")  # all but tab, LF, CR
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))


def decode(raw: bytes, file: str) -> tuple[str, str]:
    """Text of ``raw`` and the encoding used; ``file.encoding`` when it is in none of them.

    In turn: UTF-16 when the bytes start with its byte order mark (Excel's "Unicode text");
    UTF-8, with or without its BOM; else Windows-1258, but only when the text it gives is
    plausible (:func:`_plausible_cp1258`), since that code page maps almost every byte to
    some character and would read any other file as nonsense instead of refusing it.
    """
    if raw.startswith(_UTF16_BOMS):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _fail("file.encoding", file) from None
        if _CONTROL.search(text):  # UTF-32, or not text at all
            raise _fail("file.encoding", file)
        return text, "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError:  # one of the nine bytes the code page leaves undefined
        raise _fail("file.encoding", file) from None
    if not _plausible_cp1258(raw, text):
        raise _fail("file.encoding", file)
    return text, "cp1258"


def _plausible_cp1258(raw: bytes, text: str) -> bool:
    """Whether ``text``, ``raw`` read as Windows-1258, is text as Vietnamese is written in
    it. Three rules, each against a kind of file met in practice:

    - no control characters but tab, line feed and carriage return: binary files (a
      workbook or a PDF renamed .csv) and UTF-16 or UTF-32 without a BOM are full of NULs;
    - every letter is one of Vietnamese, each tone on a vowel
      (:func:`chiso.vietnamese.has_only_vietnamese_letters`): the legacy VNI and TCVN3
      encodings read here as letters such as ä, ø, µ or Ü;
    - the bytes above 127 are not mostly well-formed UTF-8 sequences: such a file is UTF-8
      with a damaged or a foreign byte somewhere, and reading it all as Windows-1258 would
      silently turn every name into mojibake ("Hà" into "HĂ ").

    (The round trip needs no check: the code page is one byte per character, so text it
    decodes encodes back to the same bytes.)
    """
    if _CONTROL.search(text) or not has_only_vietnamese_letters(text):
        return False
    high = len(raw) - len(raw.translate(None, _HIGH_BYTES))
    in_utf8 = sum(len(m) for m in _UTF8_SEQUENCE.findall(raw))
    return 2 * in_utf8 <= high


def open_table(path: str | Path, limits: Limits = UPLOAD) -> Table:
    """Open a CSV or XLSX file as a :class:`Table`; raise :class:`Refusal` when impossible.
    A workbook is opened within ``limits`` (:mod:`chiso.office`): the default bounds are those
    of an upload; a command reading a person's own large export may pass
    :data:`chiso.office.LOCAL`."""
    file = str(path)
    p = Path(path)
    if not p.is_file():
        raise _fail("file.not_found", file)
    suffix = p.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _csv_table(p, file)
    if suffix in XLSX_SUFFIXES:
        return _xlsx_table(p, file, limits)
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
    end = text.find("\n")  # the first line without splitting (copying) the rest
    first_line = text if end < 0 else text[:end]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(_lines(text), delimiter=delimiter)
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
    return Table(file, [h.strip() for h in header], rows(), encoding, was_nfc, text)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` as ``io.StringIO(text, newline="")`` gives them (ending at
    ``\\n``, ``\\r\\n`` or ``\\r``, kept), the first cut off by itself: a reader that wants
    the header alone (a survey's columns are then split with NumPy) does not pay for the
    whole text to be copied into a StringIO."""
    newline = text.find("\n")
    cut = text.find("\r", 0, len(text) if newline < 0 else newline)
    cut = newline if cut < 0 else cut
    if cut < 0:
        if text:
            yield text
        return
    cut += 2 if text.startswith("\r\n", cut) else 1
    yield text[:cut]
    yield from io.StringIO(text[cut:], newline="")


def _xlsx_table(p: Path, file: str, limits: Limits) -> Table:
    """The first sheet, through the office layer (:func:`chiso.office.open_workbook`): the
    file is checked within ``limits`` before openpyxl opens it, and its rows are streamed."""
    from chiso.office import open_workbook

    book = open_workbook(p, file, limits)
    try:
        if not book.sheets:
            raise _fail("file.empty", file)
        rows = book.sheets[0].rows()
        header_row: tuple[object, ...] | None = None
        for _, row in rows:
            if any(c is not None and str(c).strip() for c in row):
                header_row = row
                break
        if header_row is None:
            raise _fail("file.empty", file)
    except BaseException:
        book.close()
        raise
    header = [nfc(str(c)).strip() if c is not None else "" for c in header_row]
    while header and not header[-1]:
        header.pop()

    def cells() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, row in rows:
                typed = [typed_cell(v) for v in row]
                if any(c is not None for c in typed):
                    yield number, typed
        finally:
            book.close()

    return Table(file, header, cells(), "xlsx")
