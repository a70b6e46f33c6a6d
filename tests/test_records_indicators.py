"""Every data indicator of service-index-2022 equals an independent plain-Python computation
(tests/records_for_tests.py) over small generated records, and every edge case of
docs/dossier-records.md is pinned by a hand-made record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chiso.frameworks import get_framework
from chiso.records.compile import IndicatorValue
from chiso.records.engines import Run
from chiso.records.index import index_values
from chiso.records.periods import parse_periods
from records_for_tests import random_records, reference_values, write_csv, write_parquet

FW = get_framework("service-index-2022")


def _computed(path: Path, period: str, by: str = "unit") -> list[IndicatorValue]:
    return index_values(FW, parse_periods(period), Run(path, by=by))


def _as_dict(values: list[IndicatorValue]) -> dict[tuple[str, str | None, str], tuple[int, int]]:
    return {(v.unit, v.key, v.node): (v.numerator, v.denominator) for v in values}


@pytest.mark.parametrize("by", ["unit", "procedure", "field"])
def test_every_indicator_equals_the_plain_python_computation(tmp_path: Path, by: str) -> None:
    records = random_records(3000, seed=7)
    path = write_parquet(records, tmp_path / "records.parquet")
    for month in (5, 6, 7):
        start, end = dt.datetime(2024, month, 1), dt.datetime(2024, month + 1, 1)
        got = _as_dict(_computed(path, f"2024-{month:02d}", by))
        assert got == reference_values(records, start, end, by)


def test_a_range_of_months_gives_each_month_as_computed_alone(tmp_path: Path) -> None:
    records = random_records(800, seed=3)
    path = write_csv(records, tmp_path / "records.csv")
    together = _computed(path, "2024-05:2024-07")
    alone = [v for m in ("2024-05", "2024-06", "2024-07") for v in _computed(path, m)]
    assert together == alone


def _one(tmp_path: Path, **fields: object) -> Path:
    base: dict[str, object] = {
        "dossier_id": "X1",
        "unit": "Hà Nội",
        "level": "province",
        "procedure": "P1",
        "field": "F1",
        "channel": "in_person",
        "received": dt.datetime(2024, 6, 3, 8),
        "due": dt.datetime(2024, 6, 5, 17),
        "finished": None,
        "outcome": None,
        "paid_online": None,
        "inputs_digitised": False,
        "results_digitised": False,
        "synced": True,
        "reused": False,
        "rating": None,
    }
    base.update(fields)
    return write_parquet([base], tmp_path / "one.parquet")


def _value(path: Path, node: str, period: str = "2024-06") -> tuple[int, int]:
    values = {v.node: (v.numerator, v.denominator) for v in _computed(path, period)}
    return values[node]


def test_a_dossier_finished_exactly_at_its_due_time_is_on_time(tmp_path: Path) -> None:
    due = dt.datetime(2024, 6, 5, 17)
    path = _one(tmp_path, finished=due, outcome="done")
    assert _value(path, "2.1") == (1, 1)


def test_a_dossier_finished_a_second_after_its_due_time_is_late(tmp_path: Path) -> None:
    path = _one(tmp_path, finished=dt.datetime(2024, 6, 5, 17, 0, 1), outcome="done")
    assert _value(path, "2.1") == (0, 1)


def test_an_unfinished_dossier_overdue_at_the_end_of_the_period_counts_as_late(
    tmp_path: Path,
) -> None:
    path = _one(tmp_path)
    assert _value(path, "2.1") == (0, 1)


def test_an_unfinished_dossier_not_yet_due_is_not_counted(tmp_path: Path) -> None:
    path = _one(tmp_path, received=dt.datetime(2024, 6, 28, 8), due=dt.datetime(2024, 7, 3, 17))
    assert _value(path, "2.1") == (0, 0)


def test_a_dossier_due_exactly_at_the_end_of_the_period_is_not_yet_overdue(
    tmp_path: Path,
) -> None:
    path = _one(tmp_path, received=dt.datetime(2024, 6, 28, 8), due=dt.datetime(2024, 7, 1))
    assert _value(path, "2.1") == (0, 0)


@pytest.mark.parametrize("outcome", ["withdrawn", "returned"])
def test_withdrawn_and_returned_dossiers_are_not_in_the_on_time_rate(
    tmp_path: Path, outcome: str
) -> None:
    path = _one(tmp_path, finished=dt.datetime(2024, 6, 10), outcome=outcome)
    assert _value(path, "2.1") == (0, 0)
    assert _value(path, "4.2") == (0, 1)  # still a dossier received


def test_a_dossier_crossing_months_counts_where_received_and_where_finished(
    tmp_path: Path,
) -> None:
    path = _one(
        tmp_path,
        received=dt.datetime(2024, 5, 30, 9),
        due=dt.datetime(2024, 6, 14, 17),
        finished=dt.datetime(2024, 6, 3, 10),
        outcome="done",
        results_digitised=True,
    )
    assert _value(path, "3.2", "2024-05") == (0, 1)  # received in May
    assert _value(path, "4.1", "2024-05") == (0, 0)  # not finished in May
    assert _value(path, "2.1", "2024-05") == (0, 0)  # open at the end of May, not overdue
    assert _value(path, "4.1", "2024-06") == (1, 1)  # finished in June
    assert _value(path, "2.1", "2024-06") == (1, 1)
    assert _value(path, "3.2", "2024-06") == (0, 0)


def test_a_late_dossier_open_over_several_months_is_late_in_each(tmp_path: Path) -> None:
    path = _one(
        tmp_path,
        received=dt.datetime(2024, 4, 2, 9),
        due=dt.datetime(2024, 4, 10, 17),
        finished=dt.datetime(2024, 6, 20, 9),
        outcome="done",
    )
    assert _value(path, "2.1", "2024-04") == (0, 1)
    assert _value(path, "2.1", "2024-05") == (0, 1)
    assert _value(path, "2.1", "2024-06") == (0, 1)


def test_satisfaction_counts_unrated_dossiers_as_not_dissatisfied(tmp_path: Path) -> None:
    path = _one(tmp_path, finished=dt.datetime(2024, 6, 4), outcome="done", rating=None)
    assert _value(path, "5.3") == (1, 1)
    path = _one(tmp_path, finished=dt.datetime(2024, 6, 4), outcome="done", rating=1)
    assert _value(path, "5.3") == (0, 1)


def test_an_indicator_with_nothing_to_count_is_not_applicable_not_zero(tmp_path: Path) -> None:
    path = _one(tmp_path)  # no fee: the online-payment rates do not apply
    values = {v.node: v for v in _computed(path, "2024-06")}
    assert values["3.4"].denominator == 0
    assert values["3.4"].value is None


def test_a_unit_code_like_a_formula_is_quoted_in_the_values_csv(tmp_path: Path) -> None:
    """OWASP's CSV injection: a unit code from a dossier file never reaches the CSV as a formula;
    a negative-looking number is left alone."""
    import csv

    from chiso.records.index import write_values

    values = [IndicatorValue("2024-06", '=HYPERLINK("x")', None, "1.1", 1, 2)]
    write_values(values, "unit", False, tmp_path / "v.csv")
    rows = list(csv.reader((tmp_path / "v.csv").open(encoding="utf-8")))
    assert rows[1] == ['\'=HYPERLINK("x")', "1.1", "50.0"]


def test_a_range_of_months_spread_in_one_pass_equals_the_plain_python_computation(
    tmp_path: Path,
) -> None:
    # the records (May to July, some finished in August, some still open) reach from before
    # the first month of June–July to after the last
    records = random_records(3000, seed=11)
    path = write_parquet(records, tmp_path / "records.parquet")
    computed = _computed(path, "2024-06:2024-07")
    for month in (6, 7):
        start, end = dt.datetime(2024, month, 1), dt.datetime(2024, month + 1, 1)
        got = _as_dict([v for v in computed if v.period == f"2024-{month:02d}"])
        assert got == reference_values(records, start, end, "unit")


def test_periods_with_a_gap_between_them_are_each_counted_as_alone(tmp_path: Path) -> None:
    from chiso.records.compile import contiguous
    from chiso.records.engines import compute

    records = random_records(800, seed=5)
    path = write_parquet(records, tmp_path / "records.parquet")
    may, july = parse_periods("2024-05")[0], parse_periods("2024-07")[0]
    assert not contiguous([may, july])  # counted by the general join, not the spread
    assert contiguous(parse_periods("2024-05:2024-07"))
    together = compute(FW, [may, july], Run(path))
    alone = compute(FW, [may], Run(path)) + compute(FW, [july], Run(path))
    assert together == alone


def test_leaves_that_never_test_the_due_time_count_as_in_the_whole_framework(
    tmp_path: Path,
) -> None:
    # without an overdue condition the due time is not placed among the periods at all; a
    # column no leaf tests is not read (with months following each other, or with a gap)
    from chiso.records.engines import compute
    from frameworks_for_tests import framework, leaf

    records = random_records(800, seed=13)
    path = write_parquet(records, tmp_path / "records.parquet")
    chosen = [n for n in FW.leaves() if n.code in ("3.2", "4.1", "5.3")]
    small = framework(*(leaf(n.code, n.max, source="data", metric=n.metric) for n in chosen))
    for periods in (
        parse_periods("2024-06:2024-07"),
        parse_periods("2024-05") + parse_periods("2024-07"),
    ):
        whole = [v for v in compute(FW, periods, Run(path)) if v.node in ("3.2", "4.1", "5.3")]
        assert compute(small, periods, Run(path)) == whole  # reads none of the fee's columns
