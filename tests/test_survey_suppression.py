"""Estimates too thin to publish: every estimate carries its n and CV (R's ``survey::cv``),
is flagged under a configurable rule (default n < 30 or CV > 30 %), and a public table leaves
its value blank with the reason."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from tests.conftest import require_tool
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.surveys.estimate_table import EstimateRow, Reliability

runner = CliRunner(env={"COLUMNS": "250"})
GOLDEN = Path(__file__).parent / "golden" / "surveys"
REFERENCE = Path(__file__).parent / "reference" / "cv_reference.R"
DESIGN = ["--weight", "w", "--strata", "stratum", "--psu", "psu", "--by", "region"]


def estimate(tmp_path: Path, *args: str) -> list[dict[str, object]]:
    out = tmp_path / "est.json"
    result = runner.invoke(
        app,
        ["survey", "estimate", str(GOLDEN / "stratclus.csv"), *DESIGN, "--items", "q1,score",
         "--out", str(out), "--lang", "en", *args],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(out.read_text("utf-8"))["rows"]
    return rows


def by_key(rows: list[dict[str, object]]) -> dict[tuple[object, object], dict[str, object]]:
    return {(r["domain"], r["item"]): r for r in rows}


def test_the_cv_of_every_estimate_equals_r_survey_cv_run_now(tmp_path: Path) -> None:
    require_tool("Rscript", "R with its survey package")
    ref = tmp_path / "cv.csv"
    subprocess.run(["Rscript", str(REFERENCE), str(ref)], check=True, capture_output=True)
    ours = by_key(estimate(tmp_path))
    with open(ref, encoding="utf-8") as fh:
        expected = list(csv.DictReader(fh))
    assert len(expected) == 10
    for r in expected:
        assert ours[(r["domain"], r["item"])]["cv"] == pytest.approx(float(r["cv"]), rel=1e-9)


def test_by_default_fewer_than_30_respondents_or_a_cv_above_30_percent_is_flagged(
    tmp_path: Path,
) -> None:
    rows = by_key(estimate(tmp_path))
    thin = rows[("Tây Nguyên", "score")]  # 26 respondents, CV 8.4 %
    assert thin["n"] == 26
    assert thin["flag"] == "unreliable" and thin["reason"] == "n = 26 < 30"
    assert thin["estimate"] == pytest.approx(3.2, abs=1.0)  # not public: the value stays
    ok = rows[("Bắc", "q1")]  # 128 respondents, CV 15.1 %
    assert ok["flag"] == "" and ok["reason"] == ""


def test_the_thresholds_are_options(tmp_path: Path) -> None:
    rows = by_key(estimate(tmp_path, "--min-n", "20", "--max-cv", "15"))
    assert rows[("Tây Nguyên", "score")]["flag"] == ""  # 26 ≥ 20 and 8.4 % ≤ 15 %
    assert rows[("Bắc", "q1")]["reason"] == "CV = 15.1 % > 15 %"
    assert rows[("Tây Nguyên", "q1")]["reason"] == "CV = 29.1 % > 15 %"


def test_a_public_table_leaves_thin_estimates_blank_and_says_why(tmp_path: Path) -> None:
    rows = by_key(estimate(tmp_path, "--public"))
    thin = rows[("Tây Nguyên", "q1")]
    for key in ("estimate", "se", "ci_low", "ci_high", "ci_low_logit", "ci_high_logit", "deff"):
        assert thin[key] is None, key
    assert thin["n"] == 26 and thin["flag"] == "not published: unreliable"
    assert thin["reason"] == "n = 26 < 30"
    published = rows[("Bắc", "q1")]
    assert isinstance(published["estimate"], float) and published["flag"] == ""


def test_the_vietnamese_csv_names_the_reason_with_a_decimal_comma() -> None:
    result = runner.invoke(
        app,
        ["survey", "estimate", str(GOLDEN / "stratclus.csv"), *DESIGN, "--items", "q1",
         "--max-cv", "15", "--public"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][-2:] == ["Cảnh báo", "Lý do"]
    bac = next(r for r in rows if r[0] == "Bắc")
    assert bac[2] == "" and bac[-2:] == ["không công bố: không đủ tin cậy", "CV = 15,1 % > 15 %"]


def row(n: int, estimate: float, se: float) -> EstimateRow:
    cv = se / estimate if estimate else float("inf")
    return EstimateRow("x", "q", estimate, se, 0, 1, None, None, n, 1.0, n - 1, cv)


def test_an_estimate_of_zero_has_no_cv_and_is_flagged(tmp_path: Path) -> None:
    assert Reliability().reasons(row(100, 0.0, 0.0)) == ["cv"]
    assert Reliability().reasons(row(29, 0.5, 0.01)) == ["n"]
    assert Reliability().reasons(row(30, 0.5, 0.15)) == []  # 30 % exactly is allowed
    assert Reliability(min_n=10, max_cv=0.5).reasons(row(12, 0.5, 0.2)) == []
    # in a JSON table it is null, not Infinity (which is no JSON)
    data = tmp_path / "zero.csv"
    data.write_text("w,q\n" + "1,0\n" * 40, "utf-8")
    out = tmp_path / "zero.json"
    result = runner.invoke(
        app, ["survey", "estimate", str(data), "--weight", "w", "--out", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    (only,) = json.loads(out.read_text("utf-8"))["rows"]
    assert only["cv"] is None and only["reason"] == "the estimate is 0: no CV"
