"""Deadlines: whether a unit's window in a cycle is open, and until when.

One function answers it (:func:`window_of`) for the policy, the pages and, later, the
notifications: the stage the cycle is in, its closing date, and an extension an administrator
granted to the unit. Extending (for the cycle or for one unit) is :func:`extend`, always with a
reason and in the audit trail; the dates a cycle opens with are checked by :func:`check_dates`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from chiso.problems import Kind, Refusal
from chiso.web.accounts.policy import can_manage, officer_units
from chiso.web.core import rows
from chiso.web.core.audit import audit
from chiso.web.core.refusals import forbidden
from chiso.web.cycles.models import Cycle, DeadlineExtension, Unit

# the stages with a window, and the cycle's field holding each one's last day
FIELDS = {
    Cycle.SELF: "self_assessment_ends",
    Cycle.APPRAISAL: "appraisal_ends",
    Cycle.EXPLANATION: "explanation_ends",
}
STAGE_NAMES = {
    Cycle.SELF: gettext_lazy("Hạn tự đánh giá"),
    Cycle.APPRAISAL: gettext_lazy("Hạn thẩm định"),
    Cycle.EXPLANATION: gettext_lazy("Hạn giải trình"),
}


def today() -> datetime.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Window:
    """A stage's window for a unit (or for the whole cycle): its last day (None: no
    deadline), and the extension that set it, if any."""

    stage: str
    ends: datetime.date | None
    extension: DeadlineExtension | None = None

    @property
    def open(self) -> bool:
        return self.ends is None or today() <= self.ends

    @property
    def days_left(self) -> int | None:
        """Days after today still in the window (0 on the last day; negative once closed)."""
        return None if self.ends is None else (self.ends - today()).days

    def describe(self) -> str:
        """``Hạn tự đánh giá: 15/12/2026 (còn 9 ngày)``, in the active language."""
        name = str(STAGE_NAMES[self.stage])
        if self.ends is None:
            return gettext("%(stage)s: không đặt") % {"stage": name}
        shown = self.ends.strftime(gettext("%d/%m/%Y"))
        left = self.days_left or 0
        if left > 0:
            when = ngettext("còn %(days)s ngày", "còn %(days)s ngày", left) % {"days": left}
        elif left == 0:
            when = gettext("hôm nay là ngày cuối")
        else:
            when = ngettext(
                "đã hết hạn %(days)s ngày trước", "đã hết hạn %(days)s ngày trước", -left
            ) % {"days": -left}
        text = gettext("%(stage)s: %(date)s (%(when)s)") % {
            "stage": name,
            "date": shown,
            "when": when,
        }
        if self.extension is not None:
            text += " · " + gettext("đã gia hạn: %(reason)s") % {"reason": self.extension.reason}
        return text

    def closed_message(self) -> str:
        """Why nothing can be typed: the window closed on its last day."""
        shown = self.ends.strftime(gettext("%d/%m/%Y")) if self.ends else ""
        return gettext(
            "%(stage)s đã hết vào ngày %(date)s: phiếu không còn sửa được. Quản trị viên có "
            "thể gia hạn cho kỳ đánh giá hoặc cho đơn vị."
        ) % {"stage": str(STAGE_NAMES[self.stage]), "date": shown}


def window_of(cycle: Cycle, unit_id: int | None = None) -> Window | None:
    """The window of the stage ``cycle`` is in, for ``unit_id`` (its own extension counts) or
    for the cycle; None when the stage has no window (preparing, finalised, published)."""
    if cycle.state not in FIELDS:
        return None
    extension = None if unit_id is None else newest_extension(cycle.pk, cycle.state, unit_id)
    return window_with(cycle, extension)


NEWEST = ("-granted_at", "-id")
"""The order in which a unit's extensions in a stage come, the one in force first."""

_newest_sql: dict[str, str] = {}


def newest_extension(cycle_id: int, stage: str, unit_id: int) -> DeadlineExtension | None:
    """The unit's extension in force for ``stage`` of the cycle (the first in the order
    :data:`NEWEST`), or None: as ``DeadlineExtension.objects.filter(cycle_id=…, stage=…,
    unit_id=…).order_by(*NEWEST).first()``, with its SQL written once per database
    (:mod:`chiso.web.core.rows`: saving and reading a sheet ask this on every request)."""
    sql = _newest_sql.get(connection.vendor)
    if sql is None:

        def col(name: str) -> str:
            return rows.column(DeadlineExtension, name, "e", connection)

        order = ", ".join(
            f"{col(name[1:])} DESC" if name.startswith("-") else col(name) for name in NEWEST
        )
        sql = _newest_sql[connection.vendor] = (
            f"SELECT {rows.columns(DeadlineExtension, 'e', connection)}"
            f" FROM {rows.table(DeadlineExtension, connection)} e"
            f" WHERE {col('cycle_id')} = %s AND {col('stage')} = %s AND {col('unit_id')} = %s"
            f" ORDER BY {order} LIMIT 1"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle_id, stage, unit_id])
        row = cursor.fetchone()
    return None if row is None else rows.instance(DeadlineExtension, row, 0, connection)


def window_with(cycle: Cycle, extension: DeadlineExtension | None) -> Window | None:
    """:func:`window_of` for a unit whose newest extension in the cycle's current stage
    (in the order :data:`NEWEST`) has already been read: ``extension``, or None if it has
    none."""
    field = FIELDS.get(cycle.state)
    if field is None:
        return None
    ends: datetime.date | None = getattr(cycle, field)
    if extension is not None and (ends is None or extension.ends > ends):
        return Window(cycle.state, extension.ends, extension)
    return Window(cycle.state, ends)


def extended_ends(cycle: Cycle) -> dict[int, datetime.date]:
    """{unit: last day} of the cycle's current stage for every unit whose own extension moves
    it later than the cycle's date: :func:`window_of` for all the cycle's units at once (one
    query, for the notices of a province's hundreds of units)."""
    field = FIELDS.get(cycle.state)
    if field is None:
        return {}
    ends: datetime.date | None = getattr(cycle, field)
    newest: dict[int, datetime.date] = {}
    granted = DeadlineExtension.objects.filter(
        cycle=cycle, stage=cycle.state, unit__isnull=False
    ).order_by("-granted_at", "-id")
    for unit_id, day in granted.values_list("unit_id", "ends"):
        newest.setdefault(unit_id, day)
    return {unit: day for unit, day in newest.items() if ends is None or day > ends}


def window_key(window: Window | None) -> str:
    """Names a window in the key of a kept page: its stage, last day and the extension that
    set it (an extension is never changed, only followed by a newer one)."""
    if window is None:
        return "-"
    made = window.extension.pk if window.extension is not None else 0
    return f"{window.stage}.{window.ends or 'none'}.{made}"


def extension_line(extension: DeadlineExtension) -> str:
    """One extension as the cycle's page lists it: whom, from and to which day, why, by whom."""
    return gettext("%(whom)s, %(stage)s: %(old)s → %(new)s · %(reason)s (%(by)s)") % {
        "whom": extension.unit.name if extension.unit else gettext("cả kỳ đánh giá"),
        "stage": str(STAGE_NAMES.get(extension.stage, "")),
        "old": _shown(extension.previous) if extension.previous else "—",
        "new": _shown(extension.ends),
        "reason": extension.reason,
        "by": extension.granted_by.username,
    }


def extendable(cycle: Cycle) -> list[str]:
    """The stages whose deadline may still move: the current one and those after it (every
    one while the cycle is being prepared; none once the windows are over)."""
    order = list(FIELDS)
    if cycle.state == Cycle.DRAFT:
        return order
    if cycle.state not in FIELDS:
        return []
    return order[order.index(cycle.state) :]


def all_windows(cycle: Cycle) -> list[Window]:
    """Every stage's window of the cycle as a whole, in order (a page's list of deadlines)."""
    return [Window(stage, getattr(cycle, field)) for stage, field in FIELDS.items()]


def check_dates(windows: dict[str, datetime.date | None]) -> None:
    """The closing dates a cycle opens with: none already past, and in the stages' order."""
    seen: list[tuple[str, datetime.date]] = []
    for stage, field in FIELDS.items():
        day = windows.get(field)
        if day is None:
            continue
        if day < today():
            raise Refusal(
                "deadline.past",
                Kind.INVALID,
                field,
                stage=str(STAGE_NAMES[stage]),
                date=_shown(day),
            )
        for earlier_stage, earlier in seen:
            if day < earlier:
                raise Refusal(
                    "deadline.out_of_order",
                    Kind.INVALID,
                    field,
                    stage=str(STAGE_NAMES[stage]),
                    earlier=str(STAGE_NAMES[earlier_stage]),
                )
        seen.append((stage, day))


def _shown(day: datetime.date) -> str:
    return day.strftime(gettext("%d/%m/%Y"))


shown_day = _shown
"""A day as the reader writes it, for a message about a window (dd/mm/yyyy in Vietnamese)."""


@transaction.atomic
def extend(
    actor: Any,
    cycle: Cycle,
    stage: str,
    ends: datetime.date | None,
    reason: str,
    unit: Unit | None = None,
) -> DeadlineExtension:
    """Move ``stage``'s last day to ``ends`` for the cycle or for one of its units; refused
    without a reason, for a day already past, for a stage already over, or (for the cycle)
    past the next stage's own last day."""
    if not can_manage(actor):
        raise forbidden()
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    field = FIELDS.get(stage)
    if field is None:
        raise Refusal("deadline.no_window", Kind.INVALID, "stage")
    if stage not in extendable(cycle):
        raise Refusal("deadline.stage_over", Kind.INVALID, "stage", stage=str(STAGE_NAMES[stage]))
    order = list(FIELDS)
    if ends is None:
        raise Refusal("deadline.date_required", Kind.INVALID, "ends")
    if not reason.strip():
        raise Refusal("deadline.reason_required", Kind.INVALID, "reason")
    if ends < today():
        raise Refusal(
            "deadline.past", Kind.INVALID, "ends", stage=str(STAGE_NAMES[stage]), date=_shown(ends)
        )
    if unit is not None and not cycle.units.filter(pk=unit.pk).exists():
        raise Refusal("deadline.unit_not_in_cycle", Kind.INVALID, "unit", unit=unit.name)
    previous: datetime.date | None = getattr(cycle, field)
    if unit is None:
        later = order[order.index(stage) + 1 :]
        for next_stage in later:
            next_day = getattr(cycle, FIELDS[next_stage])
            if next_day is not None and ends > next_day:
                raise Refusal(
                    "deadline.out_of_order",
                    Kind.INVALID,
                    "ends",
                    stage=str(STAGE_NAMES[next_stage]),
                    earlier=str(STAGE_NAMES[stage]),
                )
        setattr(cycle, field, ends)
        cycle.save(update_fields=[field])
    else:
        window = window_of(Cycle(pk=cycle.pk, state=stage, **{field: previous}), unit.pk)
        previous = window.ends if window is not None else previous
    extension = DeadlineExtension.objects.create(
        cycle=cycle,
        unit=unit,
        stage=stage,
        ends=ends,
        previous=previous,
        reason=reason.strip(),
        granted_by=actor,
    )
    target: Any = unit if unit is not None else cycle
    audit(actor, cycle, target, field, previous, ends.isoformat(), reason.strip())
    return extension


def window_for(cycle: Cycle, user: Any) -> Window | None:
    """The window of ``cycle``'s current stage as ``user`` reads it on their pages (home,
    cycle, sheet): for an officer, the window of their unit in the cycle, its own extension
    counting (the earliest when they answer for several units); the cycle's own window for
    everyone else."""
    window = window_of(cycle)
    units = officer_units(user) if window is not None else []
    if not units:
        return window
    theirs = [
        own
        for unit_id in cycle.units.filter(pk__in=units).values_list("pk", flat=True)
        if (own := window_of(cycle, unit_id)) is not None
    ]
    dated = [w for w in theirs if w.ends is not None]
    if dated:
        return min(dated, key=lambda w: w.ends or datetime.date.max)
    return theirs[0] if theirs else window
