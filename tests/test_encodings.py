"""The text encodings of a user's CSV: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's
"Unicode text", tab-separated) and Windows-1258 are read; bytes in no supported encoding are
refused with ``file.encoding``, never read as Windows-1258 nonsense."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.problems import Refusal
from chiso.tables.sources import open_table

ROWS = [["unit", "1.4", "ghi chú"], ["Sở Tư pháp", "1,5", "“tốt”"], ["Đắk Lắk", "2", "Hà Nội"]]


def _tsv(rows: list[list[str]]) -> str:
    return "\r\n".join("\t".join(row) for row in rows) + "\r\n"


def _read(path: Path) -> tuple[str, list[list[object]]]:
    table = open_table(path)
    return table.encoding, [table.header, *(cells for _, cells in table.rows)]


def _refused(tmp_path: Path, raw: bytes) -> str:
    path = tmp_path / "scores.csv"
    path.write_bytes(raw)
    with pytest.raises(Refusal) as caught:
        _read(path)
    (problem,) = caught.value.report
    return problem.rule


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_excels_unicode_text_utf16_with_its_bom_is_read_with_its_tabs(
    tmp_path: Path, bom: bytes
) -> None:
    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    path = tmp_path / "Unicode text.txt"
    path.write_bytes(bom + _tsv(ROWS).encode(codec))
    encoding, rows = _read(path)
    assert encoding == "utf-16"
    assert rows == ROWS


def test_windows_1258_vietnamese_is_read_as_nfc_text(tmp_path: Path) -> None:
    # Windows-1258 writes most tones as combining marks after the letter
    text = "unit,ghi chú\nSơ\u0309 Tư pha\u0301p,“kha\u0301”\nĐă\u0301k Lă\u0301k,Hà”\n"
    path = tmp_path / "cp1258.csv"
    path.write_bytes(text.encode("cp1258"))
    encoding, rows = _read(path)
    assert encoding == "cp1258"
    assert rows == [["unit", "ghi chú"], ["Sở Tư pháp", "“khá”"], ["Đắk Lắk", "Hà”"]]


def test_utf8_with_and_without_its_bom_is_read(tmp_path: Path) -> None:
    for raw in (codecs.BOM_UTF8 + "unit\nSở Tư pháp\n".encode(), "unit\nSở Tư pháp\n".encode()):
        path = tmp_path / "utf8.csv"
        path.write_bytes(raw)
        assert _read(path) == ("utf-8-sig", [["unit"], ["Sở Tư pháp"]])


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xbb\xdd", id="a-workbook"),
        pytest.param("unit,1.4\nSở Tư pháp,2\n".encode("utf-16-le"), id="utf-16-without-bom"),
        pytest.param("unit,1.4\nSở Tư pháp,2\n".encode("utf-32"), id="utf-32"),
        pytest.param(b"unit\nC\xd4ng hoa\xf8 Vie\xe4t Nam\n", id="vni"),
        pytest.param(b"unit\nC\xe9ng ho\xb5 x\xb7 h\xe9i, Vi\xd6t Nam\n", id="tcvn3"),
        pytest.param("unit\nSở Tư pháp\nHà Nội\n".encode() + b"\xd0\xe0 N\xe3\xdeng\n", id="mixed"),
        pytest.param(b"unit\nS\x81\n", id="a-byte-windows-1258-leaves-undefined"),
        pytest.param(b"unit\nk\xec\n", id="a-tone-on-a-consonant"),
    ],
)
def test_bytes_in_no_supported_encoding_are_refused_not_read_as_windows_1258(
    tmp_path: Path, raw: bytes
) -> None:
    assert _refused(tmp_path, raw) == "file.encoding"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='ab,"\r\n ', max_size=40))
def test_the_lines_of_a_csv_text_are_those_stringio_gives(text: str) -> None:
    """open_table cuts the header line off by itself (a survey reader wants it alone) and
    reads the rest through io.StringIO: the lines, and so the rows, are the same."""
    import io

    from chiso.tables.sources import _lines

    assert list(_lines(text)) == list(io.StringIO(text, newline=""))
