"""``chiso survey estimate``: the command gives R's numbers, and bad design input is refused
with file, row and column, writing nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chiso.cli.app import app

runner = CliRunner(env={"COLUMNS": "250"})
GOLDEN = Path(__file__).parent / "golden" / "surveys"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["survey", "estimate", *args])


def test_the_command_gives_r_survey_estimates_per_domain_and_overall() -> None:
    result = invoke(
        str(GOLDEN / "stratclus.csv"),
        "--weight",
        "w",
        "--strata",
        "stratum",
        "--psu",
        "psu",
        "--by",
        "region",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    ours = {(r["domain"], r["item"]): r for r in csv.DictReader(io.StringIO(result.stdout))}
    with open(GOLDEN / "stratclus__fail.csv", encoding="utf-8") as fh:
        for ref in csv.DictReader(fh):
            row = ours[(ref["domain"], ref["item"])]
            for key in ("estimate", "se", "deff"):
                assert float(row[key]) == pytest.approx(float(ref[key]), abs=5e-7)
            if ref["logit_low"] != "NA":
                assert float(row["ci_low_logit"]) == pytest.approx(
                    float(ref["logit_low"]), abs=5e-7
                )
    domains = list(dict.fromkeys(d for d, _ in ours))
    assert domains == ["all", "Bắc", "Nam", "Tây Nguyên", "Trung"]


def test_json_output_keeps_full_precision(tmp_path: Path) -> None:
    out = tmp_path / "est.json"
    result = invoke(
        str(GOLDEN / "fpc.csv"),
        "--weight",
        "w",
        "--strata",
        "stratum",
        "--psu",
        "psu",
        "--fpc",
        "fpc",
        "--items",
        "q1",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    with open(GOLDEN / "fpc__fail.csv", encoding="utf-8") as fh:
        ref = next(r for r in csv.DictReader(fh) if r["domain"] == "all" and r["item"] == "q1")
    assert rows[0]["se"] == pytest.approx(float(ref["se"]), abs=1e-12)


def test_a_lonely_psu_under_fail_names_the_stratum_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "est.csv"
    result = invoke(
        str(GOLDEN / "lonely.csv"),
        "--weight",
        "w",
        "--strata",
        "stratum",
        "--psu",
        "psu",
        "--out",
        str(out),
        "--lang",
        "en",
    )
    assert result.exit_code == 1
    assert "survey.lonely_psu" in result.output and "'S2'" in result.output
    assert not out.exists()


def _write(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_blank_domains_missing_or_non_positive_weights_are_each_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.csv",
        [
            ["tinh", "psu", "w", "q1"],
            ["Hà Nội", "1", "10", "1"],
            ["", "1", "12", "0"],
            ["Huế", "2", "", "1"],
            ["Huế", "2", "-3", "1"],
            ["Huế", "3", "5", "1"],
        ],
    )
    result = invoke(str(path), "--weight", "w", "--psu", "psu", "--by", "tinh", "--lang", "en")
    assert result.exit_code == 1
    for rule in ("survey.design_blank", "survey.weight_missing", "survey.weight_not_positive"):
        assert rule in result.output
    assert "│ 3 " in result.output and "│ 4 " in result.output and "│ 5 " in result.output


def test_a_weight_that_is_no_number_is_reported_with_its_row(tmp_path: Path) -> None:
    """It ended the command with "Unexpected error: ValueError" before."""
    path = _write(
        tmp_path / "bad.csv",
        [
            ["tinh", "psu", "w", "q1"],
            ["Hà Nội", "1", "10", "1"],
            ["Huế", "2", "mười", "1"],
            ["Huế", "3", "5", "1"],
        ],
    )
    result = invoke(str(path), "--weight", "w", "--psu", "psu", "--by", "tinh", "--lang", "en")
    assert result.exit_code == 1 and "Unexpected" not in result.output
    assert "survey.weight_not_number" in result.output and "│ 3 " in result.output
    assert "mười" in result.output


def test_a_missing_design_column_is_named(tmp_path: Path) -> None:
    result = invoke(str(GOLDEN / "stratclus.csv"), "--weight", "trong_so", "--lang", "en")
    assert result.exit_code == 1 and "'trong_so'" in result.output


def test_weights_all_equal_give_a_warning_but_estimates(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "eq.csv", [["psu", "w", "q1"], ["1", "1", "1"], ["2", "1", "0"], ["3", "1", "1"]]
    )
    result = invoke(str(path), "--weight", "w", "--psu", "psu", "--lang", "en")
    assert result.exit_code == 0
    assert "every weight equals 1" in result.output


def test_post_stratification_to_population_counts_gives_r_postStratify_numbers(
    tmp_path: Path,
) -> None:
    population = tmp_path / "dan-so.csv"
    population.write_text("sex,count\nnam,1800000\nnữ,1950000\n", encoding="utf-8")
    result = invoke(
        str(GOLDEN / "papi.csv"),
        "--weight",
        "w",
        "--strata",
        "province",
        "--psu",
        "district",
        "--by",
        "province",
        "--poststrata",
        "sex",
        "--population",
        str(population),
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    ours = {(r["domain"], r["item"]): r for r in csv.DictReader(io.StringIO(result.stdout))}
    with open(GOLDEN / "papi-poststrat__fail.csv", encoding="utf-8") as fh:
        for ref in csv.DictReader(fh):
            row = ours[(ref["domain"], ref["item"])]
            assert float(row["se"]) == pytest.approx(float(ref["se"]), abs=5e-7)


def test_a_post_stratum_without_population_count_is_refused(tmp_path: Path) -> None:
    population = tmp_path / "dan-so.csv"
    population.write_text("sex,count\nnam,1800000\n", encoding="utf-8")
    result = invoke(
        str(GOLDEN / "papi.csv"),
        "--weight",
        "w",
        "--strata",
        "province",
        "--psu",
        "district",
        "--poststrata",
        "sex",
        "--population",
        str(population),
        "--lang",
        "en",
    )
    assert result.exit_code == 1 and "survey.poststratum_unknown" in result.output


def test_raking_to_two_census_margins_gives_r_rake_numbers(tmp_path: Path) -> None:
    rows = list(csv.DictReader((GOLDEN / "papi.csv").open(encoding="utf-8")))
    young = set(list(dict.fromkeys(r["village"] for r in rows))[::2])
    for r in rows:
        r["age"] = "trẻ" if r["village"] in young else "già"
    data = tmp_path / "papi-age.csv"
    with open(data, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    sex = tmp_path / "sex.csv"
    sex.write_text("sex,n\nnam,1800000\nnữ,1950000\n", encoding="utf-8")
    age = tmp_path / "age.csv"
    age.write_text("age,n\ntrẻ,2100000\ngià,1650000\n", encoding="utf-8")
    result = invoke(
        str(data),
        "--weight",
        "w",
        "--strata",
        "province",
        "--psu",
        "district",
        "--by",
        "province",
        "--rake",
        f"sex={sex}",
        "--rake",
        f"age={age}",
        "--items",
        "q1,q2,q3,q4,score",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    ours = {(r["domain"], r["item"]): r for r in csv.DictReader(io.StringIO(result.stdout))}
    with open(GOLDEN / "papi-rake__fail.csv", encoding="utf-8") as fh:
        for ref in csv.DictReader(fh):
            row = ours[(ref["domain"], ref["item"])]
            assert float(row["se"]) == pytest.approx(float(ref["se"]), abs=5e-7)
