"""Critical values of the intervals: Student's t quantile (the logit interval's, computed
with the standard library instead of SciPy) equals R's ``qt`` to 1e-12 from 0.5 to 10⁷
degrees of freedom, and the normal one is R's ``qnorm``. Golden values:
tests/golden/surveys/t_quantiles.csv (tests/reference/t_quantiles.R); when R is installed the
suite also re-runs it."""

from __future__ import annotations

import csv
import math
import subprocess
from pathlib import Path

import pytest

from chiso.surveys import student_t
from chiso.surveys.intervals import Z95, normal_interval, normal_quantile, t_quantile
from conftest import require_tool

GOLDEN = Path(__file__).parent / "golden" / "surveys" / "t_quantiles.csv"
REFERENCE = Path(__file__).parent / "reference" / "t_quantiles.R"


def compare(path: Path) -> int:
    checked = 0
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            level, df, expected = float(row["level"]), float(row["df"]), float(row["quantile"])
            # below one degree of freedom the far tail is steep: R and SciPy differ at 1e-12
            tol = 5e-12 if df < 1 else 1e-12
            assert t_quantile(level, df) == pytest.approx(expected, rel=tol), (level, df)
            checked += 1
    return checked


def test_t_quantiles_equal_r_qt_golden_values() -> None:
    assert compare(GOLDEN) == 288


def test_t_quantiles_equal_r_qt_run_now(tmp_path: Path) -> None:
    require_tool("Rscript", "R")
    out = tmp_path / "t_quantiles.csv"
    subprocess.run(["Rscript", str(REFERENCE), str(out)], check=True, capture_output=True)
    assert compare(out) == 288


def test_t_quantile_is_symmetric_and_increasing() -> None:
    for df in (1.0, 3.0, 7.5, 40.0, 5000.0):
        assert student_t.quantile(0.025, df) == -student_t.quantile(0.975, df)
        values = [student_t.quantile(p, df) for p in (0.6, 0.8, 0.9, 0.99)]
        assert values == sorted(values)
    assert student_t.quantile(0.5, 12.0) == 0.0


def test_without_degrees_of_freedom_there_is_no_t_quantile() -> None:
    assert math.isnan(t_quantile(0.95, 0.0))
    assert math.isnan(t_quantile(0.95, math.nan))
    assert t_quantile(0.95, math.inf) == Z95


def test_the_normal_interval_uses_qnorm() -> None:
    assert normal_quantile(0.95) == pytest.approx(1.959963984540054, rel=1e-15)
    assert normal_quantile(0.95) == Z95
    assert normal_quantile(0.9) == pytest.approx(1.6448536269514722, rel=1e-15)
    low, high = normal_interval(10.0, 2.0)
    assert (low, high) == pytest.approx((10 - 2 * Z95, 10 + 2 * Z95))
    with pytest.raises(ValueError):
        t_quantile(1.0, 5.0)
