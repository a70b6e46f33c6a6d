"""Benchmark: the archive's public pages (its index and every province's page) and its
open-data downloads, 50 concurrent clients (wrk, then 50 visitors on asyncio keep-alive
connections) on PostgreSQL, bounded in time. Target as for the other public pages: p95 under
100 ms.

    .venv/bin/python benchmarks/bench_archive.py [--seconds 10] [--users 50] [--workers 2]
        [--no-microcache]

Uses a database of its own (chiso_bench_archive) and port 8811, so it can run beside the other
benchmarks. Every page is loaded once per worker first (the first visit of a page renders it;
every later one is served from the cache under the loaded archive's digest). Prints per page
p50/p95/p99, the throughput, the median of a single user measured in the same run, and the
ratio of p95 under load to it. The CSV is measured twice: sent whole (3.4 MB, to a client
that does not accept gzip) and compressed (about 0.3 MB, to one that does, as browsers do).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import time
from urllib.parse import quote

import bench_web
from bench_web import client_view_run, fetch, wrk_run

bench_web.DB = "chiso_bench_archive"
bench_web.PORT = 8811


async def _gzip_visitor(path: str, deadline: float, times: list[float]) -> int:
    """A visitor whose client accepts gzip (every browser and curl --compressed), on a
    keep-alive connection: a request, the whole answer, the next one."""
    errors = 0
    reader, writer = await asyncio.open_connection("127.0.0.1", bench_web.PORT)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n"
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        try:
            writer.write(request.encode())
            await writer.drain()
            status, keep = await asyncio.wait_for(bench_web._answer(reader), timeout=30)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            status, keep = 0, False
        times.append((time.perf_counter() - start) * 1000)
        errors += status != 200
        if not keep:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", bench_web.PORT)
    writer.close()
    return errors


def gzip_visitors_run(
    paths: list[str], _cookie: str, users: int, seconds: float
) -> dict[str, float]:
    """:func:`bench_web.client_view_run` with clients that accept gzip."""

    async def main() -> tuple[list[float], int]:
        times: list[float] = []
        deadline = time.perf_counter() + seconds
        errors = await asyncio.gather(
            *(_gzip_visitor(paths[0], deadline, times) for _ in range(users))
        )
        return times, sum(errors)

    started = time.perf_counter()
    times, errors = asyncio.run(main())
    q = statistics.quantiles(times, n=100)
    return {
        "n": float(len(times)),
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "errors": float(errors),
        "max": max(times),
        "seconds": time.perf_counter() - started,
    }


def setup(env: dict[str, str]) -> list[str]:
    """The shipped archive loaded (as ``chiso archive load`` does); returns the page names."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from chiso.archive import load_archive
    from chiso.archive.open_data import FORMATS
    from chiso.archive.province import province_names
    from chiso.web.archive import store

    call_command("migrate", verbosity=0, interactive=False)
    archive = load_archive()
    loaded = store.load(archive)
    for kind in FORMATS:
        store.open_data_file(loaded.sha256, archive, kind)
    return province_names()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-microcache", action="store_true")
    args = parser.parse_args()
    env = bench_web.bench_environment()
    if args.no_microcache:
        env["CHISO_MICROCACHE"] = "0"
    names = setup(env)
    server = bench_web.start_server(env, args.workers)
    pages = {
        "archive index": ["/archive/"],
        "province pages (97)": [f"/archive/provinces/{quote(n)}/" for n in names],
        "download data.csv (3.4 MB)": ["/archive/data.csv"],
        "download data.csv, gzip": ["/archive/data.csv"],
        "download data.parquet": ["/archive/data.parquet"],
    }
    try:
        for _ in range(args.workers * 2):  # warm-up: every page once per worker process
            for paths in pages.values():
                for path in paths:
                    fetch(path, "")
        single = {
            name: statistics.median(fetch(paths[0], "") for _ in range(30))
            for name, paths in pages.items()
        }
        print(
            f"{args.users} concurrent connections for {args.seconds:g} s per page, PostgreSQL, "
            f"chiso serve (granian, {args.workers} workers, microcache "
            f"{'off' if args.no_microcache else 'on'})"
        )
        loads = [("wrk", wrk_run)] if shutil.which("wrk") else []
        if not loads:
            print("  (wrk is not installed: the visitors' load only)")
        loads.append(("visitors", client_view_run))
        for name, paths in pages.items():
            runs = [("visitors", gzip_visitors_run)] if "gzip" in name else loads
            for load, run in runs:
                r = run(paths, "", args.users, args.seconds)
                rate = r["n"] / r["seconds"]
                print(
                    f"  {name:<25} {load:<8} n={int(r['n']):6d}  p50 {r['p50']:6.1f}  p95 "
                    f"{r['p95']:6.1f}  p99 {r['p99']:6.1f}  max {r['max']:5.0f} ms  errors "
                    f"{int(r['errors'])}  {rate:5.0f} req/s  single-user median "
                    f"{single[name]:5.1f} ms  p95/single {r['p95'] / single[name]:5.1f}x  "
                    f"target p95<100 ms: {'met' if r['p95'] < 100 else 'NOT met'}"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
