"""The running index: record files folded in one by one give, bit for bit, the numbers of a
batch run over the same records at their latest state; a dossier updated later is counted
once; a refused file counts nothing; the state survives a restart."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.frameworks import get_framework
from chiso.problems import Refusal
from chiso.records.engines import Run
from chiso.records.index import index_values
from chiso.records.running import RunningIndex, pending_files
from records_for_tests import Record, random_records, write_csv

FW = get_framework("service-index-2022")


def pending(r: Record) -> Record:
    """The same dossier as a file sent before it finished: open, no outcome, no rating."""
    return {**r, "finished": None, "outcome": None, "rating": None}


def landing_files(records: list[Record], folder: Path, seed: int) -> list[Path]:
    """The records as a sequence of daily files in name order; a third of the finished
    dossiers first land open (counted as pending) and land again, finished, in a later file;
    a few land twice unchanged."""
    rng = random.Random(seed)
    ordered = sorted(records, key=lambda r: r["received"])
    batches: list[list[Record]] = [[] for _ in range(12)]
    for i, r in enumerate(ordered):
        k = i * len(batches) // len(ordered)
        if r["finished"] is not None and rng.random() < 0.33 and k < len(batches) - 1:
            batches[k].append(pending(r))
            batches[rng.randrange(k + 1, len(batches))].append(r)
        else:
            batches[k].append(r)
            if rng.random() < 0.05 and k < len(batches) - 1:
                batches[k + 1].append(r)
    paths = []
    for k, batch in enumerate(batches):
        paths.append(write_csv(batch, folder / f"day-{k:03d}.csv"))
    return paths


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_folding_files_equals_a_batch_over_the_latest_states(tmp_path: Path, seed: int) -> None:
    records = random_records(400, seed)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = landing_files(records, inbox, seed)
    with RunningIndex(tmp_path / "state.duckdb", FW) as running:
        for path in files:
            running.fold_file(path)
        months = running.periods()
        folded = running.values()
    batch = index_values(FW, months, Run(write_csv(records, tmp_path / "all.csv")))
    assert [p.label for p in months] == ["2024-05", "2024-06", "2024-07", "2024-08"][: len(months)]
    assert folded == batch
    assert any(v.numerator for v in folded)


def test_a_dossier_finished_late_after_being_pending_is_counted_once_at_its_latest_state(
    tmp_path: Path,
) -> None:
    (r,) = random_records(1, 5)
    r.update(outcome="done", finished=r["due"] + (r["due"] - r["received"]))  # late
    with RunningIndex(tmp_path / "state.duckdb", FW) as running:
        running.fold_file(write_csv([pending(r)], tmp_path / "a.csv"))
        running.fold_file(write_csv([r], tmp_path / "b.csv"))
        stored = running.records()
        values = running.values()
        months = running.periods()
    assert stored.num_rows == 1 and stored["outcome"].to_pylist() == ["done"]
    assert values == index_values(FW, months, Run(write_csv([r], tmp_path / "batch.csv")))


def test_a_refused_file_counts_nothing_and_the_state_survives_a_restart(tmp_path: Path) -> None:
    records = random_records(60, 7)
    good = write_csv(records[:30], tmp_path / "1.csv")
    bad_rows = [dict(r) for r in records[30:]]
    bad_rows[3]["channel"] = "fax"
    bad = write_csv(bad_rows, tmp_path / "2.csv")
    state = tmp_path / "state.duckdb"
    with RunningIndex(state, FW) as running:
        running.fold_file(good)
        before = running.values()
        with pytest.raises(Refusal) as caught:
            running.fold_file(bad)
        assert {(p.row, p.column) for p in caught.value.report} == {(5, "channel")}
        assert running.values() == before
    with RunningIndex(state, FW) as again:
        assert set(again.taken()) == {"1.csv"}
        assert pending_files(tmp_path, again.taken()) == [bad]
        assert again.values() == before


def test_watch_takes_the_files_that_landed_and_names_the_refused_one(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chiso.cli.app import app

    records = random_records(40, 9)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(records[:20], inbox / "a.csv")
    bad = [dict(r) for r in records[20:]]
    bad[1]["level"] = "town"
    write_csv(bad, inbox / "b.csv")
    out = tmp_path / "values.csv"
    args = ["dossiers", "watch", str(inbox), "--state", str(tmp_path / "s.duckdb")]
    args += ["-f", "service-index-2022", "-o", str(out), "--lang", "en"]
    result = CliRunner().invoke(app, [*args, "--max-seconds", "0.5", "--interval", "0.2"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Took a.csv: 20 dossiers" in said
    assert "Refused b.csv" in said and "row 3, column level: 'town'" in said
    first = out.read_text("utf-8")
    assert first.startswith("period,unit,node,value,numerator,denominator")
    # the sender fixes the file: the next pass takes it, and only it
    write_csv(records[20:], inbox / "b.csv")
    result = CliRunner().invoke(app, [*args, "--once"])
    assert result.exit_code == 0, result.output
    assert "Took b.csv: 20 dossiers" in result.output and "a.csv" not in result.output
    assert out.read_text("utf-8") != first


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    files=st.integers(2, 6),
    versions=st.lists(st.integers(1, 3), min_size=5, max_size=60),
)
def test_any_order_of_arrivals_and_updates_folds_to_the_batch_of_the_latest_states(
    tmp_path_factory: pytest.TempPathFactory, seed: int, files: int, versions: list[int]
) -> None:
    """Each dossier lands 1 to 3 times in increasing files, each time in some state (open,
    or finished at some time with some outcome); the last landing is its state."""
    rng = random.Random(seed)
    base = random_records(len(versions), seed)
    folder = tmp_path_factory.mktemp("arrivals")
    batches: list[list[Record]] = [[] for _ in range(files)]
    latest: list[Record] = []
    for r, count in zip(base, versions, strict=True):
        slots = sorted(rng.sample(range(files), min(count, files)))
        state = r
        for slot in slots:
            variant = rng.choice(random_records(3, rng.randrange(10_000)))
            state = {**r, **{k: variant[k] for k in ("finished", "outcome", "rating")}}
            if state["finished"] is not None and state["finished"] < r["received"]:
                state = pending(r)
            batches[slot].append(state)
        latest.append(state)
    with RunningIndex(folder / "state.duckdb", FW) as running:
        for k, batch in enumerate(batches):
            if batch:
                running.fold_file(write_csv(batch, folder / f"{k:03d}.csv"))
        months = running.periods()
        folded = running.values()
    assert folded == index_values(FW, months, Run(write_csv(latest, folder / "all.csv")))


def test_a_state_that_kept_its_records_in_a_table_goes_on_from_them(tmp_path: Path) -> None:
    """States written before the records were kept as one Arrow file per file taken held
    them in the table ``records``: folding more files into such a state gives the batch's
    numbers over the latest states, the dossiers named again included."""
    records = random_records(300, 11)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = landing_files(records, inbox, 11)
    half = len(files) // 2
    state = tmp_path / "state.duckdb"
    with RunningIndex(state, FW) as running:
        for path in files[:half]:
            running.fold_file(path)
        stored = running.records()
        seqs = running.con.execute("SELECT dossier_id, seq FROM latest").to_arrow_table()
        # the earlier layout: every record in the table, no table of latest states
        running.con.register("stored", stored)
        running.con.register("seqs", seqs)
        running.con.execute(
            "INSERT INTO records SELECT s.*, q.seq FROM stored s JOIN seqs q USING (dossier_id)"
        )
        running.con.execute("DROP TABLE latest")
    shutil.rmtree(tmp_path / "state.duckdb.records")
    with RunningIndex(state, FW) as running:
        assert running.records() == stored
        for path in files[half:]:
            running.fold_file(path)
        months = running.periods()
        folded = running.values()
    batch = index_values(FW, months, Run(write_csv(records, tmp_path / "all.csv")))
    assert folded == batch
