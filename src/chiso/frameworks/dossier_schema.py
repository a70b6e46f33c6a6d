"""The dossier record schema, in one place: its columns and its words. The importers check
records against them and write the checked dataset in their order, the engines read the
columns the indicators need, the framework loader checks indicator definitions against the
words, and the compiler turns them into expressions. Plain constants, so that reading a
framework never loads a query engine.

It lives with the frameworks because a framework's metrics are written in its words
(:mod:`chiso.frameworks.metric`): the records package depends on it, never the reverse.
See docs/dossier-records.md for the meaning of every column and flag.
"""

from __future__ import annotations

CHANNELS: tuple[str, ...] = ("in_person", "online_partial", "online_full")
"""How a dossier was submitted: at the counter, online for part of the procedure (dịch vụ công
trực tuyến một phần), or online from submission to result (toàn trình)."""

OUTCOMES: tuple[str, ...] = ("done", "refused", "withdrawn", "returned")
"""How a finished dossier ended: result issued, refused (with reasons), withdrawn by the
applicant, returned for more documents. An unfinished dossier has no outcome."""

OPEN = "open"
"""In a filter's ``outcome`` list: a dossier with no outcome (not finished)."""

LEVELS: tuple[str, ...] = ("ministry", "province", "district", "commune")
"""The administrative level of the body that received the dossier (a department is at the
province level)."""

RATINGS: tuple[int, ...] = (1, 2, 3)
"""The citizen's rating of a finished dossier: 1 not satisfied (không hài lòng), 2 satisfied
(hài lòng), 3 very satisfied (rất hài lòng); empty when the citizen gave none."""

EVENT_STATUSES: tuple[str, ...] = (
    "received",
    "assigned",
    "processing",
    "supplement_requested",
    "supplemented",
    "suspended",
    "resumed",
    "result_ready",
    "returned",
    "finished",
    "withdrawn",
)
"""Status events a handling system records; kept for audit and drill-down, not used by the
built-in indicators."""

FLAGS: tuple[str, ...] = (
    "received_in_period",
    "finished_in_period",
    "open_at_end",
    "overdue_at_end",
    "on_time",
    "late",
    "paid_online",
    "fee",
    "inputs_digitised",
    "results_digitised",
    "synced",
    "reused",
    "rated",
    "unsatisfied",
)
"""The yes/no conditions a metric's filter may test (docs/dossier-records.md defines each)."""

COUNTS: tuple[str, ...] = ("dossiers", "procedures")
"""What a metric counts: dossiers, or distinct procedures having at least one matching
dossier."""

PERIODS: tuple[str, ...] = ("month", "quarter", "year")

GROUPINGS: tuple[str, ...] = ("unit", "procedure", "field")

FLAG_COLUMNS: tuple[str, ...] = (
    "paid_online",
    "inputs_digitised",
    "results_digitised",
    "synced",
    "reused",
)
"""The yes/no columns of a record (empty where unknown or, for ``paid_online``, where the
procedure has no fee)."""

TIME_COLUMNS: tuple[str, ...] = ("received", "due", "finished")

REQUIRED_COLUMNS: tuple[str, ...] = (
    "dossier_id",
    "unit",
    "level",
    "procedure",
    "field",
    "channel",
    "received",
)
"""The columns every export must have (and ``due`` or ``limit_days``)."""

OPTIONAL_COLUMNS: tuple[str, ...] = (
    "due",
    "limit_days",
    "finished",
    "outcome",
    *FLAG_COLUMNS,
    "rating",
    "events",
)
"""The columns an export may have; ``limit_days`` (working days) gives ``due`` where the
export has no due time."""

DATASET_COLUMNS: tuple[str, ...] = (
    *REQUIRED_COLUMNS,
    "due",
    "finished",
    "outcome",
    *FLAG_COLUMNS,
    "rating",
    "events",
)
"""The columns of a checked dataset (``chiso dossiers import`` and ``simulate``), in order."""

INDICATOR_COLUMNS: tuple[str, ...] = tuple(
    c for c in DATASET_COLUMNS if c not in ("dossier_id", "events")
)
"""The columns the indicators may read (the dossier id and the events are kept for audit and
never read: Parquet is read by column)."""
