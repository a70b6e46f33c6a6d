"""Simulated dossier records, clearly marked as such, with the shape of real ones.

What makes them realistic enough to test and to benchmark on: a few procedures carry most
dossiers (Zipf-like popularity, as birth registration, land and certification do); each unit
has its own size, its own late rate and its own starting share of online dossiers; the volume
has seasons (a dip around Tết, a rise towards the end of the year); the online share and
digitisation rise month after month; dossiers arrive on working days during office hours and
their due times follow from a limit in working days (:mod:`chiso.records.calendar`). Some are
refused, withdrawn or returned; the last month leaves some unfinished.

The output is Parquet, one folder per month and unit (``month=2024-06/unit_no=07/``), with a
manifest ``_chiso_dossiers.json`` saying ``"simulated": true`` and the same mark in every file's
metadata.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiso.frameworks.dossier_schema import CHANNELS, LEVELS, OUTCOMES

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MANIFEST = "_chiso_dossiers.json"
N_PROCEDURES = 240
N_FIELDS = 24
LIMITS = (1, 3, 5, 7, 10, 15, 20, 30)
SEASON = (0.80, 0.70, 1.00, 1.00, 1.05, 1.05, 1.00, 1.00, 1.00, 1.05, 1.10, 1.20)
"""Volume by calendar month relative to an average month: Tết in January–February, the
year-end rush in November–December."""


@dataclass(frozen=True)
class Plan:
    units: tuple[str, ...]
    rows: int
    months: int = 12
    start_year: int = 2024
    start_month: int = 1
    seed: int = 1
    events: bool = False
    """Also write each dossier's status events (received, processing, and how it ended)."""


def _months(plan: Plan) -> list[tuple[int, int]]:
    out = []
    y, m = plan.start_year, plan.start_month
    for _ in range(plan.months):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _split(total: int, weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Integers proportional to ``weights`` that add up to ``total`` exactly."""
    import numpy as np

    raw = weights / weights.sum() * total
    counts: npt.NDArray[np.int64] = np.floor(raw).astype(np.int64)
    rest = total - int(counts.sum())
    if rest:
        counts[np.argsort(raw - counts)[::-1][:rest]] += 1
    return counts


END_STATUS = ("finished", "finished", "withdrawn", "returned")
"""The status event that ends a dossier, by outcome (done, refused, withdrawn, returned)."""


def _events(
    received: npt.NDArray[np.datetime64],
    started: npt.NDArray[np.datetime64],
    not_started: npt.NDArray[np.bool_],
    finished: npt.NDArray[np.datetime64],
    outcome: npt.NDArray[np.int64],
    unfinished: npt.NDArray[np.bool_],
) -> Any:
    """``received@…;processing@…;finished@…`` per dossier (docs/dossier-records.md), built
    column-wise by Arrow; an open dossier's events stop at processing."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def at(status: str | Any, times: Any, mask: Any = None) -> Any:
        text = pc.strftime(pa.array(times, pa.timestamp("s"), mask=mask), format="%Y-%m-%d %H:%M")
        return pc.binary_join_element_wise(status, text, "@")

    end = pa.array(np.array(END_STATUS)[outcome])
    return pc.binary_join_element_wise(
        at("received", received),
        at("processing", started, not_started),
        at(end, finished, unfinished),
        ";",
        null_handling="skip",
    )


def simulate(plan: Plan, out_dir: str | Path) -> dict[str, Any]:
    """Write the simulated records under ``out_dir``; return the manifest."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from chiso.records.calendar import working_calendar

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(plan.seed)
    calendar = working_calendar()
    holidays = np.array(calendar.holidays, dtype="datetime64[D]")
    n_units = len(plan.units)
    unit_size = rng.lognormal(0.0, 0.8, n_units)
    unit_late = rng.beta(2.0, 30.0, n_units)  # about 6 % late on average, some units far more
    unit_online = rng.uniform(0.05, 0.45, n_units)
    unit_digitised = rng.uniform(0.3, 0.8, n_units)
    unit_unsatisfied = rng.beta(1.0, 60.0, n_units)
    popularity = 1.0 / np.arange(1, N_PROCEDURES + 1) ** 1.1
    popularity /= popularity.sum()
    proc_field = rng.integers(0, N_FIELDS, N_PROCEDURES)
    proc_limit = np.array(LIMITS)[rng.integers(0, len(LIMITS), N_PROCEDURES)]
    proc_fee = rng.random(N_PROCEDURES) < 0.4
    proc_level = rng.choice(len(LEVELS), N_PROCEDURES, p=[0.0, 0.3, 0.35, 0.35])
    months = _months(plan)
    month_weights = np.array([SEASON[m - 1] for _, m in months])
    per_month = _split(plan.rows, month_weights)
    proc_names = pa.array([f"P{i + 1:04d}" for i in range(N_PROCEDURES)])
    field_names = pa.array([f"F{i + 1:02d}" for i in range(N_FIELDS)])
    unit_names = pa.array(list(plan.units))
    level_names = pa.array(list(LEVELS))
    channel_names = pa.array(list(CHANNELS))
    outcome_names = pa.array(list(OUTCOMES))
    last_day = np.datetime64(
        f"{months[-1][0] + (months[-1][1] == 12):04d}-{months[-1][1] % 12 + 1:02d}-01", "D"
    )
    next_id = 0
    files = 0
    for k, ((year, mon), month_rows) in enumerate(zip(months, per_month, strict=True)):
        first = np.datetime64(f"{year:04d}-{mon:02d}-01", "D")
        following = np.datetime64(f"{year + (mon == 12):04d}-{mon % 12 + 1:02d}-01", "D")
        days = np.arange(first, following)
        workdays = days[np.is_busday(days, holidays=holidays)]
        per_unit = _split(int(month_rows), unit_size)
        trend = k / max(1, plan.months - 1)
        for u in range(n_units):
            n = int(per_unit[u])
            if n == 0:
                continue
            proc = rng.choice(N_PROCEDURES, n, p=popularity)
            day = workdays[rng.integers(0, len(workdays), n)]
            seconds = rng.integers(7 * 3600 + 1800, 17 * 3600, n)
            received = day.astype("datetime64[us]") + seconds.astype("timedelta64[s]")
            limit = proc_limit[proc]
            due_day = np.busday_offset(day, limit, roll="forward", holidays=holidays)
            due = due_day.astype("datetime64[us]") + np.timedelta64(17, "h")
            late = rng.random(n) < unit_late[u]
            span = (due - received).astype("timedelta64[s]").astype(np.int64)
            early_part = rng.beta(2.0, 2.0, n)
            overrun = rng.exponential(3 * 86400, n).astype(np.int64) + 1
            taken = np.where(late, span + overrun, (span * early_part).astype(np.int64))
            finished = received + taken.astype("timedelta64[s]")
            outcome = rng.choice(4, n, p=[0.93, 0.02, 0.02, 0.03])
            unfinished = finished >= last_day.astype("datetime64[us]")
            online_p = min(0.95, unit_online[u] + 0.35 * trend)
            r = rng.random(n)
            channel = np.where(r < online_p * 0.6, 2, np.where(r < online_p, 1, 0))
            fee = proc_fee[proc]
            paid = np.where(channel > 0, rng.random(n) < 0.75, rng.random(n) < 0.1)
            digitised_p = min(0.98, unit_digitised[u] + 0.2 * trend)
            rated = rng.random(n) < 0.55
            unhappy = rng.random(n) < unit_unsatisfied[u] * (1 + 3 * late)
            rating = np.where(unhappy, 1, np.where(rng.random(n) < 0.6, 2, 3))
            ids = np.arange(next_id, next_id + n)
            next_id += n
            table = pa.table(
                {
                    "dossier_id": pa.array(ids).cast(pa.string()),
                    "unit": pa.DictionaryArray.from_arrays(
                        pa.array(np.full(n, u, dtype=np.int32)), unit_names
                    ),
                    "level": pa.DictionaryArray.from_arrays(
                        pa.array(proc_level[proc].astype(np.int32)), level_names
                    ),
                    "procedure": pa.DictionaryArray.from_arrays(
                        pa.array(proc.astype(np.int32)), proc_names
                    ),
                    "field": pa.DictionaryArray.from_arrays(
                        pa.array(proc_field[proc].astype(np.int32)), field_names
                    ),
                    "channel": pa.DictionaryArray.from_arrays(
                        pa.array(channel.astype(np.int32)), channel_names
                    ),
                    "received": pa.array(received, pa.timestamp("us")),
                    "due": pa.array(due, pa.timestamp("us")),
                    "finished": pa.array(finished, pa.timestamp("us"), mask=unfinished),
                    "outcome": pa.DictionaryArray.from_arrays(
                        pa.array(outcome.astype(np.int32), mask=unfinished), outcome_names
                    ),
                    "paid_online": pa.array(paid, pa.bool_(), mask=~fee),
                    "inputs_digitised": pa.array(rng.random(n) < digitised_p),
                    "results_digitised": pa.array(rng.random(n) < digitised_p * 0.9),
                    "synced": pa.array(rng.random(n) < 0.92),
                    "reused": pa.array(rng.random(n) < 0.2 + 0.3 * trend),
                    "rating": pa.array(rating.astype(np.int8), pa.int8(), mask=~rated | unfinished),
                },
                metadata={"chiso.simulated": "true"},
            )
            if plan.events:
                started = received + (taken * 0.2).astype("timedelta64[s]")
                later = started >= last_day.astype("datetime64[us]")  # after the simulated time
                table = table.append_column(
                    "events", _events(received, started, later, finished, outcome, unfinished)
                )
            folder = out / f"month={year:04d}-{mon:02d}" / f"unit_no={u + 1:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, folder / "part-0.parquet", compression="zstd")
            files += 1
    manifest = {
        "simulated": True,
        "rows": plan.rows,
        "months": [f"{y:04d}-{m:02d}" for y, m in months],
        "units": list(plan.units),
        "seed": plan.seed,
        "files": files,
        "note": "Simulated dossier records (chiso dossiers simulate); not real data.",
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return manifest


def simulate_central(
    framework: Any, units: tuple[str, ...], seed: int
) -> dict[str, dict[str, float | None]]:
    """Simulated points of the centrally assessed leaves (made by chiso's own code, for the
    demonstration; not real): each unit's rate on each leaf drawn between 60 % and 100 % and
    scored in proportion (max × rate ÷ 100), rounded to two decimals."""
    import numpy as np

    from chiso.records.monthly_index import central_leaves

    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, float | None]] = {}
    for unit in units:
        row: dict[str, float | None] = {}
        for leaf in central_leaves(framework):
            rate = float(rng.uniform(60.0, 100.0))
            row[leaf.code] = round((leaf.max or 0.0) * rate / 100.0, 2)
        out[unit] = row
    return out
