"""Benchmark: the service index on a Spark standalone cluster started on this machine, at a
size given on the command line — one master and two worker processes (one core, 1 GB each)
from the PySpark distribution, as the tests start them (tests/spark_cluster.py).

Prints the job's wall time, the CPU time of each executor (from /proc), and each executor's
and worker's peak resident memory (VmHWM, read from /proc every half second while the job
runs), and, with ``--check``, whether DuckDB gives the same numbers on the same files.

    .venv/bin/python benchmarks/bench_records_cluster.py 10000000 [--check]
        [--dir /var/tmp/chiso-bench-records]

The simulated records (63 provinces × 12 months) are written once to --dir/rows-SIZE and
reused. Several sizes on one machine give a slope; a size that does not fit in the time or
on the disk is an extrapolation from them, and is to be reported as one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench_records import FW, PERIODS, cpu_seconds, simulated
from chiso.records.engines import Run, compute, spark_backend, spark_session
from chiso.records.periods import parse_periods

ROLES = {
    "CoarseGrainedExecutorBackend": "executor",
    "deploy.worker.Worker": "worker",
    "deploy.master.Master": "master",
}


def _processes() -> dict[int, str]:
    listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True)
    found = {}
    for line in listing.stdout.splitlines()[1:]:
        pid, _, args = line.strip().partition(" ")
        for mark, role in ROLES.items():
            if mark in args and "java" in args:
                found[int(pid)] = role
    return found


def _status(pid: int) -> tuple[int, float]:
    """Peak resident memory (kB) and CPU seconds of a process so far."""
    peak = 0
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmHWM"):
            peak = int(row.split()[1])
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return peak, (int(fields[11]) + int(fields[12])) / ticks


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("--dir", default="/var/tmp/chiso-bench-records")
    ap.add_argument("--check", action="store_true", help="compare with DuckDB")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from spark_cluster import standalone_cluster  # the tests' own cluster

    folder = simulated(Path(args.dir) / f"rows-{args.rows}", args.rows)
    size = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
    print(f"{args.rows:,} records, {size / 1e9:.2f} GB of Parquet in {folder}")
    peaks: dict[int, tuple[str, int, float]] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for pid, role in _processes().items():
                try:
                    peak, cpu = _status(pid)
                except OSError:
                    continue
                before = peaks.get(pid, (role, 0, 0.0))
                peaks[pid] = (role, max(before[1], peak), max(before[2], cpu))
            time.sleep(0.5)

    with standalone_cluster(Path(args.dir) / "cluster") as url:
        session = spark_session(url)
        session.sparkContext.setLogLevel("ERROR")
        thread = threading.Thread(target=watch)
        thread.start()
        try:
            session.range(10).count()  # executors started before the clock
            base = {pid: cpu for pid, (_, _, cpu) in peaks.items()}
            t0, c0 = time.perf_counter(), cpu_seconds()
            values = compute(
                FW, parse_periods(PERIODS), Run(folder, backend=spark_backend(session))
            )
            took, driver = time.perf_counter() - t0, cpu_seconds() - c0
            time.sleep(1.0)  # a last reading of the executors
        finally:
            done.set()
            thread.join()
            session.stop()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Spark standalone cluster at {url} (2 workers × 1 core, 1 GB): {took:.1f} s wall,"
        f" {len(values):,} values; driver (this process) {driver:.1f} s CPU; load {load}"
    )
    for pid, (role, kb, cpu) in sorted(peaks.items(), key=lambda kv: (kv[1][0], kv[0])):
        used = cpu - base.get(pid, 0.0)
        print(f"  {role} pid {pid}: peak RSS {kb / 1024:,.0f} MB, {used:.1f} s CPU in the job")
    if args.check:
        duck = compute(FW, parse_periods(PERIODS), Run(folder))
        print(f"  same numbers as DuckDB: {values == duck}")


if __name__ == "__main__":
    main()
