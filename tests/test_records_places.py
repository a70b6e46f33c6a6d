"""A record's place among the periods' boundaries, as the compiled expression computes it for
periods that follow each other: a null time (an open dossier's finish, a missing due time) is
placed after every boundary, as the last boundary itself is, and the three places packed into
one integer to group by are read back exactly, however many periods there are."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import pyarrow as pa
import pytest

from chiso.records import compile as compile_module
from chiso.records.engines import duckdb_backend
from chiso.records.periods import parse_periods


def test_a_null_time_is_placed_after_every_boundary_like_the_last_boundary() -> None:
    periods = parse_periods("2024-01:2024-12")
    bounds = [p.start for p in periods] + [periods[-1].end]
    times: list[dt.datetime | None] = [
        None,
        bounds[0] - dt.timedelta(microseconds=1),
        *bounds,
        *(b + dt.timedelta(days=3) for b in bounds),
        bounds[-1] - dt.timedelta(microseconds=1),
    ]
    table = ibis.memtable(pa.table({"t": pa.array(times, pa.timestamp("us"))}))
    expr = table.select(t=table.t, c=compile_module._position(table.t, bounds))
    got = duckdb_backend().to_pyarrow(expr).to_pylist()
    expected = [
        len(bounds) if row["t"] is None else sum(b <= row["t"] for b in bounds) for row in got
    ]
    assert [row["c"] for row in got] == expected
    assert got[0]["c"] == len(bounds) == 13


@pytest.mark.parametrize(("n", "due"), [(12, True), (12, False), (1500, True), (1500, False)])
def test_packed_places_are_read_back_exactly(n: int, due: bool) -> None:
    edges = sorted({0, 1, n // 2, n, n + 1})
    rows: dict[str, list[int]] = {"_cr": [], "_cf": [], "_cd": []}
    for cr in edges:
        for cf in edges:
            for cd in edges:
                rows["_cr"].append(cr)
                rows["_cf"].append(cf)
                rows["_cd"].append(cd)
    table = ibis.memtable(pa.table({k: pa.array(v, pa.int16()) for k, v in rows.items()}))
    packed = table.mutate(_c=compile_module._packed(table, n, due))
    back = compile_module._unpacked(
        packed.select("_c", "_cr", "_cf", "_cd").rename(r_cr="_cr", r_cf="_cf", r_cd="_cd"), n, due
    )
    got: list[dict[str, Any]] = duckdb_backend().to_pyarrow(back).to_pylist()
    assert len(got) == len(rows["_cr"])
    for row in got:
        assert (row["_cr"], row["_cf"]) == (row["r_cr"], row["r_cf"])
        if due:
            assert row["_cd"] == row["r_cd"]
    # the key's type is the narrowest that holds the largest code: 14³ in 16 bits, 1,502² in
    # 32, 1,502³ only in 64
    expected = {(12, True): "int16", (12, False): "int16", (1500, False): "int32"}
    assert compile_module._radix(n, due)[1] == expected.get((n, due), "int64")
