"""Working days: weekends, the Labour Code's public holidays, and a holiday on a weekend moved
to the next working day."""

from __future__ import annotations

import datetime as dt

from chiso.records.calendar import days_off, working_calendar
from chiso.records.periods import parse_periods

CAL = working_calendar()


def test_reunification_and_labour_day_are_not_working_days() -> None:
    assert not CAL.is_working_day(dt.date(2024, 4, 30))
    assert not CAL.is_working_day(dt.date(2024, 5, 1))
    assert CAL.add_working_days(dt.date(2024, 4, 26), 2) == dt.date(2024, 5, 2)


def test_a_holiday_on_a_sunday_moves_to_the_next_working_day() -> None:
    # 1 September 2024 is a Sunday and 2 September a Monday: 3 September is off instead
    # (the Government's notice gave 31/8 – 3/9/2024)
    assert dt.date(2024, 9, 3) in days_off(2024)
    assert CAL.add_working_days(dt.date(2024, 8, 30), 1) == dt.date(2024, 9, 4)


def test_tet_takes_five_days_around_the_lunar_new_year() -> None:
    # Tết Giáp Thìn: mùng 1 on Saturday 10 February 2024
    off = days_off(2024)
    assert all(dt.date(2024, 2, d) in off for d in (9, 10, 11, 12, 13))
    assert CAL.add_working_days(dt.date(2024, 2, 8), 1) == dt.date(2024, 2, 16)


def test_a_dossier_received_on_saturday_counts_from_monday() -> None:
    assert CAL.add_working_days(dt.date(2024, 6, 8), 1) == dt.date(2024, 6, 11)


def test_periods_are_half_open_months_quarters_and_years() -> None:
    [june] = parse_periods("2024-06")
    assert (june.start, june.end) == (dt.datetime(2024, 6, 1), dt.datetime(2024, 7, 1))
    assert [p.label for p in parse_periods("2024-11:2025-02")] == [
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
    ]
    [q4] = parse_periods("2024-Q4")
    assert (q4.start, q4.end) == (dt.datetime(2024, 10, 1), dt.datetime(2025, 1, 1))
