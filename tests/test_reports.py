"""Official outputs from results: the ranking annex read back cell by cell, and open data
with its dictionary."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from chiso.cli.app import app
from test_cli_score import CUT, GOOD, LEAVES, write_csv

runner = CliRunner(env={"COLUMNS": "250"})
FW = "example-department-2024"


@pytest.fixture
def results(tmp_path: Path) -> Path:
    source = write_csv(
        tmp_path / "in.csv",
        [["unit", *LEAVES], ["Sở Tư pháp", *GOOD], ["Sở Công Thương", *CUT], ["Sở Y tế", *GOOD]],
    )
    out = tmp_path / "results.json"
    result = runner.invoke(app, ["score", "-f", FW, str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_annex_is_read_back_cell_by_cell_against_the_results(
    results: Path, tmp_path: Path
) -> None:
    annex = tmp_path / "phu-luc.xlsx"
    result = runner.invoke(
        app,
        [
            "report",
            "annex",
            str(results),
            "--out",
            str(annex),
            "--title",
            "Kết quả Chỉ số CCHC năm 2024",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(results.read_text(encoding="utf-8"))
    sheet = openpyxl.load_workbook(annex).active
    assert sheet["A1"].value == "Kết quả Chỉ số CCHC năm 2024"
    assert [c.value for c in sheet[3]] == [
        "STT",
        "Đơn vị",
        "Điểm thẩm định",
        "Điểm điều tra xã hội học",
        "Tổng điểm",
        "Chỉ số (%)",
        "Xếp hạng",
        "Nhóm",
    ]
    by_unit = {u["unit"]: u for u in doc["units"]}
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=6)]
    # Sở Tư pháp and Sở Y tế tie: same rank, Vietnamese order of names
    assert [r[1] for r in rows] == ["Sở Tư pháp", "Sở Y tế", "Sở Công Thương"]
    for number, unit, appraised, survey, total, index, rank, group in rows:
        u = by_unit[unit]
        assert survey == pytest.approx(u["points"]["7.1"])
        assert appraised == pytest.approx(u["total"] - u["points"]["7.1"])
        assert (total, index, rank, group) == (
            pytest.approx(u["total"]),
            pytest.approx(u["index"]),
            u["rank"],
            u["group_name"],
        )
        assert sheet.cell(row=3 + number, column=5).number_format == "0.00"
    tail = [[c.value for c in row] for row in sheet.iter_rows(min_row=8)]
    counts = {r[1].split(": ")[1]: r[6] for r in tail if r[1] and "nhóm" in r[1]}
    assert counts == doc["summary"]["per_group"]
    assert tail[-1][5] == pytest.approx(doc["summary"]["mean"])


def test_open_data_has_every_node_and_a_dictionary_of_its_columns(
    results: Path, tmp_path: Path
) -> None:
    out = tmp_path / "du-lieu.csv"
    result = runner.invoke(app, ["report", "data", str(results), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3 and rows[0]["5.2"] == "NA"
    dictionary = list(
        csv.DictReader(
            io.StringIO(out.with_suffix(".dictionary.csv").read_text(encoding="utf-8-sig"))
        )
    )
    assert [d["name"] for d in dictionary] == list(rows[0])
    assert all(d["vi"] and d["en"] for d in dictionary)


def test_a_file_that_is_not_a_results_document_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    result = runner.invoke(
        app, ["report", "annex", str(bad), "--out", str(tmp_path / "a.xlsx"), "--lang", "en"]
    )
    assert result.exit_code == 1 and "results.bad_file" in result.output
    assert not (tmp_path / "a.xlsx").exists()


def test_the_word_annex_fills_the_editable_template(results: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "phu-luc.docx"
    result = runner.invoke(
        app,
        [
            "report",
            "annex",
            str(results),
            "--out",
            str(out),
            "--title",
            "Kết quả Chỉ số CCHC năm 2024",
        ],
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == "Kết quả Chỉ số CCHC năm 2024"
    table = document.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][:3] == ["STT", "Đơn vị", "Điểm thẩm định"]
    doc = json.loads(results.read_text(encoding="utf-8"))
    first = next(u for u in doc["units"] if u["unit"] == cells[1][1])
    assert cells[1][4] == f"{first['total']:.2f}".replace(".", ",")
    assert len(cells) == 1 + len(doc["units"])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Giá trị trung bình" in text


def test_the_pdf_report_renders_vietnamese_text_and_the_published_numbers(
    results: Path, tmp_path: Path
) -> None:
    import os
    import shutil
    import subprocess

    if not shutil.which("pdftoppm"):
        if os.environ.get("CI"):
            pytest.fail("poppler-utils is required in CI (.ci/run installs it)")
        pytest.skip("poppler-utils (pdftoppm) is not installed here")
    out = tmp_path / "bao-cao.pdf"
    result = runner.invoke(
        app,
        [
            "report",
            "pdf",
            str(results),
            "--out",
            str(out),
            "--title",
            "Kết quả Chỉ số CCHC năm 2024",
        ],
    )
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    doc = json.loads(results.read_text(encoding="utf-8"))
    assert "Kết quả Chỉ số CCHC năm 2024" in text
    for u in doc["units"]:
        assert u["unit"] in text
        assert f"{u['total']:.2f}".replace(".", ",") in text
    fonts = subprocess.run(
        ["pdffonts", str(out)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes yes yes " in line for line in fonts)  # embedded, Unicode
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages and pages[0].stat().st_size > 5000
    shots = Path(__file__).resolve().parents[1] / "artifacts" / "reports"
    shots.mkdir(parents=True, exist_ok=True)
    shutil.copy(pages[0], shots / "report-page-1.png")
