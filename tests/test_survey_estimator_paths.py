"""The estimator's fast paths give what the plain ones give: labels factorised by counting
equal ``np.unique``'s codes and labels; a column-major array, a row-major one, items in small
batches and a pre-factorised domain all give the same estimates (the results themselves are
checked against R in test_survey_design.py)."""

from __future__ import annotations

import numpy as np
import pytest

from chiso.surveys import design as design_module
from chiso.surveys.design import SurveyDesign
from chiso.surveys.labels import Factor, factorise


@pytest.mark.parametrize(
    "values",
    [
        np.array([5, 3, 3, 9, -2, 5]),
        np.array([10**12, 3, 10**12]),  # a range too wide to count: np.unique
        np.array([True, False, True]),
        np.array(["Hà Nội", "Huế", "An Giang", "Huế"]),
        np.array([3.5, 1.0, 3.5]),
        np.array(["b", 2, "a"], dtype=object),
        np.arange(1000, dtype=np.uint16)[::-1],
    ],
)
def test_factorise_is_np_unique(values: np.ndarray) -> None:
    raw = values.astype(str) if values.dtype == object else values
    labels, codes = np.unique(raw, return_inverse=True)
    factor = factorise(values)
    np.testing.assert_array_equal(factor.levels, labels)
    np.testing.assert_array_equal(factor.codes, codes.ravel())
    assert factor.levels.dtype == labels.dtype
    np.testing.assert_array_equal(factor.values(), raw)
    assert factorise(factor) is factor


def _data(n: int = 3000, seed: int = 3) -> tuple[SurveyDesign, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    province = rng.integers(0, 9, n)
    design = SurveyDesign(rng.lognormal(3, 0.4, n), province, rng.integers(0, 6, n))
    y = (rng.random((n, 11)) < 0.7).astype(float)
    y[:, 4] = rng.normal(3, 1, n)
    y[rng.random((n, 11)) < 0.05] = np.nan
    return design, y, province


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    for field in ("estimate", "se", "n", "deff", "df", "ci_low", "ci_high", "logit_low"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    for field in ("estimate", "se", "df", "ci_low", "ci_high"):
        np.testing.assert_array_equal(getattr(a.contrasts, field), getattr(b.contrasts, field))


def test_memory_layout_batches_and_factors_do_not_change_estimates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    design, y, province = _data()
    c = np.vstack([np.full(11, 1 / 11), np.eye(11)[4]])
    by, labels, overall = design.mean_by(y, province, contrasts=c)
    for layout in (np.asfortranarray(y), np.ascontiguousarray(y)):
        other = design.mean_by(layout, province, contrasts=c)
        _same(by, other[0])
        _same(overall, other[2])
    monkeypatch.setattr(design_module, "BATCH_CELLS", 1)  # one item at a time
    monkeypatch.setattr(design_module, "ROW_BLOCK", 7)
    factor = Factor(province.astype(np.int64), np.unique(province))
    batched = design.mean_by(y, factor, contrasts=c)
    _same(by, batched[0])
    _same(overall, batched[2])
    assert list(batched[1]) == list(labels)
