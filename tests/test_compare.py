"""``chiso compare``: the year-on-year table, checked against published changes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.scoring.compare import compare
from chiso.tables.results_reading import read_results

runner = CliRunner(env={"COLUMNS": "250"})
HEADER_VI = [
    "Đơn vị",
    "1",
    "5",
    "6",
    "7",
    "8",
    "Tổng điểm",
    "Điểm tối đa",
    "Chỉ số (%)",
    "Xếp hạng",
    "Nhóm",
    "Trạng thái",
    "Còn thiếu",
]


def results_csv(path: Path, rows: list[list[str]]) -> Path:
    """A results table as ``chiso score --lang vi`` writes it, holding published figures."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([HEADER_VI, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


@pytest.fixture
def par_2019_2020(tmp_path: Path) -> tuple[Path, Path]:
    # Phú Thọ, PAR INDEX 2019 and 2020 (DOMAIN.md): direction, civil service, public finance,
    # modernisation and impact domains; total; rank 20th in 2019 (up 10 places to 10th).
    before = results_csv(
        tmp_path / "2019.csv",
        [
            [
                "Phú Thọ",
                "6,61",
                "10,92",
                "9,74",
                "10,82",
                "12,60",
                "82,01",
                "100,00",
                "82,01",
                "20",
                "Nhóm B",
                "đầy đủ",
                "",
            ],
            ["Quảng Ninh", "", "", "", "", "", "", "", "", "1", "", "đầy đủ", ""],
            ["Hà Tây", "", "", "", "", "", "", "", "", "", "", "chưa đủ", "1"],
        ],
    )
    after = results_csv(
        tmp_path / "2020.csv",
        [
            [
                "Quảng Ninh",
                "",
                "",
                "",
                "",
                "",
                "91,04",
                "100,00",
                "91,04",
                "1",
                "Nhóm A",
                "đầy đủ",
                "",
            ],
            [
                "Phú Thọ",
                "7,88",
                "10,93",
                "10,60",
                "13,05",
                "13,58",
                "85,74",
                "100,00",
                "85,74",
                "10",
                "Nhóm B",
                "đầy đủ",
                "",
            ],
            ["Đơn vị mới", "", "", "", "", "", "", "", "", "", "", "chưa đủ", "1"],
        ],
    )
    return before, after


def test_phu_tho_gains_3_73_points_and_10_places_from_2019_to_2020(
    par_2019_2020: tuple[Path, Path],
) -> None:
    comparison = compare(read_results(par_2019_2020[0]), read_results(par_2019_2020[1]))
    phu_tho = next(c for c in comparison.changes if c.unit == "Phú Thọ")
    assert phu_tho.total == pytest.approx(3.73)
    assert phu_tho.places == 10
    assert phu_tho.domains["7"] == pytest.approx(2.23)  # modernisation 10.82 → 13.05
    assert phu_tho.domains["8"] == pytest.approx(0.98)  # impact 12.60 → 13.58
    assert phu_tho.domains["1"] == pytest.approx(1.27)  # direction 6.61 → 7.88
    assert phu_tho.domains["5"] == pytest.approx(0.01)  # civil service 10.92 → 10.93
    assert phu_tho.domains["6"] == pytest.approx(0.86)  # public finance 9.74 → 10.60
    assert comparison.appeared == ["Đơn vị mới"]
    assert comparison.disappeared == ["Hà Tây"]


def test_hai_phong_2024_up_4_30_points_and_one_place(tmp_path: Path) -> None:
    head = ["unit", "total", "max", "index", "rank", "group", "status", "missing"]
    doc_2023 = tmp_path / "2023.csv"
    doc_2023.write_text("\n".join([",".join(head), "Hải Phòng,91.87,100,91.87,2,A,complete,"]))
    doc_2024 = {
        "units": [{"unit": "Hải Phòng", "points": {}, "total": 96.17, "index": 96.17, "rank": 1}]
    }
    path_2024 = tmp_path / "2024.json"
    path_2024.write_text(json.dumps(doc_2024, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "compare",
            str(doc_2023),
            str(path_2024),
            "--lang",
            "en",
            "--out",
            str(tmp_path / "change.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    change = json.loads((tmp_path / "change.json").read_text(encoding="utf-8"))["rows"][0]
    assert change["total"] == pytest.approx(4.30)
    assert change["places"] == 1


def test_compare_command_prints_the_table_in_vietnamese(par_2019_2020: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["compare", *map(str, par_2019_2020)])
    assert result.exit_code == 0, result.output
    assert "Phú Thọ" in result.output and "+3,73" in result.output and "+10" in result.output
    assert "Đơn vị mới" in result.output and "Hà Tây" in result.output


def test_results_written_by_score_can_be_compared(tmp_path: Path) -> None:
    rows = [
        ["unit", "1", "2", "3", "4", "5", "6", "7"],
        ["Huyện Võ Nhai", "10", "15", "8", "12", "9", "10", "18"],
        ["Huyện Định Hóa", "9", "14", "8", "12", "9", "10", "16"],
    ]
    src = tmp_path / "in.csv"
    src.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    for name in ("a.xlsx", "b.csv"):
        run = runner.invoke(
            app, ["score", "-f", "example-department-2024", str(src), "--out", str(tmp_path / name)]
        )
        assert run.exit_code == 0, run.output
    comparison = compare(read_results(tmp_path / "a.xlsx"), read_results(tmp_path / "b.csv"))
    assert [c.total for c in comparison.changes] == [0.0, 0.0]
    assert comparison.domains == ["1", "2", "3", "4", "5", "6", "7"]


def test_a_file_that_is_not_a_results_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(path), str(path), "--lang", "en"])
    assert result.exit_code == 1 and "results.bad_file" in result.output
