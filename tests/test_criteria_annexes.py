"""Criteria annexes as provinces write them (issue #20, part 4): the scoring levels under a
sub-criterion become its rule, not extra criteria and not errors; their points stay out of the
sums; two-row headers, (1)(2)(3) rows, repeated headers, TỔNG ĐIỂM and a table continued in
a second one are read; an ambiguous level is reported with its row and why.

The layouts and the frameworks they must give are in :mod:`annex_tables`, written by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from annex_tables import EXCEL, WORD, Annex, Part, write_excel, write_word
from chiso.cli.app import app
from chiso.frameworks import framework_from_text, get_framework
from chiso.problems import Refusal
from chiso.scoring.rules import points_for
from chiso.tables.criteria_tables import TableMeta, export_table, import_table

META = TableMeta(code="tinh-so-2026", subjects=("department",), year=2026)
WRITERS = {"docx": write_word, "xlsx": write_excel}


def flat(nodes: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for n in nodes:
        out.append((n["code"], n["name_vi"], n["max"], n.get("rule"), n.get("guidance")))
        out += flat(n.get("children", []))
    return out


def read(tmp_path: Path, annex: Annex, suffix: str) -> dict[str, Any]:
    path = WRITERS[suffix](tmp_path / f"{annex.name}.{suffix}", annex)
    doc: dict[str, Any] = yaml.safe_load(import_table(path, META))
    return doc


@pytest.mark.parametrize("annex", WORD + EXCEL, ids=lambda a: a.name)
@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_an_annex_gives_its_framework_with_levels_as_rules(
    tmp_path: Path, annex: Annex, suffix: str
) -> None:
    """Each layout, in Word and in Excel (the Word parts one under the other in a sheet)."""
    doc = read(tmp_path, annex, suffix)
    assert flat(doc["nodes"]) == annex.expected
    assert doc["scoring"]["total"]["max"] == annex.total


@pytest.mark.parametrize("annex", WORD + EXCEL, ids=lambda a: a.name)
def test_level_points_never_enter_the_sums(tmp_path: Path, annex: Annex) -> None:
    """Every parent's maximum is the sum of its children's (the loader checks it: the file
    is refused otherwise), and a leaf with levels has its best level as its maximum."""
    fw = framework_from_text(import_table(WRITERS["docx"](tmp_path / "a.docx", annex), META), "a")
    for node in fw.walk():
        if node.children:
            assert node.max == pytest.approx(sum(c.max or 0 for c in node.children))
        elif node.rule.kind == "choice":
            assert node.max == max(o.points for o in node.rule.options)
        elif node.rule.kind == "bands":
            assert node.max == max(b.points or 0 for b in node.rule.bands)
    assert fw.total_max == pytest.approx(sum(n.max or 0 for n in fw.nodes))


def test_the_rules_read_from_levels_score_as_the_decision_says(tmp_path: Path) -> None:
    from annex_tables import W1, W2, W6, X1

    w1 = framework_from_text(import_table(write_word(tmp_path / "w1.docx", W1), META), "w1")
    assert points_for(w1.node("1.1.1"), "Ban hành chậm") == 0.5
    assert points_for(w1.node("1.1.2"), 100.0) == 1
    assert points_for(w1.node("1.1.2"), 80.0) == 0.5
    assert points_for(w1.node("1.1.2"), 79.99) == 0
    w2 = framework_from_text(import_table(write_word(tmp_path / "w2.docx", W2), META), "w2")
    assert points_for(w2.node("1.2"), 1.0) == 0.5  # one disciplined case: 1 − 0,5
    assert points_for(w2.node("1.2"), 3.0) == 0  # never below 0
    w6 = framework_from_text(import_table(write_word(tmp_path / "w6.docx", W6), META), "w6")
    assert points_for(w6.node("1.1.3"), "có") == 0.5  # the one level met
    assert points_for(w6.node("1.1.3"), "không") == 0
    assert points_for(w6.node("1.1.4"), 2.0) == 0.5  # two late reports: 1 − 2 × 0,25
    x1 = framework_from_text(import_table(write_excel(tmp_path / "x1.xlsx", X1), META), "x1")
    assert points_for(x1.node("1.1.3"), 1.0) == 0.25
    assert points_for(x1.node("2.1"), 95.0) == 1


def test_level_rows_with_points_in_the_points_column_were_refused_line_by_line(
    tmp_path: Path,
) -> None:
    """The refusal of the issue: each level row with its points in the points column was
    ``table.no_outline`` (a row with points and no number). They are now the leaf's rule."""
    from annex_tables import W2

    doc = read(tmp_path, W2, "docx")
    leaf = next(n for n in flat(doc["nodes"]) if n[0] == "1.1.1")
    assert leaf[3]["kind"] == "choice" and len(leaf[3]["options"]) == 3


BAD = Annex(
    "bad",
    [
        Part(
            [
                ["STT", "Nội dung", "Điểm tối đa", "Ghi chú"],  # 1
                ["I", "Chỉ đạo, điều hành", "", ""],  # 2
                ["1", "Kế hoạch", "2", ""],  # 3
                ["", "- Ban hành đúng hạn: 2", "", ""],  # 4: levels of a parent
                ["1.1", "Ban hành kế hoạch", "1", ""],  # 5
                ["", "- Đúng hạn: 1", "", ""],  # 6
                ["", "- Chậm", "", ""],  # 7: no points, beside levels that have some
                ["1.2", "Thực hiện kế hoạch", "1", ""],  # 8
                ["", "- Từ 80% đến dưới 100%: 1", "", ""],  # 9: 100% itself scores nothing
                ["", "- Từ 50% đến dưới 90%: 0,5", "", ""],  # 10: overlaps row 9
                ["", "- Dưới 40%: 0", "", ""],  # 11: 40% to 50% scores nothing
                ["2", "Báo cáo", "1", ""],  # 12: maximum 1, best level 1,5
                ["", "- Đủ, đúng hạn: 1,5", "", ""],  # 13
                ["", "- Chậm: 0,5", "", ""],  # 14
                ["II", "Thủ tục hành chính", "", ""],  # 15
                ["1", "Giải quyết đúng hạn", "1", ""],  # 16
                ["", "- Trên 90%: 1", "", ""],  # 17: 90% excluded: to which level?
                ["", "- Từ 50% đến 90%: 0,5", "", ""],  # 18: 90% included
                ["", "- Dưới 50%: 0", "", ""],  # 19
                ["2", "Công khai kết quả", "1", ""],  # 20
                ["", "- Công khai đầy đủ: 1", "0,5", ""],  # 21: 1 in the text, 0,5 in column
                ["", "- Ngoài ra: 0", "", ""],  # 22
                ["", "TỔNG ĐIỂM", "6", ""],  # 23: the items add up to 4
            ]
        )
    ],
    [],
    0,
)


@pytest.mark.parametrize(
    ("suffix", "shift", "where"), [("docx", 0, "bảng 2"), ("xlsx", 1, "sheet")]
)
def test_ambiguous_levels_are_reported_with_their_row_and_why(
    tmp_path: Path, suffix: str, shift: int, where: str
) -> None:
    """Word counts rows in its table, Excel in its sheet (the title above is row 1)."""
    path = WRITERS[suffix](tmp_path / f"bad.{suffix}", BAD)
    with pytest.raises(Refusal) as caught:
        import_table(path, META, path.name)
    content, points = ("2", "3") if suffix == "docx" else ("B", "C")
    found = {(p.rule, p.row - shift, p.column) for p in caught.value.report}
    assert found == {
        ("table.level_on_parent", 4, content),
        ("table.level_no_points", 7, content),
        ("table.level_top", 9, content),
        ("table.level_overlap", 9, content),
        ("table.level_gap", 10, content),
        ("table.level_max", 12, points),
        ("table.level_range_open_low", 17, content),
        ("table.level_range_closed_high", 18, content),
        ("table.level_points_conflict", 21, points),
        ("table.total_mismatch", 23, points),
    }
    assert all(where in p.file for p in caught.value.report)
    by_rule = {p.rule: p for p in caught.value.report}
    assert by_rule["table.level_no_points"].message("vi") == (
        "mục '1.1': mức '- Chậm' không ghi điểm, trong khi các mức cùng cấp có điểm: ghi điểm "
        "của mức ở cuối dòng hoặc ở cột điểm"
    )
    assert by_rule["table.level_range_open_low"].message("en") == (
        "item '1': the level '- Trên 90%: 1' excludes its lower bound ('above …%'), so which "
        "level that rate belongs to is unclear: write 'from …% to below …%'"
    )
    assert by_rule["table.level_gap"].message("vi") == (
        "mục '1.2': không mức nào cho điểm khi tỷ lệ từ 40% đến dưới 50%"
    )
    assert by_rule["table.level_max"].message("en") == (
        "the maximum of item '2' (1) differs from the points of its best level (1.5)"
    )


def test_a_problem_in_the_continued_table_names_that_table_and_its_row(tmp_path: Path) -> None:
    from annex_tables import W5

    parts = [W5.parts[0], W5.parts[1], Part([["", "- Giải ngân dưới 80%", "", ""]], [], True)]
    path = write_word(tmp_path / "w5.docx", Annex("split", parts, [], 0))
    with pytest.raises(Refusal) as caught:
        import_table(path, META, "w5.docx")
    found = [(p.rule, p.file, p.row) for p in caught.value.report]
    assert found == [
        ("table.level_no_points", "w5.docx, bảng 4", 1),  # its points left out
        ("table.level_gap", "w5.docx, bảng 3", 2),  # so below 80% scores nothing
        ("table.sum_mismatch", "w5.docx, bảng 2", 2),  # and item 1.2 is gone: I is 2, not 3
    ]


def test_a_table_after_the_criteria_with_other_columns_is_not_read_as_their_sequel(
    tmp_path: Path,
) -> None:
    """The signature block of a decision (two columns) after the table stays out of it."""
    from annex_tables import W5

    parts = [*W5.parts, Part([["Nơi nhận:", "CHỦ TỊCH"]], [], False)]
    doc = read(tmp_path, Annex(W5.name, parts, W5.expected, W5.total), "docx")
    assert flat(doc["nodes"]) == W5.expected


def test_the_command_imports_an_annex_with_its_rules(tmp_path: Path) -> None:
    from annex_tables import W1

    source = write_word(tmp_path / "phu-luc.docx", W1)
    out = tmp_path / "khung.yaml"
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        app,
        ["frameworks", "import", str(source), "--code", "tinh-so-2026", "--subject",
         "department", "--year", "2026", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "9 nút" in result.output
    fw = framework_from_text(out.read_text(encoding="utf-8"), "khung.yaml")
    assert [n.rule.kind for n in fw.leaves()] == ["choice", "bands", "points", "choice", "points"]


@pytest.mark.parametrize("annex", WORD + EXCEL, ids=lambda a: a.name)
@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_an_annex_exported_and_imported_again_is_the_same_framework_file(
    tmp_path: Path, annex: Annex, suffix: str
) -> None:
    """The rules are written back as level lines under their leaves, which read back into
    the same rules: a framework downloaded as Word or Excel and uploaded again is unchanged."""
    first = import_table(write_word(tmp_path / "a.docx", annex), META)
    export_table(framework_from_text(first, "a.yaml"), tmp_path / f"b.{suffix}")
    assert import_table(tmp_path / f"b.{suffix}", META) == first


def test_the_built_in_rules_are_exported_as_levels_that_read_back(tmp_path: Path) -> None:
    """example-department-2024's choice, bands (named "70–<90%", written out as a range) and
    deductions come back with the same points for the same answers."""
    fw = get_framework("example-department-2024")
    export_table(fw, tmp_path / "ex.docx")
    again = framework_from_text(import_table(tmp_path / "ex.docx", META), "again.yaml")
    for node in fw.leaves():
        back = again.node(node.code)
        if node.rule.kind in ("choice", "bands", "deduction"):
            assert back.rule.kind == node.rule.kind, node.code
    assert points_for(again.node("1.1"), "Ban hành chậm") == points_for(fw.node("1.1"), "chậm")
    for rate in (0.0, 69.9, 70.0, 89.99, 90.0, 100.0):
        assert points_for(again.node("1.2"), rate) == points_for(fw.node("1.2"), rate)


def test_a_level_line_of_thirty_thousand_digits_is_read_in_linear_time(tmp_path: Path) -> None:
    """The patterns for points and rates backtrack over a run of digits: searched whole, a
    line of 8,000 digits took 24 s. Only a level's start and end are searched."""
    import time

    rows = [
        ["STT", "Nội dung", "Điểm tối đa", "Ghi chú"],
        ["1", "Tiêu chí", "1", ""],
        ["", "- " + "9" * 30_000 + "x", "", ""],
        ["", "- Từ " + "9" * 30_000 + "% trở lên: 1", "", ""],
        ["", "- Mỗi lỗi trừ " + "9" * 30_000, "", ""],
    ]
    path = write_excel(tmp_path / "dai.xlsx", Annex("long", [Part(rows)], [], 0))
    start = time.perf_counter()
    with pytest.raises(Refusal):
        import_table(path, META, "dai.xlsx")
    assert time.perf_counter() - start < 2


def test_a_second_annex_under_its_own_title_is_not_read_as_the_first_ones_sequel(
    tmp_path: Path,
) -> None:
    """A decision with Phụ lục I (departments) and Phụ lục II (districts) in one file: the
    second table has the same columns and starts with the header, but a title stands between."""
    from docx import Document

    from annex_tables import W5

    path = write_word(tmp_path / "hai-phu-luc.docx", W5)
    document = Document(str(path))
    document.add_paragraph("PHỤ LỤC II: BỘ TIÊU CHÍ CẤP HUYỆN")
    second = document.add_table(rows=2, cols=4)
    for c, text in enumerate(["STT", "Nội dung", "Điểm tối đa", "Phương pháp đánh giá"]):
        second.rows[0].cells[c].text = text
    for c, text in enumerate(["I", "Chỉ đạo điều hành cấp huyện", "10", ""]):
        second.rows[1].cells[c].text = text
    document.save(str(path))
    doc = yaml.safe_load(import_table(path, META))
    assert flat(doc["nodes"]) == W5.expected


def test_the_maximum_is_read_from_the_lower_header_cell_under_a_merged_points_header(
    tmp_path: Path,
) -> None:
    """``Điểm`` merged over ``Tự chấm`` then ``Tối đa``: the upper row alone names a points
    column (the first under the merge, the self-assessment); the lower row says which."""
    rows = [
        ["STT", "Nội dung", "Điểm", "", "Ghi chú"],
        ["", "", "Tự chấm", "Tối đa", ""],
        ["I", "Chỉ đạo điều hành", "", "2", ""],
        ["1", "Kế hoạch", "", "2", ""],
        ["", "- Đúng hạn: 2", "", "", ""],
        ["", "- Chậm: 1", "", "", ""],
    ]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)]
    for suffix, write in WRITERS.items():
        path = write(tmp_path / f"tu-cham.{suffix}", Annex("x", [Part(rows, merges)], [], 2))
        doc = yaml.safe_load(import_table(path, META))
        assert flat(doc["nodes"]) == [
            ("1", "Chỉ đạo điều hành", 2, None, None),
            ("1.1", "Kế hoạch", 2, {"kind": "choice", "options": [
                {"value": "Đúng hạn", "name_vi": "Đúng hạn", "points": 2},
                {"value": "Chậm", "name_vi": "Chậm", "points": 1},
            ]}, None),
        ]  # fmt: skip


def test_levels_in_the_guidance_cell_keep_the_contents_own_lines_as_guidance(
    tmp_path: Path,
) -> None:
    rows = [
        ["STT", "Nội dung", "Điểm tối đa", "Hướng dẫn chấm điểm"],
        ["1", "Công khai thủ tục\n- Theo hồ sơ niêm yết:", "1", "Đối chiếu:\n- Đúng: 1\n- Sai: 0"],
    ]
    doc = read(tmp_path, Annex("g", [Part(rows)], [], 1), "docx")
    assert flat(doc["nodes"]) == [
        (
            "1",
            "Công khai thủ tục",
            1,
            {"kind": "choice", "options": [
                {"value": "Đúng", "name_vi": "Đúng", "points": 1},
                {"value": "Sai", "name_vi": "Sai", "points": 0},
            ]},
            "- Theo hồ sơ niêm yết:\nĐối chiếu:",
        )
    ]  # fmt: skip


@pytest.mark.parametrize("annex", WORD + EXCEL, ids=lambda a: a.name)
def test_the_framework_file_is_the_same_text_with_or_without_libyaml(
    tmp_path: Path, annex: Annex
) -> None:
    """dump_yaml takes libyaml's dumper for speed: it must write what PyYAML's own writes."""
    text = import_table(write_word(tmp_path / f"{annex.name}.docx", annex), META)
    doc = yaml.safe_load(text)
    assert text == yaml.dump(
        doc, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=100
    )
