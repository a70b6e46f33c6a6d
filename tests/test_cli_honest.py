"""``chiso ranks`` and ``chiso plan`` are honest about uncertainty (issue #22): a file without
standard errors is said to be taken as exact; a total's standard error is derived from its
leaves' only when the user says they are independent; a plan that depends on other units says
they are assumed not to move, never prints a certainty without that caveat, and writes its
numbers at the framework's precision; names are found without their marks; the screen gets the
table when no file is asked for, without words split at 80 columns."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis_data import results_file
from chiso.analysis.leaf_errors import total_se_from_leaves
from chiso.analysis.loaded import load_results
from chiso.analysis.rank_uncertainty import rank_uncertainty
from chiso.cli.app import app
from chiso.frameworks import get_framework

FRAMEWORK_YAML = """\
format: 1
code: test-two-leaves
index: PAR INDEX
subject: department
name_vi: Khung thử hai tiêu chí
name_en: Two-leaf test framework
years: {from: 2024}
legal_basis: "test"
scoring:
  precision: 2
  rank_by: index
  total: {aggregation: sum, max: 100}
  groups:
    method: bands
    on: index
    bands:
      - {code: A, name_vi: "Nhóm A", name_en: "Group A", min: 90}
      - {code: B, name_vi: "Nhóm B", name_en: "Group B", below: 90}
nodes:
  - code: "1"
    name_vi: Một
    max: 60
    children:
      - {code: "1.1", name_vi: Một một, max: 60, source: self_assessed}
  - code: "2"
    name_vi: Hai
    max: 40
    children:
      - {code: "2.1", name_vi: Hai một, max: 40, source: self_assessed}
"""
wide = CliRunner(env={"COLUMNS": "250"})
narrow = CliRunner(env={"COLUMNS": "80"})
NAMES = ["Sở Tư pháp", "Sở Y tế", "Sở Nội vụ", "Sở Giao thông vận tải", "Thanh tra tỉnh"]


@pytest.fixture(autouse=True)
def fw_file(tmp_path: Path) -> Path:
    path = tmp_path / "fw.yaml"
    path.write_text(FRAMEWORK_YAML, encoding="utf-8")
    return path


def fw(tmp_path: Path):  # type: ignore[no-untyped-def]
    return get_framework(str(tmp_path / "fw.yaml"))


def F(tmp_path: Path) -> list[str]:
    """The framework option: the test framework is a file, not a built-in."""
    return ["-f", str(tmp_path / "fw.yaml")]


def exact(tmp_path: Path) -> Path:
    data: dict[str, dict[str, float | str | None]] = {
        name: {"1.1": 40 + 3 * i, "2.1": 30 + i} for i, name in enumerate(NAMES)
    }
    return results_file(tmp_path / "r.json", fw(tmp_path), data)


def with_leaf_errors(tmp_path: Path, total: dict[str, float] | None = None) -> Path:
    data: dict[str, dict[str, float | str | None]] = {
        "A": {"1.1": 50, "2.1": 30},
        "B": {"1.1": 49, "2.1": 30},
    }
    errors = {"A": {"1.1": 1.2, "2.1": 0.5}, "B": {"1.1": 0.9, "2.1": 1.6}}
    return results_file(tmp_path / "r.json", fw(tmp_path), data, total, errors)


def test_ranks_without_standard_errors_warn_that_every_unit_is_exact(tmp_path: Path) -> None:
    result = wide.invoke(
        app, ["ranks", *F(tmp_path), str(exact(tmp_path)), "--draws", "200", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "every unit is treated as exact" in result.output


def test_ranks_print_the_table_on_the_screen_without_out(tmp_path: Path) -> None:
    result = wide.invoke(app, ["ranks", *F(tmp_path), str(exact(tmp_path)), "--draws", "200"])
    assert result.exit_code == 0, result.output
    assert "Đã ghi" not in result.output
    for name in NAMES:
        assert name in result.output
    assert "100,0 %" in result.output  # the leader is first in every draw (no errors)


def test_the_screen_table_does_not_split_words_at_80_columns(tmp_path: Path) -> None:
    result = narrow.invoke(
        app, ["ranks", *F(tmp_path), str(exact(tmp_path)), "--draws", "200", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    words = set(re.findall(r"\w+", result.output))
    for name in NAMES:
        for word in name.split():
            assert word in words, (word, result.output)
    assert all(len(line) <= 80 for line in result.output.splitlines())


def test_a_total_standard_error_from_independent_leaves_is_the_root_sum_of_squares(
    tmp_path: Path,
) -> None:
    """A plain sum of two independent estimates: se = √(s1² + s2²)."""
    loaded = load_results(with_leaf_errors(tmp_path), fw(tmp_path))
    derived = total_se_from_leaves(loaded)
    assert derived[0] == pytest.approx(math.hypot(1.2, 0.5), rel=1e-6)
    assert derived[1] == pytest.approx(math.hypot(0.9, 1.6), rel=1e-6)
    result = rank_uncertainty(loaded, 20_000, seed=3, total_se=derived)
    leader = next(u for u in result.units if u.unit == "A")
    expected = 0.5 * (1 + math.erf(1 / math.hypot(derived[0], derived[1]) / math.sqrt(2)))
    assert leader.p_first == pytest.approx(expected, abs=0.02)


def test_leaf_errors_without_a_total_error_need_assume_independent(tmp_path: Path) -> None:
    path = str(with_leaf_errors(tmp_path))
    refused = wide.invoke(app, ["ranks", *F(tmp_path), path, "--draws", "200", "--lang", "en"])
    assert refused.exit_code == 1 and "ranks.total_se_missing" in refused.output
    assert "--assume-independent" in refused.output
    allowed = wide.invoke(
        app, ["ranks", *F(tmp_path), path, "--draws", "200", "--assume-independent"]
    )
    assert allowed.exit_code == 0, allowed.output
    assert "độc lập" in allowed.output


def test_a_given_total_error_is_used_as_it_is(tmp_path: Path) -> None:
    path = str(with_leaf_errors(tmp_path, {"A": 3.0, "B": 3.0}))
    result = wide.invoke(
        app, ["ranks", *F(tmp_path), path, "--draws", "200", "-o", str(tmp_path / "x.json")]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["rows"]
    assert {r["se"] for r in rows} == {3.0}


def test_a_unit_is_found_without_case_or_marks_and_an_unknown_one_gets_close_names(
    tmp_path: Path,
) -> None:
    path = str(exact(tmp_path))
    out = tmp_path / "p.json"
    found = wide.invoke(
        app, ["plan", *F(tmp_path), path, "-u", "so y te", "--rank", "1", "-o", str(out)]
    )
    assert found.exit_code == 0, found.output
    assert json.loads(out.read_text(encoding="utf-8"))["unit"] == "Sở Y tế"
    unknown = wide.invoke(
        app, ["plan", *F(tmp_path), path, "-u", "So Y tee", "--rank", "1", "-o", str(out)]
    )
    assert unknown.exit_code == 1 and "Sở Y tế" in unknown.output


def test_a_plan_without_history_says_the_others_are_assumed_not_to_move(
    tmp_path: Path,
) -> None:
    path = str(exact(tmp_path))
    out = tmp_path / "p.json"
    args = ["plan", path, "-u", "Sở Tư pháp", "--rank", "1", "-o", str(out), "--lang", "en"]
    result = wide.invoke(app, [*args, *F(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "the other units are assumed to keep their present results" in result.output
    # without errors or history the probability is 1: said with its caveat, never bare
    assert "100.00 % (under the simulation's assumptions, not a certainty)" in result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["others_assumed_fixed"] is True


def test_a_plans_json_is_written_at_the_frameworks_precision(tmp_path: Path) -> None:
    path = str(exact(tmp_path))
    out = tmp_path / "p.json"
    result = wide.invoke(
        app, ["plan", *F(tmp_path), path, "-u", "Sở Nội vụ", "--index", "88.55", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))

    def floats(x: object) -> list[float]:
        if isinstance(x, dict):
            return [f for v in x.values() for f in floats(v)]
        if isinstance(x, list):
            return [f for v in x for f in floats(v)]
        return [x] if isinstance(x, float) else []

    for key in ("current_total", "needed_total", "reached_total", "reached_index"):
        assert round(doc[key], 2) == doc[key]
    assert all(len(repr(f).split(".")[-1]) <= 6 for f in floats(doc))
