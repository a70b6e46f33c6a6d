"""Criteria annexes laid out as provinces' decisions lay them out, made here with python-docx
and openpyxl, each with the framework it must give (issue #20, part 4).

Every layout is a table a People's Committee prints: a header of two rows with merged cells
(``Điểm`` over ``Tối đa`` and ``Tự chấm``), often a (1) (2) (3) row under it; domains I, II…,
criteria 1, 2… restarting in each domain, sub-criteria 1.1, 1.2…; under a sub-criterion its
scoring levels as lines starting with "-" or "+", their points at the end of the text or in
the points column; penalty lines; a TỔNG ĐIỂM row; the header repeated after a page break; a
table continued in a second table. The texts are made up in the manner of such decisions
(simulated by this module, not copied from one); the expected frameworks were written by
hand from the tables, not produced by the importer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from docx import Document
from docx.enum.text import WD_BREAK

Merge = tuple[int, int, int, int]
"""First row, first column, last row, last column (from 0) of a merged cell."""

TWO_ROW_HEADER = [
    ["TT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm", "", "Tài liệu kiểm chứng"],
    ["", "", "Điểm tối đa", "Điểm tự chấm", ""],
]
TWO_ROW_MERGES: list[Merge] = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)]
NUMBERING = ["(1)", "(2)", "(3)", "(4)", "(5)"]

GUIDANCE_HEADER = [
    ["STT", "Nội dung tiêu chí", "Điểm tối đa", "Hướng dẫn chấm điểm"],
]


@dataclass
class Part:
    """One Word table (or the one sheet): its rows and merged cells."""

    rows: list[list[str]]
    merges: list[Merge] = field(default_factory=list)
    page_break_before: bool = False


@dataclass
class Annex:
    """A layout: its name, its parts, and the framework it must give as ``expected``:
    (code, name_vi, max, rule or None, guidance or None) in official order, and the total."""

    name: str
    parts: list[Part]
    expected: list[tuple[str, str, float, dict[str, Any] | None, str | None]]
    total: float


def write_word(path: Path, annex: Annex) -> Path:
    """The annex as a decision's Word file: a heading table (not the criteria), the title,
    then the criteria table in one or more parts."""
    document = Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN TỈNH")
    document.add_table(rows=1, cols=2)
    document.add_paragraph("PHỤ LỤC: BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CÁC SỞ")
    for part in annex.parts:
        if part.page_break_before:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        width = max(len(r) for r in part.rows)
        table = document.add_table(rows=len(part.rows), cols=width)
        covered = {
            (r, c)
            for (r1, c1, r2, c2) in part.merges
            for r in range(r1, r2 + 1)
            for c in range(c1, c2 + 1)
        }
        for r, (row, cells) in enumerate(zip(part.rows, table.rows, strict=True)):
            made = cells.cells  # per row: table.cell() reads the whole grid each time
            for c, text in enumerate(row):
                if (r, c) not in covered:
                    made[c].text = text
        for r1, c1, r2, c2 in part.merges:
            text = part.rows[r1][c1]
            merged = table.cell(r1, c1).merge(table.cell(r2, c2))
            merged.text = text
    document.save(str(path))
    return path


def write_excel(path: Path, annex: Annex) -> Path:
    """The annex as a sheet: the title, then the table's parts one under the other."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phụ lục"
    sheet.append(["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CẤP HUYỆN"])
    for part in annex.parts:
        first = sheet.max_row + 1
        for row in part.rows:
            sheet.append([_excel_value(x) for x in row])
        for r1, c1, r2, c2 in part.merges:
            sheet.merge_cells(
                start_row=first + r1, start_column=c1 + 1, end_row=first + r2, end_column=c2 + 1
            )
    book.save(path)
    return path


def _excel_value(text: str) -> Any:
    """Points typed as numbers (``0,5`` becomes 0.5), as an office types them; the rest as
    text."""
    if re.fullmatch(r"\d+(,\d+)?", text):
        return float(text.replace(",", "."))
    return text


def choice(*options: tuple[str, float]) -> dict[str, Any]:
    return {
        "kind": "choice",
        "options": [{"value": n, "name_vi": n, "points": p} for n, p in options],
    }


def bands(*levels: tuple[str, float, float | None, float]) -> dict[str, Any]:
    """Bands from the highest down: (name, min, below or None, points)."""
    out = []
    for name, low, below, points in levels:
        band: dict[str, Any] = {"code": name, "min": low}
        if below is not None:
            band["below"] = below
        band["points"] = points
        out.append(band)
    return {"kind": "bands", "range": [0, 100], "bands": out}


def deduction(per_item: float) -> dict[str, Any]:
    return {"kind": "deduction", "per_item": per_item}


# -- 1. Word: two-row header with merges, (1)(2)(3) row, levels as rows with points in the
#       text, a sub-criterion's points cell merged down over its level rows
W1 = Annex(
    "word-levels-in-text",
    [
        Part(
            [
                *TWO_ROW_HEADER,
                NUMBERING,
                ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "3", "", ""],
                ["1", "Kế hoạch CCHC", "2", "", ""],
                ["1.1", "Ban hành kế hoạch CCHC năm", "1", "", "Kế hoạch"],
                ["", "- Ban hành đúng thời gian: 1", "", "", ""],
                ["", "- Ban hành chậm: 0,5 điểm", "", "", ""],
                ["", "- Không ban hành: 0", "", "", ""],
                ["1.2", "Mức độ thực hiện kế hoạch CCHC", "1", "", "Báo cáo"],
                ["", "- Hoàn thành 100% kế hoạch: 1 điểm", "", "", ""],
                ["", "- Hoàn thành từ 80% đến dưới 100%: 0,5 điểm", "", "", ""],
                ["", "- Hoàn thành dưới 80%: 0", "", "", ""],
                ["2", "Kiểm tra CCHC", "1", "", ""],
                ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "2", "", ""],
                ["1", "Công khai thủ tục hành chính", "2", "", ""],
                ["1.1", "Niêm yết công khai đầy đủ", "1", "", ""],
                ["", "- Đầy đủ: 1", "", "", ""],
                ["", "- Không đầy đủ: 0", "", "", ""],
                ["1.2", "Cập nhật thủ tục trên Cổng dịch vụ công", "1", "", ""],
                ["", "TỔNG ĐIỂM", "5", "", ""],
            ],
            [*TWO_ROW_MERGES, (5, 2, 8, 2)],  # 1.1's points cell merged down its levels
        )
    ],
    [
        ("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 3, None, None),
        ("1.1", "Kế hoạch CCHC", 2, None, None),
        (
            "1.1.1",
            "Ban hành kế hoạch CCHC năm",
            1,
            choice(("Ban hành đúng thời gian", 1), ("Ban hành chậm", 0.5), ("Không ban hành", 0)),
            None,
        ),
        (
            "1.1.2",
            "Mức độ thực hiện kế hoạch CCHC",
            1,
            bands(
                ("Hoàn thành 100% kế hoạch", 100, None, 1),
                ("Hoàn thành từ 80% đến dưới 100%", 80, 100, 0.5),
                ("Hoàn thành dưới 80%", 0, 80, 0),
            ),
            None,
        ),
        ("1.2", "Kiểm tra CCHC", 1, None, None),
        ("2", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 2, None, None),
        ("2.1", "Công khai thủ tục hành chính", 2, None, None),
        ("2.1.1", "Niêm yết công khai đầy đủ", 1, choice(("Đầy đủ", 1), ("Không đầy đủ", 0)), None),
        ("2.1.2", "Cập nhật thủ tục trên Cổng dịch vụ công", 1, None, None),
    ],
    5,
)

# -- 2. Word: levels' points in the points column, "+" lines under a "-" heading, a penalty
#       per fault as the leaf's only rule, TỔNG ĐIỂM written across the number and content
W2 = Annex(
    "word-points-column",
    [
        Part(
            [
                ["STT", "Tiêu chí", "Điểm chuẩn", "Ghi chú"],
                ["I", "Cải cách tổ chức bộ máy", "", ""],
                ["1", "Sắp xếp tổ chức bộ máy", "", ""],
                ["1.1", "Thực hiện quy định về cơ cấu tổ chức", "1,5", ""],
                ["", "- Thực hiện đúng quy định", "1,5", ""],
                ["", "- Có sai sót nhỏ", "0,75", ""],
                ["", "- Không thực hiện", "0", ""],
                ["1.2", "Tỷ lệ giảm biên chế so với năm 2015", "2", ""],
                ["", "- Đạt từ 10% trở lên", "2", ""],
                ["", "- Từ 5% đến dưới 10%", "1", ""],
                ["", "- Dưới 5%", "0", ""],
                ["2", "Chấp hành kỷ luật, kỷ cương", "1", ""],
                ["", "- Mỗi trường hợp vi phạm bị xử lý kỷ luật trừ 0,5 điểm", "", ""],
                ["II", "Xây dựng chính quyền số", "1", ""],
                ["1", "Gửi nhận văn bản điện tử", "1", ""],
                ["", "- Đúng quy định:", "", ""],
                ["", "+ Toàn bộ văn bản gửi nhận qua mạng: 1 điểm", "", ""],
                ["", "+ Còn văn bản giấy: 0 điểm", "", ""],
                ["TỔNG ĐIỂM", "", "5,5", ""],
            ],
            [(18, 0, 18, 1)],
        )
    ],
    [
        ("1", "Cải cách tổ chức bộ máy", 4.5, None, None),
        ("1.1", "Sắp xếp tổ chức bộ máy", 3.5, None, None),
        (
            "1.1.1",
            "Thực hiện quy định về cơ cấu tổ chức",
            1.5,
            choice(
                ("Thực hiện đúng quy định", 1.5), ("Có sai sót nhỏ", 0.75), ("Không thực hiện", 0)
            ),
            None,
        ),
        (
            "1.1.2",
            "Tỷ lệ giảm biên chế so với năm 2015",
            2,
            bands(
                ("Đạt từ 10% trở lên", 10, None, 2),
                ("Từ 5% đến dưới 10%", 5, 10, 1),
                ("Dưới 5%", 0, 5, 0),
            ),
            None,
        ),
        (
            "1.2",
            "Chấp hành kỷ luật, kỷ cương",
            1,
            deduction(0.5),
            "- Mỗi trường hợp vi phạm bị xử lý kỷ luật trừ 0,5 điểm",
        ),
        ("2", "Xây dựng chính quyền số", 1, None, None),
        (
            "2.1",
            "Gửi nhận văn bản điện tử",
            1,
            choice(("Toàn bộ văn bản gửi nhận qua mạng", 1), ("Còn văn bản giấy", 0)),
            "- Đúng quy định:",
        ),
    ],
    5.5,
)

# -- 3. Word: the levels inside the sub-criterion's own cell (one cell, several lines), a
#       penalty beside levels (kept as guidance: a leaf has one rule), an explanation line
W3 = Annex(
    "word-levels-in-the-cell",
    [
        Part(
            [
                *GUIDANCE_HEADER,
                ["I", "Cải cách thể chế", "4", ""],
                ["1", "Xây dựng văn bản quy phạm pháp luật", "4", ""],
                [
                    "1.1",
                    "Ban hành văn bản đúng tiến độ\n- Đúng tiến độ: 2\n- Chậm tiến độ: 1\n"
                    "- Trừ 0,25 điểm cho mỗi văn bản bị đôn đốc\n(Căn cứ báo cáo của Sở Tư pháp)",
                    "2",
                    "",
                ],
                [
                    "1.2",
                    "Tự kiểm tra văn bản\n+ Kiểm tra 100% văn bản: 2 điểm\n"
                    "+ Kiểm tra dưới 100% văn bản: 0 điểm",
                    "2",
                    "Đối chiếu danh mục văn bản",
                ],
            ]
        )
    ],
    [
        ("1", "Cải cách thể chế", 4, None, None),
        ("1.1", "Xây dựng văn bản quy phạm pháp luật", 4, None, None),
        (
            "1.1.1",
            "Ban hành văn bản đúng tiến độ",
            2,
            choice(("Đúng tiến độ", 2), ("Chậm tiến độ", 1)),
            "(Căn cứ báo cáo của Sở Tư pháp)\n- Trừ 0,25 điểm cho mỗi văn bản bị đôn đốc",
        ),
        (
            "1.1.2",
            "Tự kiểm tra văn bản",
            2,
            bands(
                ("Kiểm tra 100% văn bản", 100, None, 2), ("Kiểm tra dưới 100% văn bản", 0, 100, 0)
            ),
            "Đối chiếu danh mục văn bản",
        ),
    ],
    4,
)

# -- 4. Word: the header (both rows) and the (1)(2)(3) row repeated after a page break inside
#       the one table, as a decision printed across pages is typed
_W4_HEAD = [*TWO_ROW_HEADER, NUMBERING]
W4 = Annex(
    "word-header-repeated",
    [
        Part(
            [
                *_W4_HEAD,
                ["I", "Công tác chỉ đạo, điều hành", "2", "", ""],
                ["1", "Ban hành kế hoạch", "1", "", ""],
                ["", "- Đúng hạn: 1", "", "", ""],
                ["", "- Chậm: 0,5", "", "", ""],
                *_W4_HEAD,
                ["2", "Báo cáo định kỳ", "1", "", ""],
                ["", "- Đủ số lượng, đúng hạn: 1", "", "", ""],
                ["", "- Thiếu hoặc chậm: 0", "", "", ""],
                ["II", "Hiện đại hóa hành chính", "1", "", ""],
                *_W4_HEAD,
                ["1", "Áp dụng ISO 9001", "1", "", ""],
                ["", "Tổng điểm", "3", "", ""],
            ],
            [*TWO_ROW_MERGES, *[(r + 7, c1, r2 + 7, c2) for r, c1, r2, c2 in TWO_ROW_MERGES]],
        )
    ],
    [
        ("1", "Công tác chỉ đạo, điều hành", 2, None, None),
        ("1.1", "Ban hành kế hoạch", 1, choice(("Đúng hạn", 1), ("Chậm", 0.5)), None),
        (
            "1.2",
            "Báo cáo định kỳ",
            1,
            choice(("Đủ số lượng, đúng hạn", 1), ("Thiếu hoặc chậm", 0)),
            None,
        ),
        ("2", "Hiện đại hóa hành chính", 1, None, None),
        ("2.1", "Áp dụng ISO 9001", 1, None, None),
    ],
    3,
)

# -- 5. Word: the table continued in a second table after a page break (which starts with
#       the header again) and in a third (which starts straight with a level line)
W5 = Annex(
    "word-continued-table",
    [
        Part(
            [
                ["STT", "Nội dung", "Điểm tối đa", "Phương pháp đánh giá"],
                ["I", "Cải cách tài chính công", "3", ""],
                ["1", "Giải ngân vốn đầu tư công", "2", "Số liệu Kho bạc"],
                ["", "- Giải ngân từ 95% trở lên: 2", "", ""],
            ]
        ),
        Part(
            [
                ["STT", "Nội dung", "Điểm tối đa", "Phương pháp đánh giá"],
                ["", "- Giải ngân từ 80% đến dưới 95%: 1", "", ""],
            ],
            page_break_before=True,
        ),
        Part(
            [
                ["", "- Giải ngân dưới 80%: 0", "", ""],
                ["2", "Thực hiện kết luận thanh tra, kiểm toán", "1", ""],
                ["II", "Hiện đại hóa hành chính", "1", ""],
                ["1", "Ứng dụng công nghệ thông tin", "1", ""],
                ["", "TỔNG ĐIỂM", "4", ""],
            ],
            page_break_before=True,
        ),
    ],
    [
        ("1", "Cải cách tài chính công", 3, None, None),
        (
            "1.1",
            "Giải ngân vốn đầu tư công",
            2,
            bands(
                ("Giải ngân từ 95% trở lên", 95, None, 2),
                ("Giải ngân từ 80% đến dưới 95%", 80, 95, 1),
                ("Giải ngân dưới 80%", 0, 80, 0),
            ),
            None,
        ),
        ("1.2", "Thực hiện kết luận thanh tra, kiểm toán", 1, None, None),
        ("2", "Hiện đại hóa hành chính", 1, None, None),
        ("2.1", "Ứng dụng công nghệ thông tin", 1, None, None),
    ],
    4,
)

# -- 6. Word: the levels in the guidance column (Hướng dẫn chấm điểm), its other lines kept
#       as guidance; a sub-criterion whose points cell is blank takes its best level; one
#       level alone (met or not: yes/no); one level and a penalty per fault (a deduction)
W6 = Annex(
    "word-levels-in-guidance",
    [
        Part(
            [
                *GUIDANCE_HEADER,
                ["I", "Cải cách chế độ công vụ", "", ""],
                ["1", "Tuyển dụng công chức", "", ""],
                [
                    "1.1",
                    "Thực hiện quy trình tuyển dụng",
                    "",
                    "Căn cứ hồ sơ tuyển dụng:\n- Đúng quy trình: 1 điểm\n- Có sai sót: 0,5 điểm\n"
                    "- Vi phạm quy trình: 0 điểm",
                ],
                ["1.2", "Đánh giá, xếp loại công chức", "1", "Theo kết quả đánh giá cuối năm"],
                ["1.3", "Sáng kiến cải cách chế độ công vụ", "", ""],
                ["", "- Có sáng kiến được cấp có thẩm quyền công nhận: 0,5", "", ""],
                ["1.4", "Thực hiện chế độ báo cáo", "1", ""],
                ["", "- Đầy đủ, đúng hạn: 1", "", ""],
                ["", "- Mỗi báo cáo chậm trừ 0,25 điểm", "", ""],
            ]
        )
    ],
    [
        ("1", "Cải cách chế độ công vụ", 3.5, None, None),
        ("1.1", "Tuyển dụng công chức", 3.5, None, None),
        (
            "1.1.1",
            "Thực hiện quy trình tuyển dụng",
            1,
            choice(("Đúng quy trình", 1), ("Có sai sót", 0.5), ("Vi phạm quy trình", 0)),
            "Căn cứ hồ sơ tuyển dụng:",
        ),
        ("1.1.2", "Đánh giá, xếp loại công chức", 1, None, "Theo kết quả đánh giá cuối năm"),
        (
            "1.1.3",
            "Sáng kiến cải cách chế độ công vụ",
            0.5,
            {"kind": "yes_no"},
            "- Có sáng kiến được cấp có thẩm quyền công nhận: 0,5",
        ),
        (
            "1.1.4",
            "Thực hiện chế độ báo cáo",
            1,
            deduction(0.25),
            "- Đầy đủ, đúng hạn: 1\n- Mỗi báo cáo chậm trừ 0,25 điểm",
        ),
    ],
    3.5,
)

# -- 7. Excel: two-row header with merges, (1)(2)(3) row, levels as rows with their points
#       typed as numbers in the points column, bands, a penalty per fault, TỔNG ĐIỂM
X1 = Annex(
    "excel-points-column",
    [
        Part(
            [
                *TWO_ROW_HEADER,
                NUMBERING,
                ["I", "Công tác chỉ đạo, điều hành", "3", "", ""],
                ["1", "Kế hoạch cải cách hành chính", "3", "", ""],
                ["1.1", "Ban hành kế hoạch năm", "1", "", ""],
                ["", "- Ban hành đúng thời gian", "1", "", ""],
                ["", "- Ban hành không đúng thời gian", "0", "", ""],
                ["1.2", "Tỷ lệ hoàn thành nhiệm vụ", "1,5", "", ""],
                ["", "- Hoàn thành 100%", "1,5", "", ""],
                ["", "- Hoàn thành từ 70% đến dưới 100%", "0,75", "", ""],
                ["", "- Hoàn thành dưới 70%", "0", "", ""],
                ["1.3", "Chế độ báo cáo", "0,5", "", ""],
                ["", "- Mỗi báo cáo chậm trừ 0,25 điểm", "", "", ""],
                ["II", "Cải cách thủ tục hành chính", "2", "", ""],
                ["1", "Giải quyết hồ sơ đúng hạn", "2", "", ""],
                ["", "- Từ 98% trở lên", "2", "", ""],
                ["", "- Từ 90% đến dưới 98%", "1", "", ""],
                ["", "- Dưới 90%", "0", "", ""],
                ["", "TỔNG ĐIỂM", "5", "", ""],
            ],
            TWO_ROW_MERGES,
        )
    ],
    [
        ("1", "Công tác chỉ đạo, điều hành", 3, None, None),
        ("1.1", "Kế hoạch cải cách hành chính", 3, None, None),
        (
            "1.1.1",
            "Ban hành kế hoạch năm",
            1,
            choice(("Ban hành đúng thời gian", 1), ("Ban hành không đúng thời gian", 0)),
            None,
        ),
        (
            "1.1.2",
            "Tỷ lệ hoàn thành nhiệm vụ",
            1.5,
            bands(
                ("Hoàn thành 100%", 100, None, 1.5),
                ("Hoàn thành từ 70% đến dưới 100%", 70, 100, 0.75),
                ("Hoàn thành dưới 70%", 0, 70, 0),
            ),
            None,
        ),
        ("1.1.3", "Chế độ báo cáo", 0.5, deduction(0.25), "- Mỗi báo cáo chậm trừ 0,25 điểm"),
        ("2", "Cải cách thủ tục hành chính", 2, None, None),
        (
            "2.1",
            "Giải quyết hồ sơ đúng hạn",
            2,
            bands(
                ("Từ 98% trở lên", 98, None, 2),
                ("Từ 90% đến dưới 98%", 90, 98, 1),
                ("Dưới 90%", 0, 90, 0),
            ),
            None,
        ),
    ],
    5,
)

# -- 8. Excel: dotted numbers, the levels inside the cells (line breaks), "+" lines, points
#       written "0,5 điểm", guidance and method columns
X2 = Annex(
    "excel-levels-in-the-cell",
    [
        Part(
            [
                [
                    "STT",
                    "Tiêu chí, tiêu chí thành phần",
                    "Điểm tối đa",
                    "Cách chấm điểm",
                    "Phương pháp đánh giá",
                ],
                ["1", "Hiện đại hóa hành chính", "2,5", "", ""],
                [
                    "1.1",
                    "Tỷ lệ hồ sơ trực tuyến toàn trình\n+ Từ 50% trở lên: 1,5 điểm\n"
                    "+ Từ 30% đến dưới 50%: 1 điểm\n+ Dưới 30%: 0 điểm",
                    "1,5",
                    "",
                    "Số liệu Cổng dịch vụ công",
                ],
                [
                    "1.2",
                    "Duy trì ISO 9001\n- Có công bố, duy trì: 1\n- Không công bố: 0",
                    "1",
                    "Kiểm tra thực tế",
                    "",
                ],
                ["", "Tổng điểm", "2,5", "", ""],
            ]
        )
    ],
    [
        ("1", "Hiện đại hóa hành chính", 2.5, None, None),
        (
            "1.1",
            "Tỷ lệ hồ sơ trực tuyến toàn trình",
            1.5,
            bands(
                ("Từ 50% trở lên", 50, None, 1.5),
                ("Từ 30% đến dưới 50%", 30, 50, 1),
                ("Dưới 30%", 0, 30, 0),
            ),
            None,
        ),
        (
            "1.2",
            "Duy trì ISO 9001",
            1,
            choice(("Có công bố, duy trì", 1), ("Không công bố", 0)),
            "Kiểm tra thực tế",
        ),
    ],
    2.5,
)

WORD = [W1, W2, W3, W4, W5, W6]
EXCEL = [X1, X2]
