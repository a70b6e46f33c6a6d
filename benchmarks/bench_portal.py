"""Benchmark: the public ranking page and a unit profile of a published 63-province cycle,
50 concurrent clients (wrk) on PostgreSQL, bounded in time. Target: p95 under 100 ms.

    .venv/bin/python benchmarks/bench_portal.py [--seconds 15] [--users 50] [--workers 2]
        [--no-microcache]

Visitors without a session send no cookie. Each page is loaded twice: by wrk, and by 50
visitors on asyncio keep-alive connections whose clocks include every wait (wrk's leave out the
time a request waits to be sent while the two cores are busy; "users/throughput" is the mean
response time by Little's law, a check on both). With --no-microcache the 5-second page cache in
front of Django is off, so every request goes through Django (the pages themselves still come
from the application's cache, by snapshot): the figure for a server without that layer.
"""

from __future__ import annotations

import argparse
import statistics
from urllib.parse import quote

import bench_web
from bench_web import client_view_run, fetch, wrk_run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-microcache", action="store_true")
    args = parser.parse_args()
    env = bench_web.bench_environment()
    if args.no_microcache:
        env["CHISO_MICROCACHE"] = "0"
    cycle, _sheets, _cookies = bench_web.setup(env)
    server = bench_web.start_server(env, args.workers)
    pages = {
        "ranking (63 units)": [f"/results/{cycle}/"],
        "unit profile": [f"/results/{cycle}/units/{quote(f'Tỉnh {i:02d}')}/" for i in range(1, 64)],
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
            f"{args.users} concurrent connections (wrk) for {args.seconds:g} s per page, "
            f"PostgreSQL, chiso serve (granian, {args.workers} workers, microcache "
            f"{'off' if args.no_microcache else 'on'})"
        )
        for name, paths in pages.items():
            # the public sends no session; wrk (C) and visitors on asyncio, one after the other
            for load, run in (("wrk", wrk_run), ("visitors", client_view_run)):
                r = run(paths, "", args.users, args.seconds)
                rate = r["n"] / r["seconds"]
                print(
                    f"  {name:<19} {load:<8} n={int(r['n']):6d}  p50 {r['p50']:6.1f}  p95 "
                    f"{r['p95']:6.1f}  p99 {r['p99']:6.1f}  mean {r['mean']:6.1f}  max "
                    f"{r['max']:5.0f} ms  errors {int(r['errors'])}  {rate:5.0f} req/s  "
                    f"users/throughput {1000 * args.users / rate:6.1f} ms  single-user median "
                    f"{single[name]:4.1f} ms  p95/single {r['p95'] / single[name]:5.1f}x  "
                    f"target p95<100 ms: {'met' if r['p95'] < 100 else 'NOT met'}"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
