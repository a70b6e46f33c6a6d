"""Numbers in a user's table, read by chiso.numbers.parse_decimal: a decimal comma is read where
it is declared and otherwise reported with the number to write instead; anything else that is
not a number is reported as such; a results table's numbers follow its language."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.frameworks import get_framework
from chiso.problems import Problem, Refusal
from chiso.scoring import compile_plan
from chiso.tables.reading import read_scores
from chiso.tables.results_reading import read_results

FW = get_framework("example-department-2024")
PLAN = compile_plan(FW)


def _long(tmp_path: Path, value: str) -> str:
    path = tmp_path / "scores.csv"
    path.write_text(f"unit,node,value\nSở Tư pháp,3.1,{value}\n", encoding="utf-8")
    return str(path)


def _problems(path: str, decimal_comma: bool) -> list[Problem]:
    with pytest.raises(Refusal) as caught:
        read_scores(path, FW, PLAN, decimal_comma=decimal_comma)
    return list(caught.value.report)


def test_a_decimal_comma_is_read_where_it_is_declared(tmp_path: Path) -> None:
    for value in ('"4,25"', "4.25", "4"):
        data = read_scores(_long(tmp_path, value), FW, PLAN, decimal_comma=True)
        assert data.given[PLAN.positions["3.1"], 0] == float(value.strip('"').replace(",", "."))


def test_an_undeclared_decimal_comma_is_reported_with_the_number_to_write(tmp_path: Path) -> None:
    (problem,) = _problems(_long(tmp_path, '"4,25"'), decimal_comma=False)
    assert (problem.rule, problem.row, problem.column) == ("value.decimal_comma", 2, "value")
    assert problem.params == {"value": "4,25", "suggest": "4.25"}
    assert "4.25" in problem.message("en") and "--decimal-comma" in problem.message("en")


@pytest.mark.parametrize(
    "value", ["sớm", '"1,2,3"', '"4,2.5"', "4..5", "nan", "inf", "1e999", "1_000", "0x10"]
)
@pytest.mark.parametrize("decimal_comma", [False, True])
def test_text_that_is_no_number_in_either_notation_is_reported_as_such(
    tmp_path: Path, value: str, decimal_comma: bool
) -> None:
    (problem,) = _problems(_long(tmp_path, value), decimal_comma)
    assert problem.rule == "value.not_number"
    assert problem.params == {"value": value.strip('"')}


def _results(tmp_path: Path, header: str, index: str) -> Path:
    path = tmp_path / f"results-{index}.csv"
    path.write_text(f'{header}\nSở Tư pháp,80,"{index}",1\n', encoding="utf-8")
    return path


def test_a_vietnamese_results_table_is_read_with_its_decimal_comma(tmp_path: Path) -> None:
    table = read_results(_results(tmp_path, "Đơn vị,Tổng điểm,Chỉ số (%),Xếp hạng", "91,87"))
    assert table.units["Sở Tư pháp"].index == 91.87


def test_an_english_results_table_with_a_decimal_comma_is_refused(tmp_path: Path) -> None:
    assert read_results(_results(tmp_path, "unit,total,index,rank", "91.87")).units
    with pytest.raises(Refusal) as caught:
        read_results(_results(tmp_path, "unit,total,index,rank", "91,87"))
    (problem,) = caught.value.report
    assert problem.rule == "results.bad_file" and problem.params == {"reason": "'91,87'"}


def test_a_typed_number_may_have_spaces_around_it_but_not_inside_it() -> None:
    """On a sheet "1 5" is a slip (for 1,5?), not fifteen; score-input files, which have always
    allowed spaces inside a cell's number, say so."""
    from chiso.numbers import NotANumber, parse_decimal

    assert parse_decimal("  91,87\u00a0") == 91.87
    assert parse_decimal("") is None and parse_decimal("   ") is None
    for slip in ("1 5", "9\u00a05", "1 2,5"):
        with pytest.raises(NotANumber):
            parse_decimal(slip)
    assert parse_decimal("1 2,5", spaces_inside=True) == 12.5
    for bad in ("1_000", "nan", "inf", "1e999", "1,2,3", "1.2,3"):
        with pytest.raises(NotANumber):
            parse_decimal(bad)
    with pytest.raises(NotANumber):
        parse_decimal("91,87", decimal_comma=False)


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "text"),
    [
        (92.55, "vi", 2, "92,55"),
        (90.0, "vi", 2, "90"),
        (4.5, "vi", 4, "4,5"),
        (100.0, "vi", 0, "100"),  # no separator: the zeros of an integer stay
        (2.125, "en", 2, "2.13"),  # rounded half up first
        (None, "vi", 2, ""),
    ],
)
def test_a_short_number_drops_only_the_trailing_zeros_of_its_decimals(
    value: float | None, lang: str, decimals: int, text: str
) -> None:
    from chiso.numbers import format_short

    assert format_short(value, lang, decimals) == text
