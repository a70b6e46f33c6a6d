"""Benchmark: the public ranking page and a unit profile of a published 63-province cycle,
50 concurrent clients (wrk) on PostgreSQL, bounded in time. Target: p95 under 100 ms.

    .venv/bin/python benchmarks/bench_portal.py [--seconds 15] [--users 50] [--workers 2]
        [--no-microcache]

Visitors without a session send no cookie. With --no-microcache the 5-second page cache in
front of Django is off, so every request goes through Django (the pages themselves still come
from the application's cache, by snapshot): the figure for a server without that layer.
"""

from __future__ import annotations

import argparse
import statistics
from urllib.parse import quote

import bench_web
from bench_web import fetch, wrk_run


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
            r = wrk_run(paths, "", args.users, args.seconds)  # the public: no session
            print(
                f"  {name:<20} n={int(r['n']):6d}  p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f}"
                f" ms  p99 {r['p99']:6.1f} ms  errors {int(r['errors'])}  "
                f"{r['n'] / r['seconds']:.0f} req/s  single-user median {single[name]:5.1f} ms"
                f"  p95/single {r['p95'] / single[name]:4.1f}x  target p95<100 ms: "
                f"{'met' if r['p95'] < 100 else 'NOT met'}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
