"""Official outputs from results: the ranking annex read back cell by cell, and open data
with its dictionary."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.frameworks import get_framework
from chiso.scoring.document import from_json
from conftest import require_tool
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
    counts = [(r[1].split(": ")[1], r[6]) for r in tail if r[1] and "nhóm" in r[1]]
    # each group by its name, best first (the document keeps counts by code, sorted by code)
    per_group = doc["summary"]["per_group"]
    bands = get_framework(doc["framework"]["code"]).groups.bands
    assert counts == [(b.name_vi, per_group[b.code]) for b in bands]
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
    import shutil
    import subprocess

    require_tool("pdftoppm", "poppler-utils")
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


def _poppler() -> None:
    require_tool("pdftoppm", "poppler-utils")


def _pdf_text(path: Path) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _assert_noto_embedded(path: Path) -> None:
    import subprocess

    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes yes yes " in line for line in fonts)  # embedded, Unicode
    assert all("NotoSans" in line.split()[0] for line in fonts), fonts


def _pdf_fonts(path: Path) -> list[str]:
    import subprocess

    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split()[0] for line in listed.stdout.splitlines()[2:]]


def test_a_report_takes_no_font_from_the_machine(tmp_path: Path) -> None:
    """Typst sees only the fonts chiso ships: a family the machine has (DejaVu Sans comes
    with R and Chromium on Debian, and CI installs it) is not found, so a report looks the
    same on every machine, in the bundled Noto Sans."""
    from chiso.reports.pdf import FONT_DIR, compile_pdf

    _poppler()
    asked = tmp_path / "asked.pdf"
    compile_pdf(tmp_path, '#set text(font: "DejaVu Sans")\nTiếng Việt', asked)
    assert not any("DejaVu" in name for name in _pdf_fonts(asked))
    shipped = tmp_path / "shipped.pdf"
    compile_pdf(tmp_path, '#text(font: "Noto Sans")[Tiếng Việt *đậm*]', shipped)
    used = {name.split("+")[-1] for name in _pdf_fonts(shipped)}
    assert used == {"NotoSans-Regular", "NotoSans-Bold"}
    assert {f.stem for f in FONT_DIR.glob("*.ttf")} >= used


def _shot(pdf: Path, page: int, name: str) -> Path:
    """Render one page to PNG into artifacts/reports, for people to look at."""
    import shutil
    import subprocess

    stem = pdf.with_name(f"{pdf.stem}-shot")
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", *pages, "-singlefile", str(pdf), str(stem)], check=True
    )
    png = stem.with_suffix(".png")
    assert png.stat().st_size > 5000
    shots = Path(__file__).resolve().parents[1] / "artifacts" / "reports"
    shots.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(png, shots / name))


def _with_history(results: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    """This cycle's results with standard errors of the index (ket-qua-2024.json), and an
    earlier cycle's published snapshot (year 2023 in its metadata) where Sở Tư pháp did worse."""
    doc = json.loads(results.read_text(encoding="utf-8"))
    for i, u in enumerate(doc["units"]):
        u["index_se"] = 0.6 + 0.3 * i
    current = tmp_path / "ket-qua-2024.json"
    current.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    earlier = json.loads(json.dumps(doc))
    earlier["cycle"] = {"id": 1, "name": "Năm 2023", "year": 2023, "simulated": False}
    for u in earlier["units"]:
        if u["unit"] == "Sở Tư pháp":
            u["index"] -= 3.5
            u["rank"] = 3
    previous = tmp_path / "truoc.json"
    previous.write_text(json.dumps(earlier, ensure_ascii=False), encoding="utf-8")
    return current, previous, doc


def test_the_unit_pdf_has_its_results_domains_history_and_interval(
    results: Path, tmp_path: Path
) -> None:
    from chiso.frameworks import get_framework

    _poppler()
    current, previous, doc = _with_history(results, tmp_path)
    out = tmp_path / "so-tu-phap.pdf"
    result = runner.invoke(
        app,
        [
            "report",
            "pdf",
            str(current),
            "--out",
            str(out),
            "--unit",
            "Sở Tư pháp",
            "--history",
            str(previous),
            "--title",
            "Kết quả Chỉ số CCHC năm 2024",
        ],
    )
    assert result.exit_code == 0, result.output
    text = _pdf_text(out)
    me = next(u for u in doc["units"] if u["unit"] == "Sở Tư pháp")
    index = f"{me['index']:.2f}".replace(".", ",")
    assert "Kết quả Chỉ số CCHC năm 2024" in text and "Sở Tư pháp" in text
    assert re.search(rf"Chỉ số \(%\)\s+{index}\n", text)
    assert re.search(rf"Xếp hạng\s+{me['rank']} trong 3 đơn vị xếp hạng", text)
    # the change since 2023 (the snapshot's year) and this cycle's label from the file name
    places = 3 - me["rank"]
    assert re.search(rf"Thay đổi so với 2023\s+chỉ số \+3,50; tăng {places} bậc", text)
    assert re.search(rf"^\s*2023\s+{(me['index'] - 3.5):.2f}\s+3$".replace(".", ","), text, re.M)
    assert re.search(rf"^\s*2024\s+{index}\s+{me['rank']}$", text, re.M)
    # the domain table: points, maximum, mean and best of the ranked units, as in the results
    fw = get_framework(FW)
    ranked = [u for u in doc["units"] if u["rank"]]
    for node in fw.domains:
        values = [u["points"][node.code] for u in ranked]
        numbers = [v for v in values if isinstance(v, float | int)]
        cells = [me["points"][node.code], node.max, sum(numbers) / len(numbers), max(numbers)]
        points, maximum, mean, best = (f"{v:.2f}".replace(".", ",") for v in cells)
        # a domain with a part that does not apply also prints the maximum that applies
        row = rf"{points}\s+{maximum}(?: \(áp dụng: [\d,]+\))?\s+{mean}\s+{best}"
        assert re.search(rf"^\s*{re.escape(node.code)}\. .*?\s{row}\s", text, re.M), node.code
    assert "Chỉ số qua các kỳ" in text
    assert "Chỉ số của các đơn vị và khoảng tin cậy 95%" in text
    se = me["index_se"]
    low, high = (f"{me['index'] + s * 1.96 * se:.2f}".replace(".", ",") for s in (-1, 1))
    assert f"{low} – {high}" in text  # the unit's interval among its results
    _assert_noto_embedded(out)
    _shot(out, 1, "unit-report-page-1.png")
    _shot(out, 2, "unit-report-page-2.png")


def test_the_unit_pdf_in_english_with_the_simulated_warning(results: Path, tmp_path: Path) -> None:
    from chiso.frameworks import get_framework
    from chiso.reports.charts import HistoryPoint
    from chiso.reports.unit_pdf import write_unit_pdf

    _poppler()
    doc = json.loads(results.read_text(encoding="utf-8"))
    me = next(u for u in doc["units"] if u["unit"] == "Sở Công Thương")
    out = tmp_path / "unit-en.pdf"
    write_unit_pdf(
        from_json(doc),
        get_framework(FW),
        "Sở Công Thương",
        out,
        "PAR INDEX 2024",
        lang="en",
        simulated=True,
        history=[HistoryPoint("2022", 61.0, 3, 2022)],
        label="2024",
    )
    text = _pdf_text(out)
    assert "SIMULATED DATA" in text and "Sở Công Thương" in text
    assert "Points per domain" in text and "Index across cycles" in text
    assert f"{me['index']:.2f}" in text and f"{me['index']:.2f}".replace(".", ",") not in text
    assert "Change since 2022" in text and "Điểm" not in text
    assert re.search(r"Group\s+Average\n", text)  # the group's English name
    assert "2023" in text  # the year without a cycle is on the axis
    _assert_noto_embedded(out)
    _shot(out, 1, "unit-report-en-page-1.png")


def test_an_unknown_unit_is_named_with_the_closest_names_and_nothing_is_written(
    results: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    result = runner.invoke(
        app, ["report", "pdf", str(results), "--out", str(out), "--unit", "So Tu Phap"]
    )
    assert result.exit_code == 1, result.output
    assert "unit.unknown_similar" in result.output and "Traceback" not in result.output
    assert "không có đơn vị 'So Tu Phap'" in result.output and "'Sở Tư pháp'" in result.output
    assert results.name in result.output
    assert not out.exists() and not list(tmp_path.glob(".x.pdf*"))
    result = runner.invoke(
        app,
        [
            "report",
            "pdf",
            str(results),
            "--out",
            str(out),
            "--unit",
            "Bộ Ngoại giao",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1 and "unit 'Bộ Ngoại giao' is not in the data" in result.output
    assert not out.exists()


def test_history_files_must_be_of_the_same_index_with_distinct_labels(
    results: Path, tmp_path: Path
) -> None:
    current, previous, _ = _with_history(results, tmp_path)
    other = json.loads(previous.read_text(encoding="utf-8"))
    other["framework"]["index"] = "SIPAS"
    sipas = tmp_path / "sipas-2022.json"
    sipas.write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "x.pdf"
    result = runner.invoke(
        app,
        [
            "report",
            "pdf",
            str(current),
            "--out",
            str(out),
            "--unit",
            "Sở Y tế",
            "--history",
            str(sipas),
            "--history",
            str(previous),
            "--history",
            str(previous),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "results.other_index" in result.output and "results.history_label" in result.output
    assert not out.exists()
    # LABEL=FILE names a cycle when neither the file nor its name carries a year
    result = runner.invoke(
        app,
        [
            "report",
            "pdf",
            str(current),
            "--out",
            str(out),
            "--unit",
            "Sở Y tế",
            "--history",
            f"Năm trước={results}",
            "--label",
            "Năm nay",
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_the_cycle_pdf_charts_the_domain_means_and_the_intervals(
    results: Path, tmp_path: Path
) -> None:
    from chiso.frameworks import get_framework
    from chiso.reports.pdf import write_pdf

    _poppler()
    _, _, doc = _with_history(results, tmp_path)
    odd = 'Sở "Mới" \\ Ban'  # a quote and a backslash must not break the Typst source
    doc["units"][2]["unit"] = odd
    out = tmp_path / "bao-cao.pdf"
    write_pdf(from_json(doc), get_framework(FW), out, "Kết quả năm 2024")
    text = _pdf_text(out)
    assert odd in text
    assert "Điểm trung bình theo lĩnh vực" in text and "Chỉ số và khoảng tin cậy 95%" in text
    first = doc["units"][0]
    low = f"{first['index'] - 1.96 * first['index_se']:.2f}".replace(".", ",")
    assert low in text
    _assert_noto_embedded(out)
    _shot(out, 2, "report-charts-page-2.png")


def test_a_cycle_of_the_34_provinces_is_mapped_on_their_own_tiles(tmp_path: Path) -> None:
    from chiso.frameworks import get_framework
    from chiso.reports.pdf import write_pdf
    from chiso.units.provinces import MERGED_34

    fw = get_framework("papi-2021")
    units = [
        {
            "unit": name,
            "rank": i + 1,
            "total": 50.0 - i / 2,
            "max": 80.0,
            "index": (50.0 - i / 2) / 0.8,
            "points": {},
            "status": "complete",
            "group": str(1 + i * 4 // 34),
            "group_name": "",
            "missing": [],
        }
        for i, name in enumerate(MERGED_34)
    ]
    doc = {"units": units, "summary": {}, "cycle": {"year": 2025}}
    out = tmp_path / "34.pdf"
    write_pdf(from_json(doc), fw, out, "PAPI 2025")
    text = _pdf_text(out)
    # the 63 provinces' grid would draw Thừa Thiên Huế ("TTH") and Hà Giang ("HG") as empty
    assert "TTH" not in text and not re.search(r"\bHG\b", text)
