"""``chiso gaps``, ``chiso plan`` and ``chiso ranks`` as a user runs them: on what ``chiso score``
wrote, with files in both languages, and a plan that ``chiso score`` confirms when its actions
are written into the unit's input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.frameworks import get_framework
from chiso.simulation import simulate_inputs

runner = CliRunner(env={"COLUMNS": "250"})
FW = "example-department-2024"
UNITS = ["Sở Tư pháp", "Sở Y tế", "Sở Nội vụ", "Sở Tài chính", "Sở Xây dựng", "Thanh tra tỉnh"]


def write_input(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def scored(tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    rows = simulate_inputs(get_framework(FW), UNITS, seed=10)
    source = write_input(tmp_path / "in.csv", rows)
    result = runner.invoke(app, ["score", "-f", FW, str(source), "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    return tmp_path / "r.json", rows


def totals(path: Path) -> dict[str, float]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {r["unit"]: r["total"] for r in doc["units"]}


def test_a_plan_written_into_the_input_scores_its_reached_total(
    tmp_path: Path, scored: tuple[Path, list[dict[str, str]]]
) -> None:
    results, rows = scored
    unit = "Sở Nội vụ"
    out = tmp_path / "plan.json"
    args = ["plan", str(results), "--unit", unit, "--index", "95", "--out", str(out)]
    result = runner.invoke(app, [*args, "--all-sources"])
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert {
        "unit",
        "target",
        "current_total",
        "needed_total",
        "reached_total",
        "probability",
    } <= set(plan)
    assert plan["probability"] is None and plan["actions"]
    assert set(plan["actions"][0]) >= {"node", "from", "to", "gain", "effort"}
    # write every action's input into the unit's row and score again with chiso score
    for row in rows:
        if row["unit"] == unit:
            for action in plan["actions"]:
                row[action["node"]] = str(action["input"])
    applied = write_input(tmp_path / "applied.csv", rows)
    again = tmp_path / "again.json"
    result = runner.invoke(app, ["score", "-f", FW, str(applied), "--out", str(again)])
    assert result.exit_code == 0, result.output
    assert totals(again)[unit] == pytest.approx(plan["reached_total"], abs=1e-9)
    assert plan["reached_total"] >= 95 - 1e-9


def test_the_plan_in_word_and_excel_lists_the_tasks(
    tmp_path: Path, scored: tuple[Path, list[dict[str, str]]]
) -> None:
    results, _ = scored
    for suffix in ("docx", "xlsx"):
        out = tmp_path / f"plan.{suffix}"
        args = [
            "plan",
            str(results),
            "-u",
            "Sở Y tế",
            "--up",
            "1",
            "--seed",
            "3",
            "--out",
            str(out),
        ]
        result = runner.invoke(app, [*args, "--lang", "en"])
        assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(tmp_path / "plan.docx")).paragraphs)
    assert "INDEX IMPROVEMENT PLAN" in text and "Target: Up 1 place from rank" in text
    cells = [c.text for t in Document(str(tmp_path / "plan.docx")).tables for c in t._cells]
    assert "Tasks" in text or "II. Tasks" in text
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert book.sheetnames == ["Targets", "Tasks", "Points lost"]
    task_rows = list(book["Tasks"].iter_rows(min_row=2, values_only=True))
    assert task_rows and all(r[1] in cells for r in task_rows)


def test_gaps_are_written_in_vietnamese_with_a_decimal_comma(
    tmp_path: Path, scored: tuple[Path, list[dict[str, str]]]
) -> None:
    results, _ = scored
    out = tmp_path / "gaps.csv"
    result = runner.invoke(app, ["gaps", str(results), "--unit", "Sở Y tế", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Mã,Nội dung,Điểm đạt,Điểm tối đa,Điểm bị mất")
    assert any("," in cell and cell[0].isdigit() for cell in next(csv.reader(lines[1:2])))
    as_json = tmp_path / "gaps.json"
    runner.invoke(app, ["gaps", str(results), "-u", "Sở Y tế", "--out", str(as_json)])
    doc = json.loads(as_json.read_text(encoding="utf-8"))
    assert doc["unit"] == "Sở Y tế" and {"node", "lost", "best_units"} <= set(doc["rows"][0])


def test_gaps_with_the_previous_cycle_show_the_change(
    tmp_path: Path, scored: tuple[Path, list[dict[str, str]]]
) -> None:
    results, _ = scored
    out = tmp_path / "g.json"
    args = ["gaps", str(results), "-u", "Sở Y tế", "--previous", str(results), "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert all(r["change"] == 0 for r in rows if r["points"] is not None)


def test_ranks_are_reproducible_and_have_the_columns_asked_for(
    tmp_path: Path, scored: tuple[Path, list[dict[str, str]]]
) -> None:
    results, _ = scored
    docs = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        args = ["ranks", str(results), "--draws", "500", "--seed", "9", "--weights-vary", "25"]
        result = runner.invoke(app, [*args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        docs.append(json.loads(out.read_text(encoding="utf-8")))
    assert docs[0] == docs[1]
    row = docs[0]["rows"][0]
    bands = ["tốt", "khá", "trung bình", "yếu"]
    assert {"unit", "rank", "rank_low", "rank_high", "p_first"} <= set(row)
    assert {f"p_group_{b}" for b in bands} <= set(row)


def test_an_unknown_unit_is_a_clear_error_and_nothing_is_written(
    tmp_path: Path, scored: tuple[Path, list[dict[str, str]]]
) -> None:
    results, _ = scored
    out = tmp_path / "p.json"
    result = runner.invoke(
        app, ["plan", str(results), "-u", "Sở Y", "--index", "90", "-o", str(out)]
    )
    assert (
        result.exit_code == 1
        and "Sở Y tế" in result.output
        and "unit.unknown_similar" in result.output
    )
    assert not out.exists()


def test_exactly_one_target_is_asked_for(
    tmp_path: Path, scored: tuple[Path, list[dict[str, str]]]
) -> None:
    results, _ = scored
    args = ["plan", str(results), "-u", "Sở Y tế", "--index", "90", "--rank", "1", "-o", "x.json"]
    result = runner.invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 2 and "exactly one target" in result.output


def test_a_bad_effort_file_reports_every_row(
    tmp_path: Path, scored: tuple[Path, list[dict[str, str]]]
) -> None:
    results, _ = scored
    effort = tmp_path / "effort.csv"
    effort.write_text("node,effort\n1.1,2\n9.9,1\n2.1,abc\n3.1,-1\n", encoding="utf-8")
    out = tmp_path / "p.json"
    args = ["plan", str(results), "-u", "Sở Y tế", "--index", "95", "--effort", str(effort)]
    result = runner.invoke(app, [*args, "-o", str(out), "--lang", "en"])
    assert result.exit_code == 1
    for rule in ("node.unknown", "value.not_number", "effort.not_positive"):
        assert rule in result.output
    assert not out.exists()


def test_ranks_in_english_name_the_columns_as_the_json_keys(
    tmp_path: Path, scored: tuple[Path, list[dict[str, str]]]
) -> None:
    results, _ = scored
    out = tmp_path / "ranks.csv"
    args = ["ranks", str(results), "--draws", "200", "--seed", "1", "--out", str(out)]
    assert runner.invoke(app, [*args, "--lang", "en"]).exit_code == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:5] == ["unit", "rank", "rank_low", "rank_high", "p_first"]
    # a group by its English name, not its Vietnamese code (the JSON keeps p_group_<code>)
    assert {"p_group_good", "p_group_fair", "p_group_average", "p_group_weak"} <= set(header)
