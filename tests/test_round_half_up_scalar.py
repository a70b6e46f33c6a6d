"""chiso.numbers.round_half_up (one number, Python floats) is bit for bit
round_half_up_array (NumPy) — the one rounding rule, whichever way it is computed — including
halves, negative zero, huge and non-finite values."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.numbers import format_number, format_numbers, round_half_up, round_half_up_array

EDGES = [
    0.0, -0.0, 0.5, -0.5, 2.5, 1.005, 91.865, -91.865, 0.125, 5e-324, -5e-324, 2.0**53,
    1e16 + 1, 1e290, -1e295, 1e300, math.inf, -math.inf, math.nan, 123456789.123456789,
]  # fmt: skip


def _same(value: float, decimals: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy overflowing to inf
        expected = float(round_half_up_array(np.asarray([value]), decimals)[0])
        got = round_half_up(value, decimals)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected and math.copysign(1, got) == math.copysign(1, expected)


@pytest.mark.parametrize("decimals", [0, 1, 2, 3, 4, 6, 8])
def test_edges(decimals: int) -> None:
    for value in EDGES:
        _same(value, decimals)
    for k in range(7):  # halves at every place, both signs
        for base in (0.0, 1.0, 12.34, 987.654):
            for sign in (1, -1):
                _same(sign * (base + 5 * 10.0 ** -(k + 1)), decimals)


@settings(max_examples=2000, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True), st.integers(0, 8))
def test_any_float(value: float, decimals: int) -> None:
    _same(value, decimals)


def test_format_number_prints_as_before() -> None:
    assert format_number(91.865, "vi", 2) == "91,87"
    assert format_number(-0.0000001, "en", 6) == "0.000000"
    assert format_number(-1.5, "en", 0) == "-2"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)), max_size=20),
    st.integers(0, 8),
    st.sampled_from(["vi", "en"]),
)
def test_format_numbers_prints_each_as_format_number(
    values: list[float | None], decimals: int, lang: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = [format_number(v, lang, decimals) for v in values]
    assert format_numbers(values, lang, decimals) == expected


def test_format_numbers_of_the_edges() -> None:
    for decimals in (0, 2, 6):
        for lang in ("vi", "en"):
            values = [*EDGES, None, -0.0000001, -1.5]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # NumPy overflowing to inf
                expected = [format_number(v, lang, decimals) for v in values]
            assert format_numbers(values, lang, decimals) == expected
