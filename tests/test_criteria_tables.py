"""Criteria tables in Word and Excel: the two outline styles provinces print, decimal commas,
guidance kept as notes, a round trip through both formats, and every problem of a bad table
reported at once with its sheet (or table), row and column, nothing written.

The tables are made here with openpyxl and python-docx as an office would type them; the
expected codes and maxima are read off the tables by hand, not computed by the importer."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.frameworks import framework_from_text, get_framework
from chiso.problems import Refusal
from chiso.tables.criteria_tables import TableMeta, export_table, import_table, shown_digits
from chiso.tables.outline import Outline, parse_printed

runner = CliRunner(env={"COLUMNS": "250"})
META = TableMeta(code="tinh-so-2024", subjects=("department",), year=2024, legal_basis="QĐ 1/QĐ")
HEADER = ["STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Hướng dẫn chấm điểm",
          "Phương pháp đánh giá"]  # fmt: skip

DOTTED = [
    ["1", "Công tác chỉ đạo, điều hành CCHC", "6,5", "", ""],
    ["1.1", "Kế hoạch CCHC năm", "2", "Ban hành đúng hạn: 2; chậm: 1", "Thẩm định hồ sơ"],
    ["1.2", "Báo cáo CCHC", "4,5", "", ""],
    ["1.2.1", "Báo cáo đủ số lượng", "2", "", ""],
    ["1.2.2", "Báo cáo đúng hạn", "2.5", "", ""],
    ["2", "Cải cách thủ tục hành chính", "3.5", "", ""],
    ["2.1", "Công khai thủ tục", "3,5", "", ""],
    ["", "Tổng điểm", "10", "", ""],
]
"""Dotted style, with a decimal comma and a decimal point; 11 codes below, total 10."""

ROMAN = [
    ["I", "Công tác chỉ đạo, điều hành", "", "", ""],
    ["1", "Kế hoạch CCHC", "3", "", ""],
    ["a", "Ban hành kịp thời", "1", "", ""],
    ["b", "Đầy đủ nhiệm vụ", "2", "", ""],
    ["2", "Kiểm tra CCHC", "1", "", ""],
    ["II", "Cải cách thủ tục hành chính", "6", "", ""],
    ["3", "Công khai thủ tục", "6", "", ""],
    ["a", "Niêm yết đúng quy định", "2", "", ""],
    ["b", "Cập nhật trên cổng", "2", "", ""],
    ["c", "Đúng hạn", "1", "", ""],
    ["d", "Không có phản ánh", "0,5", "", ""],
    ["đ", "Số hóa hồ sơ", "0,5", "", ""],
]
"""Roman / arabic / letter style; criteria numbered on across domains (II starts at 3); the
letters run a, b, c, d, đ; domain I has no points of its own (the sum of its children, 4)."""


def write_xlsx(path: Path, rows: list[list[str]], title: str = "BỘ CHỈ SỐ CCHC CÁC SỞ") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phụ lục"
    sheet.append([title])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(["(1)", "(2)", "(3)", "(4)", "(5)"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_docx(path: Path, rows: list[list[str]], title: str = "BỘ CHỈ SỐ CCHC CẤP HUYỆN") -> Path:
    document = Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN TỈNH")
    document.add_table(rows=1, cols=2)  # the heading table of a decision: not the criteria
    document.add_paragraph(title)
    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    for c, text in enumerate(HEADER):
        table.rows[0].cells[c].text = text
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            table.rows[r].cells[c].text = text
    document.save(str(path))
    return path


def nodes_of(text: str) -> list[tuple[str, str, float | None]]:
    fw = framework_from_text(text, "t.yaml")
    return [(n.code, n.name_vi, n.max) for n in fw.walk()]


def test_outline_numbers_by_kind_become_dotted_positions() -> None:
    outline = Outline(hierarchical=True)
    codes = []
    for number in ["I", "1", "a", "b", "2", "II", "3", "a"]:
        printed = parse_printed(number)
        assert printed is not None
        entry = outline.add(printed)
        codes.append(getattr(entry, "code", entry))
    assert codes == ["1", "1.1", "1.1.1", "1.1.2", "1.2", "2", "2.1", "2.1.1"]


def test_dotted_excel_table_reads_codes_maxima_and_guidance(tmp_path: Path) -> None:
    text = import_table(write_xlsx(tmp_path / "so.xlsx", DOTTED), META)
    assert nodes_of(text) == [
        ("1", "Công tác chỉ đạo, điều hành CCHC", 6.5),
        ("1.1", "Kế hoạch CCHC năm", 2),
        ("1.2", "Báo cáo CCHC", 4.5),
        ("1.2.1", "Báo cáo đủ số lượng", 2),
        ("1.2.2", "Báo cáo đúng hạn", 2.5),
        ("2", "Cải cách thủ tục hành chính", 3.5),
        ("2.1", "Công khai thủ tục", 3.5),
    ]
    fw = framework_from_text(text, "t.yaml")
    assert fw.total_max == 10
    assert fw.name_vi == "BỘ CHỈ SỐ CCHC CÁC SỞ"
    assert fw.legal_basis == "QĐ 1/QĐ"
    assert fw.node("1.1").guidance == "Ban hành đúng hạn: 2; chậm: 1"
    assert fw.node("1.1").method == "Thẩm định hồ sơ"


def test_roman_word_table_is_normalised_to_dotted_codes(tmp_path: Path) -> None:
    text = import_table(write_docx(tmp_path / "huyen.docx", ROMAN), META)
    assert nodes_of(text) == [
        ("1", "Công tác chỉ đạo, điều hành", 4),
        ("1.1", "Kế hoạch CCHC", 3),
        ("1.1.1", "Ban hành kịp thời", 1),
        ("1.1.2", "Đầy đủ nhiệm vụ", 2),
        ("1.2", "Kiểm tra CCHC", 1),
        ("2", "Cải cách thủ tục hành chính", 6),
        ("2.1", "Công khai thủ tục", 6),
        ("2.1.1", "Niêm yết đúng quy định", 2),
        ("2.1.2", "Cập nhật trên cổng", 2),
        ("2.1.3", "Đúng hạn", 1),
        ("2.1.4", "Không có phản ánh", 0.5),
        ("2.1.5", "Số hóa hồ sơ", 0.5),
    ]
    assert framework_from_text(text, "t.yaml").total_max == 10
    assert framework_from_text(text, "t.yaml").name_vi == "BỘ CHỈ SỐ CCHC CẤP HUYỆN"


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
@pytest.mark.parametrize("rows", [DOTTED, ROMAN], ids=["dotted", "roman"])
def test_import_of_export_is_the_same_framework_file(
    tmp_path: Path, suffix: str, rows: list[list[str]]
) -> None:
    first = import_table(write_xlsx(tmp_path / "in.xlsx", rows), META)
    fw = framework_from_text(first, "first.yaml")
    export_table(fw, tmp_path / f"out.{suffix}")
    assert import_table(tmp_path / f"out.{suffix}", META) == first


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_a_built_in_framework_survives_export_and_import(tmp_path: Path, suffix: str) -> None:
    fw = get_framework("example-department-2024")
    export_table(fw, tmp_path / f"ex.{suffix}")
    again = framework_from_text(import_table(tmp_path / f"ex.{suffix}", META), "again.yaml")
    assert [(n.code, n.name_vi, n.name_en, n.max) for n in again.walk()] == [
        (n.code, n.name_vi, n.name_en, n.max) for n in fw.walk()
    ]
    assert again.total_max == fw.total_max == 100


def test_bad_excel_table_reports_every_problem_with_sheet_row_and_column(tmp_path: Path) -> None:
    rows = [
        ["1", "Chỉ đạo điều hành", "5", "", ""],  # row 5: children add up to 4
        ["1.1", "Kế hoạch", "2", "", ""],  # row 6
        ["1.1", "Kế hoạch lặp", "1", "", ""],  # row 7: repeated number
        ["1.2", "Báo cáo", "2", "", ""],  # row 8
        ["2", "Thủ tục", "hai điểm", "", ""],  # row 9: text where points belong
        ["2.1", "Công khai", "1", "", ""],  # row 10
        ["2.3", "Đúng hạn", "1", "", ""],  # row 11: 2.2 skipped
        ["3", "Bộ máy", "3", "", ""],  # row 12
        ["3.1", "Sắp xếp", "", "", ""],  # row 13: its points hidden by a merge with row 12
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    book = openpyxl.load_workbook(path)
    book["Phụ lục"].merge_cells("C12:C13")
    book.save(path)
    with pytest.raises(Refusal) as caught:
        import_table(path, META, "bad.xlsx")
    found = {(p.rule, p.row, p.column) for p in caught.value.report}
    assert found == {
        ("table.sum_mismatch", 5, "C"),
        ("outline.duplicate", 7, "A"),
        ("table.points_not_number", 9, "C"),
        ("outline.skipped", 11, "A"),
        ("table.merged_points", 12, "C"),
    }
    assert all(p.file == "bad.xlsx, sheet 'Phụ lục'" for p in caught.value.report)
    duplicate = next(p for p in caught.value.report if p.rule == "outline.duplicate")
    assert duplicate.message("vi") == "số thứ tự '1.1' lặp lại (đã có ở dòng 6)"
    assert duplicate.message("en") == "outline number '1.1' is repeated (already on row 6)"


def test_command_writes_nothing_when_the_table_has_problems(tmp_path: Path) -> None:
    rows = [["1", "Chỉ đạo", "x", "", ""], ["1.1", "Kế hoạch", "1", "", ""]]
    out = tmp_path / "fw.yaml"
    result = runner.invoke(
        app,
        ["frameworks", "import", str(write_xlsx(tmp_path / "t.xlsx", rows)), "--code", "t",
         "--subject", "department", "--year", "2024", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "table.points_not_number" in result.output
    assert not out.exists()


def test_merged_points_cell_in_word_is_reported(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "m.docx", DOTTED)
    document = Document(str(path))
    table = document.tables[1]
    table.cell(2, 2).merge(table.cell(3, 2))  # 1.1 and 1.2 share one points cell
    document.save(str(path))
    with pytest.raises(Refusal) as caught:
        import_table(path, META, "m.docx")
    merged = [p for p in caught.value.report if p.rule == "table.merged_points"]
    assert [(p.file, p.row, p.column) for p in merged] == [("m.docx, bảng 2", 3, "3")]


def test_command_line_import_validates_and_export_round_trips(tmp_path: Path) -> None:
    src = write_docx(tmp_path / "huyen.docx", ROMAN)
    out = tmp_path / "huyen.yaml"
    args = ["--code", "huyen-2024", "--subject", "district", "--year", "2024"]
    result = runner.invoke(app, ["frameworks", "import", str(src), *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["frameworks", "validate", str(out)])
    assert result.exit_code == 0, result.output
    table = tmp_path / "huyen.xlsx"
    result = runner.invoke(app, ["frameworks", "export", str(out), "--out", str(table)])
    assert result.exit_code == 0, result.output
    again = tmp_path / "again.yaml"
    result = runner.invoke(app, ["frameworks", "import", str(table), *args, "--out", str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    assert yaml.safe_load(again.read_text(encoding="utf-8"))["subject"] == "district"


def test_list_as_json_gives_counts_and_completeness() -> None:
    result = runner.invoke(app, ["frameworks", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    listing = {f["code"]: f for f in json.loads(result.output)}
    example = listing["example-department-2024"]
    fw = get_framework("example-department-2024")
    assert example["nodes"] == len(fw.codes)
    assert example["leaves"] == len(fw.leaves())
    assert example["complete"] is True
    assert example["subject"] == ["department", "district"]
    assert listing["par-province-2019"]["complete"] is False


def test_a_two_row_header_with_points_split_into_columns(tmp_path: Path) -> None:
    """As many decisions print it: "Điểm" over "Tối đa" and "Tự chấm"; the second header row
    and the self-assessment column (empty in the decision) are not criteria."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["TT", "Lĩnh vực/Tiêu chí", "Điểm", "", "Ghi chú"])
    sheet.append(["", "", "Tối đa", "Tự chấm", ""])
    sheet.merge_cells("C1:D1")
    sheet.append(["I", "Chỉ đạo điều hành", "3", "", ""])
    sheet.append(["1", "Kế hoạch", "3", "", "kèm kế hoạch"])
    path = tmp_path / "hai-dong.xlsx"
    book.save(path)
    text = import_table(path, META)
    assert nodes_of(text) == [("1", "Chỉ đạo điều hành", 3), ("1.1", "Kế hoạch", 3)]
    assert framework_from_text(text, "t.yaml").node("1.1").notes == "kèm kế hoạch"


def _numeric_outline_xlsx(path: Path, last_format: str) -> Path:
    """Domain 1 with ten criteria whose outline numbers are typed into number cells, as a
    person does in Excel: 1.1 … 1.9 shown as ``0.0`` and the tenth typed 1.10, which Excel
    stores as the number 1.1 and shows under ``last_format``; then domain 2 with one."""
    rows: list[list[object]] = [[1, "Chỉ đạo điều hành", 10]]
    rows += [[float(f"1.{k}"), f"Tiêu chí 1.{k}", 1] for k in range(1, 11)]
    rows += [[2, "Thủ tục hành chính", 2], [2.1, "Công khai", 2]]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phụ lục"
    sheet.append(["BỘ CHỈ SỐ CCHC CÁC SỞ"])
    sheet.append(HEADER[:3])
    for row in rows:
        sheet.append(row)
    for r in range(3, 3 + len(rows)):
        if isinstance(sheet.cell(r, 1).value, float):
            sheet.cell(r, 1).number_format = "0.0"
    sheet.cell(13, 1).number_format = last_format  # the tenth criterion, 1.10
    book.save(path)
    return path


def test_a_numeric_outline_cell_is_read_with_the_digits_its_format_shows(tmp_path: Path) -> None:
    path = _numeric_outline_xlsx(tmp_path / "so.xlsx", "0.00")
    loaded = openpyxl.load_workbook(path)["Phụ lục"]
    assert loaded["A13"].value == 1.1  # what Excel keeps of 1.10: the format has the digits
    fw = framework_from_text(import_table(path, META), "t.yaml")
    assert [n.code for n in fw.node("1").children] == [f"1.{k}" for k in range(1, 11)]
    assert fw.node("1.10").name_vi == "Tiêu chí 1.10"
    assert fw.node("2.1").name_vi == "Công khai"


def test_a_numeric_outline_cell_whose_digits_are_lost_is_reported_not_renumbered(
    tmp_path: Path,
) -> None:
    path = _numeric_outline_xlsx(tmp_path / "so.xlsx", "General")
    with pytest.raises(Refusal) as caught:
        import_table(path, META, "so.xlsx")
    problems = [p for p in caught.value.report if p.rule == "table.numeric_outline"]
    assert [(p.file, p.row, p.column) for p in problems] == [("so.xlsx, sheet 'Phụ lục'", 13, "A")]
    assert problems[0].message("vi") == (
        "số thứ tự '1.1' nằm trong ô kiểu số nên không biết các chữ số đã ghi (1.10 được lưu "
        "thành 1.1): định dạng ô là văn bản (Text) rồi ghi lại số thứ tự"
    )
    assert problems[0].message("en") == (
        "outline number '1.1' is in a number cell, so the digits written are unknown (1.10 is "
        "stored as 1.1): format the cell as Text and type the number again"
    )
    assert "outline.duplicate" not in {p.rule for p in caught.value.report}


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (1.1, "0.00", "1.10"),
        (1.1, "#,##0.00", "1.10"),
        (1.1, "0.00_);(0.00)", "1.10"),
        (1.1, "0.0#", "1.1"),
        (1.25, "0.0#", "1.25"),
        (1.1, "General", None),
        (1.1, "@", None),
        (1.25, "0.0", None),  # shown rounded to 1.3: the written digits are not on screen
        (0.011, "0%", None),
    ],
)
def test_a_number_format_gives_the_written_digits_only_where_it_fixes_them(
    value: float, number_format: str, shown: str | None
) -> None:
    assert shown_digits(value, number_format) == shown


def test_a_name_like_a_formula_is_exported_as_quoted_text(tmp_path: Path) -> None:
    """OWASP's CSV injection: a criterion's name never becomes a live ``<f>`` formula, and the
    table still reads back with the name unchanged."""
    import zipfile

    from frameworks_for_tests import framework, leaf

    formula = '=HYPERLINK("x")'
    node = leaf("1", 100)
    fw = framework(dataclasses.replace(node, name_vi=formula), name_vi="BỘ CHỈ SỐ THỬ")
    export_table(fw, tmp_path / "t.xlsx")
    with zipfile.ZipFile(tmp_path / "t.xlsx") as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets"))
    cells = [
        c for row in openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows() for c in row
    ]
    named = [c for c in cells if c.value == formula]
    assert named and all(c.data_type == "s" and c.quotePrefix for c in named)


def _patched_sheet(path: Path, old: bytes, new: bytes) -> Path:
    """``path`` with ``old`` replaced by ``new`` in its one worksheet's XML (what a file made
    by another program, or by hand, may hold: openpyxl would not write it)."""
    import zipfile

    source = zipfile.ZipFile(path)
    out = path.with_name("patched.xlsx")
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            target.writestr(info, data)
    return out


def test_a_merge_over_the_whole_sheet_is_reported_not_expanded(tmp_path: Path) -> None:
    """openpyxl makes an object per merged cell on loading: ``A5:XFD1048576`` would be 17
    billion of them. The workbook is opened read-only (no merge expanded) and the range is
    counted from the XML, refused before any cell is read."""
    path = write_xlsx(tmp_path / "so.xlsx", DOTTED)
    book = openpyxl.load_workbook(path)
    book["Phụ lục"].merge_cells("E6:E7")
    book.save(path)
    bad = _patched_sheet(path, b'ref="E6:E7"', b'ref="A5:XFD1048576"')
    with pytest.raises(Refusal) as caught:
        import_table(bad, META, "so.xlsx")
    [problem] = list(caught.value.report)
    assert (problem.rule, problem.file) == ("table.merge_too_large", "so.xlsx, sheet 'Phụ lục'")
    assert problem.params["range"] == "A5:XFD1048576"
    assert problem.message("en") == (
        "the merged ranges up to A5:XFD1048576 span 17179803648 cells, more than the 20000 "
        "merged cells of a table"
    )


def test_a_sheet_spanning_more_cells_than_a_table_has_is_reported(tmp_path: Path) -> None:
    """Declared in the sheet's dimension, or (when the dimension says less) found once the
    cells are read: either way the empty cells between are never walked."""
    path = write_xlsx(tmp_path / "so.xlsx", DOTTED)
    book = openpyxl.load_workbook(path)
    book["Phụ lục"]["Z20000"] = "xa"
    book.save(path)
    for file in (path, _patched_sheet(path, b'<dimension ref="A1:Z20000"', b'<dimension ref="A1"')):
        with pytest.raises(Refusal) as caught:
            import_table(file, META, "so.xlsx")
        [problem] = list(caught.value.report)
        assert (problem.rule, problem.file) == ("table.too_large", "so.xlsx, sheet 'Phụ lục'")
        assert problem.params["range"] == "A1:Z20000" and problem.params["cells"] == 520_000


def test_an_outline_deeper_than_a_criteria_table_goes_is_reported_not_recursed(
    tmp_path: Path,
) -> None:
    """``1``, ``1.1``, ``1.1.1``… 1,200 levels down: the sums were checked level by level,
    recursively, and ended in RecursionError. A real table has four or five levels."""
    rows, number = [], "1"
    for level in range(1, 1201):
        rows.append([number, f"Mục cấp {level}", "1" if level == 1200 else "", "", ""])
        number += ".1"
    with pytest.raises(Refusal) as caught:
        import_table(write_xlsx(tmp_path / "sau.xlsx", rows), META, "sau.xlsx")
    problems = [p for p in caught.value.report if p.rule == "outline.too_deep"]
    assert [(p.row, p.column) for p in problems] == [(4 + 11, "A")]  # the 11th level's row
    assert problems[0].message("en") == (
        "outline number '1.1.1.1.1.1.1.1.1.1.1' is 11 levels deep, more than the 10 of a "
        "criteria table"
    )


def test_a_table_of_more_criteria_than_a_set_has_is_refused_at_the_first_one_too_many(
    tmp_path: Path,
) -> None:
    """Each criterion becomes a framework node, written as YAML and read back: 20,000 of them
    cost seconds. A province's set has a few hundred; the 3,001st row stops the reading."""
    rows = [[str(i), f"Tiêu chí {i}", "1", "", ""] for i in range(1, 3102)]
    with pytest.raises(Refusal) as caught:
        import_table(write_xlsx(tmp_path / "dai.xlsx", rows), META, "dai.xlsx")
    [problem] = list(caught.value.report)
    assert (problem.rule, problem.row, problem.column) == ("table.too_many_nodes", 4 + 3001, "A")
