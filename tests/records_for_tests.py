"""Small dossier records for the tests, and the indicators computed from them by plain Python,
written separately from chiso.records (no filters, no Ibis): each indicator of
service-index-2022 as its definition in docs/dossier-records.md reads, one function each."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

Record = dict[str, Any]
COLUMNS = [
    "dossier_id",
    "unit",
    "level",
    "procedure",
    "field",
    "channel",
    "received",
    "due",
    "finished",
    "outcome",
    "paid_online",
    "inputs_digitised",
    "results_digitised",
    "synced",
    "reused",
    "rating",
]


def random_records(
    n: int, seed: int, units: tuple[str, ...] = ("Hà Nội", "Huế", "Cà Mau")
) -> list[Record]:
    """Records spread over May–July 2024 with every case mixed in: on time, late, finished
    exactly at the due time, unfinished, withdrawn, returned, crossing months."""
    rng = random.Random(seed)
    out: list[Record] = []
    for i in range(n):
        received = dt.datetime(2024, 5, 1) + dt.timedelta(minutes=rng.randrange(0, 92 * 24 * 60))
        due = received + dt.timedelta(days=rng.choice([1, 3, 5, 10, 20]))
        r = rng.random()
        if r < 0.15:
            finished, outcome = None, None
        else:
            if r < 0.25:
                finished = due  # exactly at the due time
            else:
                finished = received + dt.timedelta(seconds=rng.randrange(3600, 30 * 86400))
            outcome = rng.choice(["done"] * 8 + ["refused", "withdrawn", "returned"])
        fee = rng.random() < 0.5
        out.append(
            {
                "dossier_id": f"D{i}",
                "unit": rng.choice(units),
                "level": rng.choice(["province", "district", "commune"]),
                "procedure": rng.choice(["P1", "P1", "P1", "P2", "P3", "P4"]),
                "field": rng.choice(["F1", "F2"]),
                "channel": rng.choice(["in_person", "online_partial", "online_full"]),
                "received": received,
                "due": due,
                "finished": finished,
                "outcome": outcome,
                "paid_online": (rng.random() < 0.5) if fee else None,
                "inputs_digitised": rng.random() < 0.6,
                "results_digitised": rng.random() < 0.5,
                "synced": rng.random() < 0.9,
                "reused": rng.random() < 0.3,
                "rating": rng.choice([None, None, 1, 2, 3]) if finished else None,
            }
        )
    return out


def write_csv(records: list[Record], path: Path) -> Path:
    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return str(value)

    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for rec in records:
            writer.writerow([text(rec[c]) for c in COLUMNS])
    return path


def write_parquet(records: list[Record], path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            **{c: pa.array([r[c] for r in records], pa.string()) for c in COLUMNS[:6]},
            **{
                c: pa.array([r[c] for r in records], pa.timestamp("us"))
                for c in ("received", "due", "finished")
            },
            "outcome": pa.array([r["outcome"] for r in records], pa.string()),
            **{
                c: pa.array([r[c] for r in records], pa.bool_())
                for c in (
                    "paid_online",
                    "inputs_digitised",
                    "results_digitised",
                    "synced",
                    "reused",
                )
            },
            "rating": pa.array([r["rating"] for r in records], pa.int8()),
        }
    )
    pq.write_table(table, path)
    return path


# --- the indicators, one by one ----------------------------------------------------------
def _received_in(r: Record, start: dt.datetime, end: dt.datetime) -> bool:
    return bool(start <= r["received"] < end)


def _finished_in(r: Record, start: dt.datetime, end: dt.datetime) -> bool:
    return r["finished"] is not None and start <= r["finished"] < end


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else 100.0 * num / den


def synced(rs: list[Record], s: dt.datetime, e: dt.datetime) -> tuple[int, int]:
    got = [r for r in rs if _received_in(r, s, e)]
    return sum(1 for r in got if r["synced"]), len(got)


def on_time(rs: list[Record], s: dt.datetime, e: dt.datetime) -> tuple[int, int]:
    handled = [r for r in rs if _finished_in(r, s, e) and r["outcome"] in ("done", "refused")]
    still_open_late = [
        r
        for r in rs
        if r["received"] < e and (r["finished"] is None or r["finished"] >= e) and r["due"] < e
    ]
    good = sum(1 for r in handled if r["finished"] <= r["due"])
    return good, len(handled) + len(still_open_late)


def procedures_online(rs: list[Record], s: dt.datetime, e: dt.datetime) -> tuple[int, int]:
    got = [r for r in rs if _received_in(r, s, e)]
    online = {r["procedure"] for r in got if r["channel"] != "in_person"}
    return len(online), len({r["procedure"] for r in got})


def dossiers_online(rs: list[Record], s: dt.datetime, e: dt.datetime) -> tuple[int, int]:
    got = [r for r in rs if _received_in(r, s, e)]
    return sum(1 for r in got if r["channel"] != "in_person"), len(got)


def procedures_paid_online(rs: list[Record], s: dt.datetime, e: dt.datetime) -> tuple[int, int]:
    got = [r for r in rs if _received_in(r, s, e)]
    return (
        len({r["procedure"] for r in got if r["paid_online"] is True}),
        len({r["procedure"] for r in got if r["paid_online"] is not None}),
    )


def dossiers_paid_online(rs: list[Record], s: dt.datetime, e: dt.datetime) -> tuple[int, int]:
    got = [r for r in rs if _received_in(r, s, e) and r["paid_online"] is not None]
    return sum(1 for r in got if r["paid_online"]), len(got)


def results_electronic(rs: list[Record], s: dt.datetime, e: dt.datetime) -> tuple[int, int]:
    got = [r for r in rs if _finished_in(r, s, e) and r["outcome"] == "done"]
    return sum(1 for r in got if r["results_digitised"]), len(got)


def inputs_digitised(rs: list[Record], s: dt.datetime, e: dt.datetime) -> tuple[int, int]:
    got = [r for r in rs if _received_in(r, s, e)]
    return sum(1 for r in got if r["inputs_digitised"]), len(got)


def reused(rs: list[Record], s: dt.datetime, e: dt.datetime) -> tuple[int, int]:
    got = [r for r in rs if _received_in(r, s, e)]
    return sum(1 for r in got if r["reused"]), len(got)


def satisfied(rs: list[Record], s: dt.datetime, e: dt.datetime) -> tuple[int, int]:
    got = [r for r in rs if _finished_in(r, s, e)]
    return sum(1 for r in got if r["rating"] != 1), len(got)


REFERENCE: dict[str, Callable[[list[Record], dt.datetime, dt.datetime], tuple[int, int]]] = {
    "1.4": synced,
    "2.1": on_time,
    "3.1": procedures_online,
    "3.2": dossiers_online,
    "3.3": procedures_paid_online,
    "3.4": dossiers_paid_online,
    "4.1": results_electronic,
    "4.2": inputs_digitised,
    "4.3": reused,
    "5.3": satisfied,
}


def reference_values(
    records: list[Record], start: dt.datetime, end: dt.datetime, by: str = "unit"
) -> dict[tuple[str, str | None, str], tuple[int, int]]:
    """(unit, key, node) → (numerator, denominator) for every group with a record that
    matters to the period (received before its end and not finished before its start)."""
    relevant = [
        r
        for r in records
        if r["received"] < end and (r["finished"] is None or r["finished"] >= start)
    ]
    groups: dict[tuple[str, str | None], list[Record]] = {}
    for r in relevant:
        groups.setdefault((r["unit"], None if by == "unit" else r[by]), []).append(r)
    out = {}
    for (unit, key), rs in groups.items():
        for node, fn in REFERENCE.items():
            out[(unit, key, node)] = fn(rs, start, end)
    return out
