"""``chiso dossiers``: simulate, then index, then score — the indicator values are score input;
bad options are reported by rule, in the user's language, without a traceback."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chiso.cli.app import app

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "records"
    result = runner.invoke(
        app,
        [
            "dossiers",
            "simulate",
            "--units",
            "provinces-34",
            "--rows",
            "20000",
            "--months",
            "3",
            "--seed",
            "2",
            "--out",
            str(folder),
        ],
    )
    assert result.exit_code == 0, result.output
    return folder


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_one_month_by_unit_is_score_input_that_chiso_score_reads(
    records: Path, tmp_path: Path
) -> None:
    out = tmp_path / "values.csv"
    result = runner.invoke(
        app,
        [
            "dossiers",
            "index",
            str(records),
            "-f",
            "service-index-2022",
            "--period",
            "2024-02",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert list(rows[0]) == ["unit", "node", "value"]
    assert len(rows) == 34 * 10
    scored = tmp_path / "scores.json"
    result = runner.invoke(
        app, ["score", "-f", "service-index-2022", str(out), "--out", str(scored)]
    )
    assert result.exit_code == 0, result.output
    import json

    values = {(r["unit"], r["node"]): r["value"] for r in rows}
    for unit in json.loads(scored.read_text("utf-8"))["units"]:
        # proportional rule: points = max × rate ÷ 100; the central leaves are still missing
        rate = float(values[(unit["unit"], "2.1")])
        assert unit["points"]["2.1"] == pytest.approx(20 * rate / 100)
        assert unit["missing"] == ["1.1", "1.2", "1.3", "5.1", "5.2"]


def test_several_months_by_field_carry_the_period_key_and_counts(
    records: Path, tmp_path: Path
) -> None:
    out = tmp_path / "fields.csv"
    result = runner.invoke(
        app,
        [
            "dossiers",
            "index",
            str(records),
            "-f",
            "service-index-2022",
            "--period",
            "2024-01:2024-03",
            "--by",
            "field",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert list(rows[0]) == ["period", "unit", "field", "node", "value", "numerator", "denominator"]
    assert {r["period"] for r in rows} == {"2024-01", "2024-02", "2024-03"}
    for r in rows:
        if r["value"] == "NA":
            assert r["denominator"] == "0"
        else:
            assert float(r["value"]) == pytest.approx(
                100 * int(r["numerator"]) / int(r["denominator"])
            )


def test_a_bad_period_is_reported_by_its_rule_in_english(records: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "dossiers",
            "index",
            str(records),
            "-f",
            "service-index-2022",
            "--period",
            "June",
            "--out",
            str(tmp_path / "x.csv"),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1
    assert "period 'June' is not valid" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_a_framework_without_data_indicators_is_refused(records: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "dossiers",
            "index",
            str(records),
            "-f",
            "papi-2021",
            "--period",
            "2024-02",
            "--out",
            str(tmp_path / "x.csv"),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1
    assert "has no indicator computed from records" in result.output


def test_an_unknown_unit_list_is_reported(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "dossiers",
            "simulate",
            "--units",
            "provinces-99",
            "--rows",
            "10",
            "--out",
            str(tmp_path / "s"),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1
    assert "is not provinces-34, provinces-63" in result.output


def test_the_spark_engine_without_pyspark_says_which_extra_to_install(
    records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    for name in [m for m in sys.modules if m == "pyspark" or m.startswith("pyspark.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if not installed
    out = tmp_path / "values.csv"
    result = runner.invoke(
        app,
        [
            "dossiers",
            "index",
            str(records),
            "-f",
            "service-index-2022",
            "--period",
            "2024-02",
            "--engine",
            "spark",
            "--out",
            str(out),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "engine.spark_missing" in result.output and "chiso[spark]" in result.output
    assert "Unexpected" not in result.output and "ModuleNotFoundError" not in result.output
    assert not out.exists()


def test_the_index_asked_for_as_xlsx_is_a_workbook_that_chiso_score_reads(
    records: Path, tmp_path: Path
) -> None:
    """``--out values.xlsx`` wrote CSV text into a file named .xlsx, which Excel refuses to
    open: the values are now a real workbook (numbers as numbers), the same rows as the CSV."""
    import openpyxl

    outputs = {}
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"values.{suffix}"
        args = ["dossiers", "index", str(records), "-f", "service-index-2022"]
        result = runner.invoke(app, [*args, "--period", "2024-02", "--out", str(out)])
        assert result.exit_code == 0, result.output
        outputs[suffix] = out
    sheet = openpyxl.load_workbook(outputs["xlsx"], read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["unit", "node", "value"]
    from_csv = [
        [r["unit"], r["node"], r["value"] if r["value"] == "NA" else float(r["value"])]
        for r in _rows(outputs["csv"])
    ]
    assert rows[1:] == from_csv
    assert any(isinstance(v, float) for _, _, v in rows[1:])
    scored = tmp_path / "scores.json"
    result = runner.invoke(
        app, ["score", "-f", "service-index-2022", str(outputs["xlsx"]), "--out", str(scored)]
    )
    assert result.exit_code == 0, result.output


def test_an_index_file_of_another_kind_is_refused_before_anything_is_computed(
    records: Path, tmp_path: Path
) -> None:
    out = tmp_path / "values.pdf"
    result = runner.invoke(
        app,
        ["dossiers", "index", str(records), "-f", "service-index-2022", "--period", "2024-02",
         "--out", str(out), "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "file.format" in result.output and "Traceback" not in result.output
    assert not out.exists()
