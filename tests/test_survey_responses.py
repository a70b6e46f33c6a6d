"""Reading responses: a plain CSV split with NumPy (chiso.surveys.csv_columns) gives exactly
what reading it row by row through open_table gives — cells, numbers, labels, text columns,
problems and their order, errors — whatever the numbers, tokens and spaces in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.problems import Refusal
from chiso.surveys import csv_columns, responses
from chiso.surveys.responses import read_responses

TOKENS = [
    "1", "0", "1.0", "0.0", "-2", "+3", ".5", "5.", "-0", "-0.0", "007.50", "1e3", "1E-2",
    "123456789012345", "1234567890123456", "0.1234567890123456789", "inf", "-inf", "nan",
    "NA", "na", "N/A", "n/a", ".", "", " ", " 4 ", "\t7", "1_000", "١٢", "abc", "x y", "1.2.3",
    "+", "-", "Hà Nội", " Huế ", "0x10",
]  # fmt: skip


def _read(path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> Any:
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(responses, "split_body", lambda *a: None)
        else:
            calls: list[object] = []
            real = csv_columns.split_body

            def spy(*a: Any) -> Any:
                calls.append(real(*a))
                return calls[-1]

            m.setattr(responses, "split_body", spy)
        try:
            result: Any = read_responses(str(path), **kw)
        except Refusal as exc:
            result = ("problems", [(p.rule, p.row, p.column, p.params) for p in exc.report])
        except ValueError as exc:
            result = ("ValueError", str(exc))
        if fast:
            assert calls and calls[0] is not None, "the fast path was not taken"
    return result


def _repr(values: list[Any]) -> list[str]:
    """Comparable lists: NaN equals NaN, -0.0 differs from 0.0."""
    return [repr(v) for v in values]


def _summary(r: Any) -> Any:
    if isinstance(r, tuple):
        return r
    out: dict[str, Any] = {"n": r.n, "items": r.items}
    for name in r.columns:
        out[name] = _repr(r.columns[name].cells())
        try:
            out[name + "#numbers"] = _repr(r.numbers(name).tolist())
        except ValueError as exc:
            out[name + "#numbers"] = str(exc)
        out[name + "#labels"] = r.labels(name).tolist()
        factor = r.factor(name)
        out[name + "#factor"] = (factor.codes.tolist(), factor.levels.tolist())
        out[name + "#satisfied"] = _repr(r.satisfied(name, ("1", "Hà Nội"), ("0",)).tolist())
    return out


def _same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, **kw: Any) -> None:
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    args: dict[str, Any] = {
        "weight": "w", "strata": "s", "psu": None, "fpc": None, "by": "d", "items": None,
    }  # fmt: skip
    args.update(kw)
    slow = _summary(_read(path, False, monkeypatch, **args))
    fast = _summary(_read(path, True, monkeypatch, **args))
    assert fast == slow


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(TOKENS), st.sampled_from(TOKENS), st.sampled_from(TOKENS)),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["1", "2.5", "-1", "", "NA", "abc", "inf"]),
    st.booleans(),
)
def test_fast_and_row_by_row_reading_agree(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, str]],
    odd_weight: str,
    text_items: bool,
) -> None:
    tmp_path = tmp_path_factory.mktemp("r")
    monkeypatch = pytest.MonkeyPatch()
    lines = ["w,s,d,q1,q2"]
    for i, (a, b, c) in enumerate(rows):
        weight = odd_weight if i == len(rows) // 2 else f"{1 + i % 3}.5"
        lines.append(",".join([weight, f"t{i % 2}", c if c.strip() else "x", a, b]))
    text = "\n".join(lines) + "\n"
    _same(
        tmp_path,
        monkeypatch,
        text,
        text_items=text_items,
        items=["q1", "q2"] if text_items else None,
    )
    _same(tmp_path, monkeypatch, text)


def test_the_fast_path_reads_a_survey_as_the_rows_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(4)
    lines = ["\ufeffw,s,d,q1,q2,q3"]
    for i in range(400):
        answers = rng.choice(["0", "1", "NA", "1.0", " 0 "], 3)
        lines.append(f"{rng.lognormal(3, 0.5):.3f},{i % 7},Tỉnh {i % 5},{','.join(answers)}")
    _same(tmp_path, monkeypatch, "\r\n".join(lines) + "\r\n")


@pytest.mark.parametrize(
    "text",
    [
        'w,s,d,q1\n1,a,b,"1"\n',  # quotes
        "w,s,d,q1\n1,a,b,1\n\n2,a,b,0\n",  # a blank line
        "w,s,d,q1\n1,a,b,1\n,,,\n2,a,b,0\n",  # a row of blank cells
        "w,s,d,q1\n1,a,b,1,9\n2,a,b\n",  # rows of other lengths
        "w,s,d,q1\n1,a,b,1\r2,a,b,0\n",  # a carriage return alone
        "w,s,d,q1\n1,a,b," + "9" * 140_000 + "\n",  # a field beyond the csv module's limit
    ],
    ids=["quotes", "blank line", "blank cells", "lengths", "lone CR", "long field"],
)
def test_files_the_fast_path_leaves_to_the_csv_module(text: str) -> None:
    header, _, _ = text.partition("\n")
    assert csv_columns.split_body(text, ",", len(header.split(","))) is None


def test_plain_numbers_are_what_float_reads() -> None:
    fields = ["0", "1", "-0.0", "3.14159", ".5", "5.", "+12", "999999999999999", "0.1", "1e3"]
    text = "a,b\n" + "\n".join(f"{f},x" for f in fields) + "\n"
    body = csv_columns.split_body(text, ",", 2)
    assert body is not None
    values, plain = body.decimals(0)
    assert plain.tolist() == [True] * 9 + [False]
    for v, f in zip(values[:9], fields[:9], strict=True):
        assert v == float(f) and np.signbit(v) == np.signbit(float(f))
