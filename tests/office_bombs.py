"""Crafted Word and Excel files that cost far more to open than their size says, built here
from a file openpyxl or python-docx writes, with one part replaced (what an attacker, or a
damaged program, can hand over): the attacks of issue #19 and the measure of what reading
one costs (seconds of wall time, MB of peak memory).

A zip member's size in the archive's directory is a claim; :func:`with_member` can make it
lie (``declared``), as a hand-made archive may."""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def with_member(
    source: bytes, name: str, data: bytes, declared: int | None = None, level: int = 9
) -> bytes:
    """The zip ``source`` with member ``name`` replaced by ``data`` (added if absent),
    compressed as hard as deflate can; ``declared`` makes the directory claim that size."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        names = old.namelist()
        for info in old.infolist():
            body = data if info.filename == name else old.read(info)
            new.writestr(info.filename, body, zipfile.ZIP_DEFLATED, level)
        if name not in names:
            new.writestr(name, data, zipfile.ZIP_DEFLATED, level)
    raw = out.getvalue()
    return raw if declared is None else _declare(raw, name, declared)


def _declare(raw: bytes, name: str, size: int) -> bytes:
    """``raw`` with the uncompressed size of ``name`` set to ``size`` in both its local
    header and the central directory (the CRC is left: it no longer matches the claim)."""
    buf = bytearray(raw)
    encoded = name.encode()
    at = 0
    while (at := buf.find(b"PK\x03\x04", at)) >= 0:
        length = int.from_bytes(buf[at + 26 : at + 28], "little")
        if bytes(buf[at + 30 : at + 30 + length]) == encoded:
            buf[at + 22 : at + 26] = size.to_bytes(4, "little")
        at += 4
    at = 0
    while (at := buf.find(b"PK\x01\x02", at)) >= 0:
        length = int.from_bytes(buf[at + 28 : at + 30], "little")
        if bytes(buf[at + 46 : at + 46 + length]) == encoded:
            buf[at + 24 : at + 28] = size.to_bytes(4, "little")
        at += 4
    return bytes(buf)


def workbook(rows: list[list[Any]], merges: tuple[str, ...] = ()) -> bytes:
    """A plain workbook of ``rows`` on one sheet, as openpyxl writes it."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shared_strings_bomb(source: bytes, megabytes: float) -> bytes:
    """``source`` whose shared strings unzip to ``megabytes`` MB of one-letter strings: a
    few tens of KB on disk, a Python object per string in openpyxl."""
    item = b"<si><t>a</t></si>"
    count = int(megabytes * 2**20) // len(item)
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        + f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode()
        + item * count
        + b"</sst>"
    )
    return with_member(_declaring_shared_strings(source), "xl/sharedStrings.xml", xml)


def _declaring_shared_strings(source: bytes) -> bytes:
    """``source`` naming a shared-strings part in its content types and the workbook's
    relationships, as Excel writes it (openpyxl writes its text inline and names none)."""
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        types = z.read("[Content_Types].xml")
        rels = z.read("xl/_rels/workbook.xml.rels")
    if b"sharedStrings" in types:
        return source
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    types = types.replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'.encode(),
    )
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    rels = rels.replace(
        b"</Relationships>",
        f'<Relationship Id="rIdS" Type="{relation}" Target="sharedStrings.xml"/>'
        "</Relationships>".encode(),
    )
    return with_member(
        with_member(source, "[Content_Types].xml", types), "xl/_rels/workbook.xml.rels", rels
    )


def sheet_cells_bomb(source: bytes, megabytes: float, varied: bool = False) -> bytes:
    """``source`` whose first sheet is one row of number cells unzipping to ``megabytes``
    MB (openpyxl parses every cell of a row, wanted or not). ``varied``: numbers that do not
    repeat (a fixed random sequence), so the part compresses only about 3 times."""
    import random

    draw = random.Random(19)
    size = int(megabytes * 2**20)
    cells: list[bytes] = []
    written = 0
    while written < size:
        cell = b'<c t="n"><v>%d</v></c>' % (draw.randrange(10**9) if varied else 1)
        cells.append(cell)
        written += len(cell)
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        + f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode()
        + b"".join(cells)
        + b"</row></sheetData></worksheet>"
    )
    return with_member(source, "xl/worksheets/sheet1.xml", xml)


def merged_ranges_bomb(source: bytes, ranges: tuple[str, ...]) -> bytes:
    """``source`` (a workbook with one merge, ``E6:E7``) with that merge replaced by
    ``ranges``: openpyxl makes an object for every cell a merge covers."""
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    old = b'<mergeCells count="1"><mergeCell ref="E6:E7"/></mergeCells>'
    assert old in xml, xml[-300:]
    new = f'<mergeCells count="{len(ranges)}">'.encode()
    new += b"".join(f'<mergeCell ref="{r}"/>'.encode() for r in ranges) + b"</mergeCells>"
    return with_member(source, "xl/worksheets/sheet1.xml", xml.replace(old, new))


def word_table(rows: list[list[str]], merged_column: int | None = None) -> bytes:
    """A Word document with a title and one table of ``rows``; ``merged_column`` is merged
    from the second row to the last (vMerge: ``restart`` then ``continue``), the markup Word
    writes for a cell spanning rows."""
    from docx import Document

    document = Document()
    document.add_paragraph("BỘ CHỈ SỐ")
    document.add_table(rows=1, cols=1)
    base = io.BytesIO()
    document.save(base)
    with zipfile.ZipFile(io.BytesIO(base.getvalue())) as z:
        xml = z.read("word/document.xml").decode()
    start, end = xml.index("<w:tbl>"), xml.index("</w:tbl>") + len("</w:tbl>")
    width = max(len(r) for r in rows)
    parts = ["<w:tbl><w:tblGrid>", "<w:gridCol/>" * width, "</w:tblGrid>"]
    for r, row in enumerate(rows):
        parts.append("<w:tr>")
        for c, text in enumerate(row):
            props = ""
            if c == merged_column and r >= 1:
                props = (
                    '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
                    if r == 1
                    else ("<w:tcPr><w:vMerge/></w:tcPr>")
                )
            body = "" if c == merged_column and r > 1 else f"<w:r><w:t>{text}</w:t></w:r>"
            parts.append(f"<w:tc>{props}<w:p>{body}</w:p></w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    new = xml[:start] + "".join(parts) + xml[end:]
    return with_member(base.getvalue(), "word/document.xml", new.encode())


@dataclass(frozen=True)
class Cost:
    """What one call cost: wall and processor seconds, the peak memory it added (MB), and how
    it ended: ``ok``, ``Refusal: rule, rule``, another exception's class name, or
    ``killed`` past the time limit. Budgets are checked on processor time, which a machine
    busy with other work changes far less than wall time."""

    seconds: float
    cpu: float
    megabytes: float
    outcome: str

    def __str__(self) -> str:
        return (
            f"{self.seconds:.2f} s ({self.cpu:.2f} s of processor), "
            f"{self.megabytes:.0f} MB, {self.outcome}"
        )

    def within(self, seconds: float = 2.0, megabytes: float = 200.0) -> bool:
        return self.outcome != "killed" and self.cpu < seconds and self.megabytes < megabytes


def _processor() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run(call: Callable[[], object], pipe: Any) -> None:
    from chiso.problems import Refusal

    before = _rss_mb()
    start, cpu = time.perf_counter(), _processor()
    try:
        call()
        outcome = "ok"
    except Refusal as exc:
        outcome = "Refusal: " + ", ".join(sorted(exc.report.rules))
    except BaseException as exc:
        outcome = type(exc).__name__
    seconds, cpu = time.perf_counter() - start, _processor() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pipe.send(Cost(seconds, cpu, max(0.0, peak - before), outcome))
    pipe.close()
    os._exit(0)


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def cost(call: Callable[[], object], limit: float = 60.0) -> Cost:
    """Run ``call`` in a forked copy of this process and measure it: its wall time and its
    peak resident memory above what the copy started with; killed after ``limit`` seconds
    (a regression must not hold the suite for minutes)."""
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe(duplex=False)
    process = context.Process(target=_run, args=(call, theirs))
    started = time.perf_counter()
    process.start()
    theirs.close()
    if not ours.poll(limit):
        process.kill()
        process.join()
        return Cost(time.perf_counter() - started, limit, float("nan"), "killed")
    result: Cost = ours.recv()
    process.join()
    return result


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _repeated(unit: Callable[[int], bytes], megabytes: float, varied: bool) -> bytes:
    """``megabytes`` MB of ``unit(i)``: all alike (``varied`` false: the part compresses
    hundreds of times), or a 64 KB block of distinct units repeated (deflate looks back only
    32 KB, so the part compresses no better than the block, about 3 times)."""
    import random

    draw = random.Random(megabytes)
    size = max(1, int(megabytes * 2**20))
    block: list[bytes] = []
    length = 0
    while length < min(size, 65_536):
        item = unit(draw.randrange(10**9) if varied else 1)
        block.append(item)
        length += len(item)
    one = b"".join(block)
    return one * max(1, size // len(one))


def crafted_workbook(kind: str, megabytes: float, varied: bool, base: bytes) -> bytes:
    """``base`` (a workbook with one merge, ``E6:E7``) with one part made to unzip to about
    ``megabytes`` MB of one kind of markup: shared strings, cells in one row, rows, number
    formats in the styles, merged ranges, or nested inline text ``megabytes`` × 10,000
    levels deep."""
    head = b'<?xml version="1.0" encoding="UTF-8"?>'
    if kind == "shared strings":
        items = _repeated(lambda n: b"<si><t>%d</t></si>" % n, megabytes, varied)
        xml = head + f'<sst xmlns="{MAIN}">'.encode() + items + b"</sst>"
        return with_member(_declaring_shared_strings(base), "xl/sharedStrings.xml", xml)
    sheet = "xl/worksheets/sheet1.xml"
    if kind == "styles":
        formats = _repeated(
            lambda n: b'<numFmt numFmtId="%d" formatCode="0.%d"/>' % (164 + n % 1000, n),
            megabytes,
            varied,
        )
        with zipfile.ZipFile(io.BytesIO(base)) as z:
            styles = z.read("xl/styles.xml")
        at = styles.index(b">", styles.index(b"<styleSheet")) + 1
        return with_member(
            base,
            "xl/styles.xml",
            styles[:at] + b"<numFmts>" + formats + b"</numFmts>" + styles[at:],
        )
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        xml = z.read(sheet)
    if kind == "merges":
        ranges = _repeated(
            lambda n: b'<mergeCell ref="A%d:B%d"/>' % (n % 10**6 + 20, n % 10**6 + 21),
            megabytes,
            varied,
        )
        old = b'<mergeCells count="1"><mergeCell ref="E6:E7"/></mergeCells>'
        return with_member(
            base, sheet, xml.replace(old, b"<mergeCells>" + ranges + b"</mergeCells>")
        )
    if kind == "cells":
        inner = _repeated(lambda n: b'<c t="n"><v>%d</v></c>' % n, megabytes, varied)
        data = b'<row r="900">' + inner + b"</row>"
    elif kind == "rows":
        data = _repeated(lambda n: b'<row><c t="n"><v>%d</v></c></row>' % n, megabytes, varied)
    else:  # "depth"
        depth = max(1, int(megabytes * 10_000))
        data = (
            b'<row r="900"><c t="inlineStr"><is>'
            + b"<r>" * depth
            + b"</r>" * depth
            + b"</is></c></row>"
        )
    return with_member(base, sheet, xml.replace(b"</sheetData>", data + b"</sheetData>"))


def crafted_document(kind: str, size: int, span: int) -> bytes:
    """A Word criteria table of ``size`` rows (``rows``), or with its guidance column merged
    down ``size`` rows over ``span`` grid columns (``merge``), or nested ``size`` tables
    deep in a cell (``depth``)."""
    head = ["STT", "Nội dung", "Điểm tối đa", "Hướng dẫn chấm điểm", "Phương pháp"]
    if kind == "rows":
        return word_table(
            [head] + [[str(i), f"Tiêu chí {i}", "1", "", ""] for i in range(1, size + 1)]
        )
    if kind == "merge":
        base = word_table([head, ["1", "Tiêu chí", "1", "", ""]])
        cell = "<w:tc><w:tcPr>{}</w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
        grid = f'<w:gridSpan w:val="{span}"/>'
        rows = []
        for i in range(1, size + 1):
            merge = '<w:vMerge w:val="restart"/>' if i == 1 else "<w:vMerge/>"
            cells = [
                cell.format("", str(i)),
                cell.format("", f"Tiêu chí {i}"),
                cell.format("", "1"),
                cell.format(merge + grid, "hướng dẫn" if i == 1 else ""),
            ]
            rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
        nested = "".join(rows)
    else:  # "depth"
        base = word_table([head, ["1", "Tiêu chí", "1", "", ""]])
        nested = (
            "<w:tr><w:tc>"
            + "<w:tbl><w:tr><w:tc>" * size
            + "<w:p/>"
            + "</w:tc></w:tr></w:tbl>" * size
            + "<w:p/></w:tc></w:tr>"
        )
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        xml = z.read("word/document.xml").decode()
    at = xml.rindex("</w:tbl>")
    return with_member(base, "word/document.xml", (xml[:at] + nested + xml[at:]).encode())


def many_parts(count: int) -> bytes:
    """A zip whose central directory lists ``count`` parts (all one empty part ``a``), 47
    bytes each: zipfile builds an object per entry before anyone can count them. The end
    record gives the count modulo 65,536, as a zip without zip64 can."""
    local = b"PK\x03\x04" + bytes(22) + (1).to_bytes(2, "little") + bytes(2) + b"a"
    entry = (
        b"PK\x01\x02"
        + (20).to_bytes(2, "little") * 2
        + bytes(20)
        + (1).to_bytes(2, "little")
        + bytes(12)
        + (0).to_bytes(4, "little")
        + b"a"
    )
    directory = entry * count
    end = (
        b"PK\x05\x06"
        + bytes(4)
        + (count % 65536).to_bytes(2, "little") * 2
        + len(directory).to_bytes(4, "little")
        + len(local).to_bytes(4, "little")
        + bytes(2)
    )
    return local + directory + end
