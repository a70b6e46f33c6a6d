"""Every output in the language asked for: the results table, the annex (Excel and Word) and the
PDF reports are English in English and Vietnamese in Vietnamese, and a group is named from its
code and the framework, in the report's language, never from a name stored in the results."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from chiso.frameworks import get_framework
from chiso.frameworks.model import Framework
from chiso.reports.annex import write_annex_docx, write_annex_xlsx
from chiso.reports.open_data import columns
from chiso.reports.tilemap import group_legend, unit_labels
from chiso.scoring import compile_plan, score
from chiso.scoring.document import from_json
from chiso.scoring.results import Results
from chiso.tables.comparison_writing import _header
from chiso.tables.reading import read_scores
from chiso.tables.results_reading import read_results
from chiso.tables.writing import csv_text, json_document, write_results
from conftest import require_tool
from test_cli_score import CUT, GOOD, LEAVES, write_csv

FW = "example-department-2024"

# labels that only a Vietnamese report prints (unit names and the framework's legal basis,
# which are data, are Vietnamese in both)
VIETNAMESE_LABELS = ("Xếp hạng", "Tổng điểm", "Chỉ số (%)", "Nhóm", "Căn cứ", "Trung bình")
ENGLISH_LABELS = ("Rank", "Total", "Index (%)", "Group", "Basis", "Mean")


@pytest.fixture
def framework() -> Framework:
    return get_framework(FW)


@pytest.fixture
def results(tmp_path: Path, framework: Framework) -> Results:
    source = write_csv(
        tmp_path / "in.csv",
        [["unit", *LEAVES], ["Sở Tư pháp", *GOOD], ["Sở Công Thương", *CUT], ["Sở Y tế", *GOOD]],
    )
    plan = compile_plan(framework)
    data = read_scores(str(source), framework, plan, False, [])
    return score(framework, data.units, data.given, data.na, data.ranked, plan, data.se)


@pytest.fixture
def doc(results: Results) -> dict[str, Any]:
    """The results as the web app publishes them: group codes only, no group names."""
    return json_document(results, None)


def test_a_document_for_any_language_keeps_group_codes_and_names_them_only_when_asked(
    results: Results,
) -> None:
    codes = json_document(results, None)
    assert all("group_name" not in u for u in codes["units"])
    assert {u["unit"]: u["group"] for u in codes["units"]} == {
        "Sở Tư pháp": "tốt",
        "Sở Y tế": "tốt",
        "Sở Công Thương": "trung bình",
    }
    english, vietnamese = json_document(results, "en"), json_document(results, "vi")
    assert {u["group_name"] for u in english["units"]} == {"Good", "Average"}
    assert {u["group_name"] for u in vietnamese["units"]} == {"Tốt", "Trung bình"}


def test_the_results_table_is_english_in_english_and_vietnamese_in_vietnamese(
    results: Results, tmp_path: Path
) -> None:
    codes = list(results.framework.codes)
    english = list(csv.reader(io.StringIO(csv_text(results, "en"))))
    assert english[0] == [
        "unit",
        *codes,
        "total",
        "max",
        "index",
        "rank",
        "group",
        "status",
        "missing",
    ]
    assert {r[-3] for r in english[1:]} == {"Good", "Average"} and english[1][-2] == "complete"
    vietnamese = list(csv.reader(io.StringIO(csv_text(results, "vi"))))
    assert vietnamese[0] == [
        "Đơn vị",
        *codes,
        "Tổng điểm",
        "Điểm tối đa",
        "Chỉ số (%)",
        "Xếp hạng",
        "Nhóm",
        "Trạng thái",
        "Còn thiếu",
    ]
    assert {r[-3] for r in vietnamese[1:]} == {"Tốt", "Trung bình"}
    assert vietnamese[1][-2] == "đầy đủ"
    for lang, sheets, summary in (
        ("en", ["Results", "Summary"], ["item", "value", "units", "ranked units", "mean"]),
        ("vi", ["Kết quả", "Tổng hợp"], ["Chỉ tiêu", "Giá trị", "Số đơn vị"]),
    ):
        out = tmp_path / f"results-{lang}.xlsx"
        write_results(results, out, lang)
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == sheets
        words = [c.value for row in book[sheets[1]].iter_rows() for c in row]
        assert all(w in words for w in summary), words
        # read back in either language (the comparison reads both)
        assert read_results(out).units["Sở Tư pháp"].rank == 1


def test_the_comparison_headers_are_in_the_language_asked_for() -> None:
    class Two:
        domains = ("1",)

    assert _header(Two(), "en") == [  # type: ignore[arg-type]
        "unit",
        "Δ 1",
        "Δ total",
        "Δ index",
        "rank before",
        "rank now",
        "Δ rank",
    ]
    assert _header(Two(), "vi")[4:6] == ["Hạng trước", "Hạng nay"]  # type: ignore[arg-type]


def test_the_annex_names_groups_in_its_own_language_from_codes_only(
    doc: dict[str, Any], framework: Framework, tmp_path: Path
) -> None:
    for lang, title, heading, groups, summary in (
        (
            "en",
            "Annex",
            ["No.", "Unit", "Appraised points", "Survey points", "Total", "Index (%)", "Rank"],
            {"Good", "Average"},
            ("Units per group: Good", "Mean"),
        ),
        (
            "vi",
            "Phụ lục",
            ["STT", "Đơn vị", "Điểm thẩm định", "Điểm điều tra xã hội học", "Tổng điểm"],
            {"Tốt", "Trung bình"},
            ("Số đơn vị theo nhóm: Tốt", "Giá trị trung bình"),
        ),
    ):
        out = tmp_path / f"annex-{lang}.xlsx"
        write_annex_xlsx(from_json(doc), framework, out, "PAR INDEX 2024", lang)
        sheet = openpyxl.load_workbook(out).active
        assert sheet.title == title
        cells = [[c.value for c in row] for row in sheet.iter_rows()]
        assert cells[2][: len(heading)] == heading
        assert {r[7] for r in cells[3:6]} == groups
        labels_column = [r[1] for r in cells]
        assert all(s in labels_column for s in summary), labels_column


def test_the_word_annex_in_english_is_english(
    doc: dict[str, Any], framework: Framework, tmp_path: Path
) -> None:
    import docx

    out = tmp_path / "annex.docx"
    write_annex_docx(from_json(doc), framework, out, "PAR INDEX 2024", "en")
    document = docx.Document(str(out))
    table = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert table[0] == [
        "No.",
        "Unit",
        "Appraised points",
        "Survey points",
        "Total",
        "Index (%)",
        "Rank",
        "Group",
    ]
    assert {row[7] for row in table[1:]} == {"Good", "Average"}
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Units per group Good: 2" in text and re.search(r"^Mean: \d+\.\d\d$", text, re.M)
    assert "Giá trị trung bình" not in text and "Số đơn vị" not in text


def _pdf_text(path: Path) -> str:
    import subprocess

    require_tool("pdftotext", "poppler-utils")
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_cycle_pdf_is_english_in_english_with_group_names_from_codes(
    doc: dict[str, Any], framework: Framework, tmp_path: Path
) -> None:
    from chiso.reports.pdf import write_pdf

    for u in doc["units"]:
        u["index_se"] = 1.0
    write_pdf(
        from_json(doc), framework, tmp_path / "en.pdf", "PAR INDEX 2024", lang="en", simulated=True
    )
    english = _pdf_text(tmp_path / "en.pdf")
    for label in (*ENGLISH_LABELS, "Good", "Average", "Mean points per domain", "SIMULATED"):
        assert label in english, label
    for label in (*VIETNAMESE_LABELS, "Tốt", "Khoảng tin cậy", "MÔ PHỎNG"):
        assert label not in english, label
    write_pdf(from_json(doc), framework, tmp_path / "vi.pdf", "Chỉ số 2024", lang="vi")
    vietnamese = _pdf_text(tmp_path / "vi.pdf")
    for label in (*VIETNAMESE_LABELS, "Tốt", "Điểm trung bình theo lĩnh vực"):
        assert label in vietnamese, label
    for label in ("Rank", "Group", "Good", "Average", "Mean points"):
        assert label not in vietnamese, label


def test_the_unit_pdf_names_the_group_in_its_language_from_the_code(
    doc: dict[str, Any], framework: Framework, tmp_path: Path
) -> None:
    from chiso.reports.charts import HistoryPoint
    from chiso.reports.unit_pdf import write_unit_pdf

    history = [HistoryPoint("2023", 50.0, 3, 2023)]
    write_unit_pdf(
        from_json(doc), framework, "Sở Tư pháp", tmp_path / "en.pdf", "T", "en", history=history
    )
    english = _pdf_text(tmp_path / "en.pdf")
    assert re.search(r"Group\s+Good\n", english)
    assert re.search(r"up 2 places \(from rank 3 to 1\)", english)
    for label in (*VIETNAMESE_LABELS, "Tốt", "tăng"):
        assert label not in english, label
    history = [HistoryPoint("2023", 50.0, 2, 2023)]
    write_unit_pdf(
        from_json(doc), framework, "Sở Tư pháp", tmp_path / "en1.pdf", "T", "en", history=history
    )
    assert "up 1 place (from rank 2 to 1)" in _pdf_text(tmp_path / "en1.pdf")
    write_unit_pdf(
        from_json(doc), framework, "Sở Tư pháp", tmp_path / "vi.pdf", "T", "vi", history=history
    )
    vietnamese = _pdf_text(tmp_path / "vi.pdf")
    assert re.search(r"Nhóm\s+Tốt\n", vietnamese)
    assert "tăng 1 bậc (từ hạng 2 lên hạng 1)" in vietnamese


def test_maps_and_open_data_name_groups_from_codes(
    doc: dict[str, Any], framework: Framework
) -> None:
    assert [name for _, name in group_legend(framework, "en")] == [
        "Good",
        "Fair",
        "Average",
        "Weak",
        "no data",
    ]
    assert group_legend(framework, "vi")[-1][1] == "không có số liệu"
    tips = unit_labels(from_json(doc), framework, "en", "index")
    assert re.fullmatch(r"Average \d+\.\d\d", tips["Sở Công Thương"])
    assert unit_labels(from_json(doc), framework, "vi", "index")["Sở Công Thương"].startswith(
        "Trung bình "
    )
    group = next(c for c in columns(framework, from_json(doc)) if c["name"] == "group")
    assert "tốt = Good" in group["en"] and "tốt = Tốt" in group["vi"]
    total = next(c for c in columns(framework, from_json(doc)) if c["name"] == "total")
    assert (total["vi"], total["en"]) == ("Tổng điểm", "Total points")
