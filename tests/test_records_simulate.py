"""The simulator: marked simulated, reproducible from its seed, and shaped like real records
(a few procedures carry most dossiers, late rates differ by unit, seasons, a rising online
share), checked on its output files."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from chiso.records.simulate import MANIFEST, Plan, simulate
from chiso.units.provinces import PROVINCES_63


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sim") / "records"
    simulate(Plan(PROVINCES_63, 120_000, months=12, seed=3), folder)
    return folder


def _sql(folder: Path, query: str) -> list[tuple[object, ...]]:
    files = f"'{folder}/**/*.parquet'"
    return duckdb.sql(query.replace("RECORDS", f"read_parquet({files})")).fetchall()


def test_the_records_are_marked_simulated_in_the_manifest_and_every_file(year: Path) -> None:
    manifest = json.loads((year / MANIFEST).read_text("utf-8"))
    assert manifest["simulated"] is True and manifest["rows"] == 120_000
    files = list(year.rglob("*.parquet"))
    assert len(files) == manifest["files"]
    assert all(pq.read_schema(f).metadata[b"chiso.simulated"] == b"true" for f in files[:20])


def test_the_folders_are_by_month_and_unit(year: Path) -> None:
    months = sorted(p.name for p in year.iterdir() if p.is_dir())
    assert months[0] == "month=2024-01" and months[-1] == "month=2024-12"
    assert len(list((year / "month=2024-06").iterdir())) == 63


def test_the_same_seed_gives_the_same_records(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    simulate(Plan(("Hà Nội", "Huế"), 2000, months=2, seed=8), a)
    simulate(Plan(("Hà Nội", "Huế"), 2000, months=2, seed=8), b)
    query = "SELECT * FROM RECORDS ORDER BY dossier_id"
    assert _sql(a, query) == _sql(b, query)


def test_a_few_procedures_carry_most_dossiers(year: Path) -> None:
    counts = [
        c
        for (c,) in _sql(year, "SELECT count(*) c FROM RECORDS GROUP BY procedure ORDER BY c DESC")
    ]
    top = sum(counts[: len(counts) // 10])
    assert top > 0.5 * sum(counts)


def test_late_rates_differ_by_unit(year: Path) -> None:
    rates = [
        r
        for (r,) in _sql(
            year,
            "SELECT avg(CASE WHEN finished > due THEN 1 ELSE 0 END) FROM RECORDS"
            " WHERE finished IS NOT NULL GROUP BY unit",
        )
    ]
    assert max(rates) > 3 * min(rates)  # type: ignore[operator]


def test_the_online_share_rises_and_tet_months_are_quieter(year: Path) -> None:
    rows = _sql(
        year,
        "SELECT strftime(received, '%m') m, count(*),"
        " avg(CASE WHEN channel <> 'in_person' THEN 1 ELSE 0 END) FROM RECORDS"
        " GROUP BY m ORDER BY m",
    )
    volume = {m: n for m, n, _ in rows}
    online = [share for _, _, share in rows]
    assert online[-1] > online[0] + 0.2  # type: ignore[operator]
    assert volume["02"] < volume["06"] < volume["12"]  # type: ignore[operator]


def test_dossiers_arrive_on_working_days_and_the_last_month_leaves_some_open(
    year: Path,
) -> None:
    [(weekend,)] = _sql(year, "SELECT count(*) FROM RECORDS WHERE dayofweek(received) IN (0, 6)")
    [(tet,)] = _sql(year, "SELECT count(*) FROM RECORDS WHERE received::DATE = DATE '2024-02-12'")
    [(open_,)] = _sql(year, "SELECT count(*) FROM RECORDS WHERE finished IS NULL")
    assert weekend == 0 and tet == 0 and open_ > 0  # type: ignore[operator]


def test_status_events_when_asked_pass_the_importers_checks(tmp_path: Path) -> None:
    from chiso.records.dossier_import import check_records

    simulate(Plan(("Hà Nội", "Huế"), 3000, months=2, seed=2, events=True), tmp_path / "r")
    rows = _sql(
        tmp_path / "r",
        "SELECT events, finished IS NULL, outcome FROM RECORDS",
    )
    assert all(e.startswith("received@") for e, _, _ in rows)  # type: ignore[union-attr]
    ended = {str(e).split(";")[-1].split("@")[0] for e, open_, _ in rows if not open_}
    assert ended == {"finished", "withdrawn", "returned"}
    assert all(";finished@" not in str(e) for e, open_, _ in rows if open_)
    con, report = check_records(tmp_path / "r", ("Hà Nội", "Huế"))
    con.close()
    assert not report, list(report)[:3]
