"""``chiso score``: inputs wide or long, CSV or XLSX; outputs CSV, XLSX, JSON; vi and en;
and bad input reported with file, row and column, leaving nothing half-written."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from chiso.cli.app import app

runner = CliRunner(env={"COLUMNS": "250"})
FW = "example-department-2024"
LEAVES = [
    "1.1",
    "1.2",
    "1.3",
    "1.4",
    "1.5",
    "2.1",
    "2.2",
    "2.3",
    "2.4",
    "3.1",
    "3.2",
    "4.1",
    "4.2",
    "4.3",
    "5.1",
    "5.2",
    "6.1",
    "6.2",
    "6.3",
    "7.1",
]
# raw answers per the example's rules: choice, band measure, yes/no, points..., proportional %
GOOD = [
    "đúng hạn",
    "95",
    "có",
    "2",
    "1.5",
    "97.5",
    "có",
    "0",
    "3.5",
    "5",
    "4",
    "4",
    "3.5",
    "1",
    "4.5",
    "KAD",
    "3.75",
    "60",
    "4",
    "88.2",
]
CUT = [
    "chậm",
    "72",
    "không",
    "1",
    "0",
    "80",
    "có",
    "3",
    "2",
    "4",
    "4",
    "3",
    "3",
    "3",
    "4",
    "4",
    "3",
    "25",
    "2",
    "80",
]


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_bytes(text: str) -> bytes:
    """Text as Windows-1258 stores it: letters with their own code (ơ, ư, â...) and tone marks
    as separate combining characters."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize(
                "NFC", parts[0] + "".join(m for m in parts[1:] if m not in TONE_MARKS)
            )
            out.append(base + "".join(m for m in parts[1:] if m in TONE_MARKS))
    return "".join(out).encode("cp1258")


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    text = buf.getvalue()
    path.write_bytes(cp1258_bytes(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def wide(path: Path, encoding: str = "utf-8") -> Path:
    return write_csv(
        path,
        [["unit", *LEAVES], ["Sở Tư pháp", *GOOD], ["Sở Công Thương", *CUT]],
        encoding,
    )


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_scores_a_wide_csv_to_csv_on_stdout_with_vietnamese_headers_and_decimal_comma(
    tmp_path: Path,
) -> None:
    result = invoke("score", "--framework", FW, str(wide(tmp_path / "in.csv")))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header = rows[0]
    assert header[0] == "Đơn vị" and "Chỉ số (%)" in header and "Xếp hạng" in header
    first = dict(zip(header, rows[1], strict=True))
    # Sở Tư pháp, by the example's rules: 2 + 4 + 2 + 2 + 1.5 | 7.8 + 4 + 4 + 3.5 | 5 + 4 |
    # 4 + 3.5 + (6 - 2) | 4.5 + KAD | 3.75 + 3.6 + 4 | 17.64 = 84.79 of 95 applicable points
    assert first["Đơn vị"] == "Sở Tư pháp"
    assert first["Tổng điểm"] == "84,79"
    assert first["Điểm tối đa"] == "95,00"
    assert first["Chỉ số (%)"] == "89,25"
    assert first["5.2"] == "KAD"
    assert first["Xếp hạng"] == "1" and first["Nhóm"] == "Tốt" and first["Trạng thái"] == "đầy đủ"


def test_english_output_and_json_keep_numbers_as_numbers(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = invoke(
        "score", "-f", FW, str(wide(tmp_path / "in.csv")), "--out", str(out), "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    first = doc["units"][0]
    assert first["unit"] == "Sở Tư pháp" and first["rank"] == 1
    assert first["total"] == pytest.approx(84.79)
    assert first["points"]["5.2"] == "NA" and first["points"]["2.1"] == pytest.approx(7.8)
    assert doc["summary"]["ranked"] == 2 and doc["summary"]["highest_units"] == ["Sở Tư pháp"]
    assert "Summary" in result.output


def test_xlsx_in_long_form_and_xlsx_out_are_read_back_cell_by_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["unit", "node", "value"])
    for unit, values in (("Sở Tư pháp", GOOD), ("Sở Công Thương", CUT)):
        for code, value in zip(LEAVES, values, strict=True):
            sheet.append([unit, code, float(value) if value.replace(".", "").isdigit() else value])
    source = tmp_path / "long.xlsx"
    book.save(source)
    out = tmp_path / "ket-qua.xlsx"
    result = invoke("score", "-f", FW, str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    back = openpyxl.load_workbook(out)
    sheet = back["Kết quả"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Đơn vị"] == "Sở Tư pháp"
    assert row["Tổng điểm"] == pytest.approx(84.79)
    assert row["Xếp hạng"] == 1
    assert "Tổng hợp" in back.sheetnames


def test_values_given_at_domain_level_are_aggregated_from_there(tmp_path: Path) -> None:
    rows = [
        ["unit", "1", "2", "3", "4", "5", "6", "7"],
        ["Huyện Đại Từ", "10", "15", "8", "12", "9", "10", "18"],
    ]
    path = write_csv(tmp_path / "d.csv", rows)
    result = invoke("score", "-f", FW, str(path), "--lang", "en")
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["total"] == "82.00" and row["status"] == "complete"


def test_units_marked_not_ranked_are_scored_but_get_no_rank(tmp_path: Path) -> None:
    result = invoke(
        "score",
        "-f",
        FW,
        str(wide(tmp_path / "in.csv")),
        "--lang",
        "en",
        "--not-ranked",
        "Sở Tư pháp",
    )
    assert result.exit_code == 0, result.output
    rows = {r["unit"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["Sở Tư pháp"]["rank"] == "" and rows["Sở Tư pháp"]["status"] == "not ranked"
    assert rows["Sở Công Thương"]["rank"] == "1"


def test_missing_values_make_a_unit_incomplete_with_the_missing_codes(tmp_path: Path) -> None:
    values = list(GOOD)
    values[LEAVES.index("6.2")] = ""
    path = write_csv(tmp_path / "m.csv", [["unit", *LEAVES], ["Sở Y tế", *values]])
    result = invoke("score", "-f", FW, str(path), "--lang", "en")
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["status"] == "incomplete" and row["missing"] == "6.2" and row["rank"] == ""
    assert row["total"] == ""


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1258"])
def test_utf8_with_bom_and_windows_1258_files_are_read_as_nfc(
    tmp_path: Path, encoding: str
) -> None:
    path = wide(tmp_path / "in.csv", encoding=encoding)
    result = invoke("score", "-f", FW, str(path), "--lang", "en")
    assert result.exit_code == 0, result.output
    units = [r["unit"] for r in csv.DictReader(io.StringIO(result.stdout))]
    assert units == ["Sở Tư pháp", "Sở Công Thương"]
    assert all(unicodedata.is_normalized("NFC", u) for u in units)


def test_unit_names_are_sorted_in_vietnamese_order_among_equals(tmp_path: Path) -> None:
    names = ["Ủy ban Dân tộc", "Bộ Y tế", "Bộ Xây dựng", "Ban Cơ yếu", "Bộ Công an"]
    path = write_csv(
        tmp_path / "t.csv",
        [["unit", "1", "2", "3", "4", "5", "6", "7"]]
        + [[n, "10", "15", "8", "12", "9", "10", "18"] for n in names],
    )
    result = invoke("score", "-f", FW, str(path), "--lang", "en")
    ordered = [r["unit"] for r in csv.DictReader(io.StringIO(result.stdout))]
    assert ordered == ["Ban Cơ yếu", "Bộ Công an", "Bộ Xây dựng", "Bộ Y tế", "Ủy ban Dân tộc"]


# --- bad input --------------------------------------------------------------------------


def _problems(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code != 0
    return str(result.output)


def test_decimal_comma_is_reported_with_row_and_column_unless_asked_for(tmp_path: Path) -> None:
    values = list(CUT)
    values[LEAVES.index("7.1")] = "91,87"
    path = write_csv(
        tmp_path / "c.csv", [["unit", *LEAVES], ["Sở Tư pháp", *GOOD], ["Sở Công Thương", *values]]
    )
    out = tmp_path / "out.csv"
    text = _problems(invoke("score", "-f", FW, str(path), "--out", str(out)))
    assert "c.csv" in text and "value.decimal_comma" in text and "91.87" in text
    assert "│ 3 " in text and "7.1" in text
    assert not out.exists() and list(tmp_path.glob("*.part")) == []
    ok = invoke("score", "-f", FW, str(path), "--decimal-comma", "--lang", "en")
    assert ok.exit_code == 0, ok.output


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    bad = list(CUT)
    bad[LEAVES.index("1.4")] = "7"  # above its maximum 2
    bad[LEAVES.index("1.5")] = "-1"  # below zero
    bad[LEAVES.index("1.1")] = "sớm"  # not an option
    path = write_csv(
        tmp_path / "b.csv",
        [["unit", *LEAVES, "9.9"], ["Sở Tư pháp", *GOOD, "1"], ["Sở Tư pháp", *bad, "1"]],
    )
    text = _problems(invoke("score", "-f", FW, str(path), "--lang", "en"))
    assert "node.unknown" in text and "9.9" in text
    path = write_csv(
        tmp_path / "b2.csv",
        [["unit", *LEAVES], ["Sở Tư pháp", *GOOD], ["Sở Tư pháp", *GOOD], ["Sở Nội vụ", *bad]],
    )
    text = _problems(invoke("score", "-f", FW, str(path), "--lang", "en"))
    for rule in ("unit.duplicate", "value.above_max", "value.negative", "value.bad_choice"):
        assert rule in text, rule
    assert "4 problems; nothing was written" in text


def test_an_unknown_node_in_the_header_does_not_hide_the_problems_of_the_rows(
    tmp_path: Path,
) -> None:
    """The issue's file: a header naming an unknown node used to stop the check, and the bad
    values and the repeated unit in the rows below went unreported."""
    bad = list(CUT)
    bad[LEAVES.index("1.4")] = "7"
    bad[LEAVES.index("1.1")] = "sớm"
    path = write_csv(
        tmp_path / "b.csv",
        [
            ["unit", *LEAVES, "9.9", "1.4"],
            ["Sở Tư pháp", *GOOD, "1", "2"],
            ["Sở Tư pháp", *GOOD, "1", "2"],
            ["Sở Nội vụ", *bad, "1", "2"],
        ],
    )
    text = _problems(invoke("score", "-f", FW, str(path), "--lang", "en"))
    for rule in (
        "node.unknown",
        "file.header_duplicate",
        "unit.duplicate",
        "value.above_max",
        "value.bad_choice",
    ):
        assert rule in text, rule
    assert "5 problems; nothing was written" in text


def test_messages_are_in_vietnamese_by_default(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "b.csv", [["unit", "1.4"], ["Sở Tư pháp", "7"]])
    text = _problems(invoke("score", "-f", FW, str(path)))
    assert "vượt điểm tối đa" in text and "Dòng" in text and "Cột" in text


@pytest.mark.parametrize("content", [b"", b"   \n\n"])
def test_an_empty_file_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    text = _problems(invoke("score", "-f", FW, str(path), "--lang", "en"))
    assert "file.empty" in text and "Traceback" not in text


def test_a_large_file_of_one_column_is_refused_quickly_and_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "one-column.csv"
    line = b"Lorem ipsum dolor sit amet consectetur\n"
    path.write_bytes(b"comments\n" + line * (50 * 1024 * 1024 // len(line)))
    assert path.stat().st_size > 50_000_000
    out = tmp_path / "out.xlsx"
    text = _problems(invoke("score", "-f", FW, str(path), "--out", str(out), "--lang", "en"))
    assert "file.no_unit_column" in text
    assert not out.exists()


def test_a_header_with_a_unit_column_only_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "u.csv", [["unit"], ["Sở Tư pháp"]])
    assert "file.no_node_columns" in _problems(invoke("score", "-f", FW, str(path), "--lang", "en"))


def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip file")
    text = _problems(invoke("score", "-f", FW, str(path), "--lang", "en"))
    assert "file.unreadable" in text and "Traceback" not in text
    doc = tmp_path / "in.pdf"
    doc.write_bytes(b"%PDF")
    assert "file.format" in _problems(invoke("score", "-f", FW, str(doc), "--lang", "en"))


def test_a_failed_run_leaves_an_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("last year's results", encoding="utf-8")
    path = write_csv(tmp_path / "b.csv", [["unit", "1.4"], ["Sở Tư pháp", "7"]])
    _problems(invoke("score", "-f", FW, str(path), "--out", str(out)))
    assert out.read_text(encoding="utf-8") == "last year's results"
