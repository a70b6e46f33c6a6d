"""Working days in Vietnam: due dates counted in working days skip weekends and public holidays.

The public holidays are those of the Labour Code 2019 (Article 112): 1 January; five days of
the Lunar New Year (Tết); the Hùng Kings' day (10th of the 3rd lunar month); 30 April; 1 May;
2 September and one day beside it (chiso takes 1 September, as in 2022–2025). When a holiday
falls on a Saturday or Sunday the next working day is off instead (nghỉ bù, Article 111 and
Decree 145/2020/NĐ-CP). The five Tết days are taken, as most years' government notices do, as
the last day of the old lunar year and the first four of the new one. Days swapped by a yearly
notice of the Ministry (làm bù on a Saturday) are not modelled: a province that needs them gives
its own list (:func:`working_calendar` with ``extra_holidays``).

Dates of the lunar new year and of the Hùng Kings' day are from the Vietnamese lunar calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy as np
    import numpy.typing as npt

LUNAR_NEW_YEAR: dict[int, dt.date] = {
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
}
"""Mùng 1 Tết of each year."""

HUNG_KINGS: dict[int, dt.date] = {
    2020: dt.date(2020, 4, 2),
    2021: dt.date(2021, 4, 21),
    2022: dt.date(2022, 4, 10),
    2023: dt.date(2023, 4, 29),
    2024: dt.date(2024, 4, 18),
    2025: dt.date(2025, 4, 7),
    2026: dt.date(2026, 4, 26),
    2027: dt.date(2027, 4, 16),
    2028: dt.date(2028, 4, 4),
}
"""Giỗ Tổ Hùng Vương (10/3 lunar) of each year."""

YEARS = range(min(LUNAR_NEW_YEAR), max(LUNAR_NEW_YEAR) + 1)
DUE_HOUR = 17
"""A deadline counted in working days ends at the close of office hours (17:00) of its last
working day."""


def statutory_holidays(year: int) -> list[dt.date]:
    """The public holidays of ``year`` under the Labour Code, before weekend compensation."""
    tet = LUNAR_NEW_YEAR[year]
    days = [dt.date(year, 1, 1)]
    days += [tet + dt.timedelta(days=k) for k in range(-1, 4)]
    days += [HUNG_KINGS[year], dt.date(year, 4, 30), dt.date(year, 5, 1)]
    days += [dt.date(year, 9, 1), dt.date(year, 9, 2)]
    return sorted(days)


def days_off(year: int) -> list[dt.date]:
    """The holidays of ``year`` with compensation: a holiday on a weekend moves to the next
    working day that is not itself a holiday."""
    holidays = statutory_holidays(year)
    off = set(holidays)
    for day in holidays:
        if day.weekday() >= 5:
            extra = day + dt.timedelta(days=1)
            while extra.weekday() >= 5 or extra in off:
                extra += dt.timedelta(days=1)
            off.add(extra)
    return sorted(off)


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: tuple[dt.date, ...]

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in set(self.holidays)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (a day that is not a working day counts as
        the next working day, so a dossier received on Saturday with one day is due on
        Tuesday)."""
        import numpy as np

        return dt.date.fromisoformat(
            str(
                np.busday_offset(
                    np.datetime64(day, "D"), n, roll="forward", holidays=self._np_holidays()
                )
            )
        )

    def due_times(
        self, received: npt.NDArray[np.datetime64], limit_days: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.datetime64]:
        """Due times (17:00 of the last working day) for many dossiers at once."""
        import numpy as np

        days = received.astype("datetime64[D]")
        last = np.busday_offset(days, limit_days, roll="forward", holidays=self._np_holidays())
        hours = np.timedelta64(DUE_HOUR, "h")
        due: npt.NDArray[np.datetime64] = np.add(last.astype("datetime64[us]"), hours)
        return due

    def _np_holidays(self) -> npt.NDArray[np.datetime64]:
        import numpy as np

        return np.array(self.holidays, dtype="datetime64[D]")


@cache
def _builtin() -> tuple[dt.date, ...]:
    return tuple(d for y in YEARS for d in days_off(y))


def working_calendar(extra_holidays: Iterable[dt.date] = ()) -> WorkingCalendar:
    """Vietnam's working calendar for the years chiso knows, with a province's extra days off."""
    return WorkingCalendar(tuple(sorted({*_builtin(), *extra_holidays})))
