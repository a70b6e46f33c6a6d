"""Benchmark: the score sheet of a 95-leaf framework and the published results of 63 units,
served by `chiso serve` (granian) on PostgreSQL to 20 concurrent users for a bounded time.

    .venv/bin/python benchmarks/bench_web.py [--seconds 15] [--users 20]

Needs PostgreSQL at 127.0.0.1:5432 (user postgres). Prints p50/p95/p99 per page, the
throughput, and the ratio of p95 under load to the median of a single user measured in the
same run. Target: p95 under 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

DB = os.environ.get("CHISO_BENCH_DB", "chiso_bench")
"""The benchmark's database (CHISO_BENCH_DB names another, so that runs side by side on
one PostgreSQL do not drop each other's)."""
PORT = 8799


def framework_yaml() -> str:
    """A PAR-INDEX-sized tree: 8 domains, 95 leaves, maxima adding up to 100."""
    lines = [
        "format: 1",
        "code: bench-province-2024",
        "index: BENCH",
        "subject: province",
        "name_vi: Khung thử tải",
        "name_en: Load-test framework",
        "years: {from: 2024, to: null}",
        'legal_basis: "benchmark"',
        "scoring: {precision: 2, rank_by: index, total: {aggregation: sum, max: 100},",
        "          defaults: {children_add_up: true, source: appraised}}",
        "nodes:",
    ]
    sizes = [12, 12, 12, 12, 12, 12, 12, 11]
    for d, n in enumerate(sizes, start=1):
        lines += [
            f'  - code: "{d}"',
            f"    name_vi: Lĩnh vực {d}",
            f'    max: "{n * 100}/95"',
            "    children:",
        ]
        for k in range(1, n + 1):
            lines.append(f'      - {{code: "{d}.{k}", name_vi: "Tiêu chí {d}.{k}", max: "100/95"}}')
    return "\n".join(lines) + "\n"


def setup(env: dict[str, str]) -> tuple[int, list[int], list[str]]:
    """A published 63-province cycle; returns (cycle id, sheet ids, session cookies)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from chiso.web.accounts.models import Role
    from chiso.web.cycles import workflow
    from chiso.web.cycles.models import Cycle, LeafScore, Unit

    call_command("flush", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)
    admin = User.objects.create_user("admin", password="bench-only-password")
    Role.objects.create(user=admin, kind=Role.ADMIN)
    chair = User.objects.create_user("chair")
    units = [
        Unit.objects.create(code=f"P{i:02d}", name=f"Tỉnh {i:02d}", kind="province")
        for i in range(1, 64)
    ]
    path = Path(tempfile.mkdtemp()) / "bench-province-2024.yaml"
    path.write_text(framework_yaml(), encoding="utf-8")
    cycle = workflow.create_cycle(admin, "Thử tải 2024", 2024, str(path), units, simulated=True)
    Role.objects.create(user=chair, kind=Role.CHAIR, cycle=cycle)
    rng = random.Random(1)
    for leaf in LeafScore.objects.filter(sheet__cycle=cycle):
        LeafScore.objects.filter(pk=leaf.pk).update(self_points=round(rng.uniform(0.5, 1.05), 2))
    for state in (Cycle.SELF, Cycle.APPRAISAL, Cycle.EXPLANATION):
        workflow.advance(admin, cycle, state)
    workflow.advance(chair, cycle, Cycle.FINALISED)
    decision = workflow.Decision("1/QĐ-THỬ", datetime.date(2025, 1, 20), "benchmark")
    workflow.publish(chair, cycle, decision=decision)
    cookies = []
    for _ in range(32):
        session = SessionStore()
        session["_auth_user_id"] = str(admin.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = admin.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    return cycle.pk, list(cycle.sheets.values_list("pk", flat=True)), cookies


def fetch(path: str, cookie: str) -> float:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status}")
    return (time.perf_counter() - start) * 1000


WRK_SCRIPT = """
local paths = {%s}
local i = 0
local headers = {%s}
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%.3f %%.3f %%.3f %%d %%.3f %%.3f\\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout,
    latency.mean / 1000, latency.max / 1000))
end
"""


def wrk_run(paths: list[str], cookie: str, users: int, seconds: float) -> dict[str, float]:
    """The load from wrk (C, so the two cores go to the server, not to the load)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        # the public sends no cookie at all (an empty session cookie would be answered with
        # a Set-Cookie that deletes it, which no cache may keep)
        headers = f'["Cookie"] = "sessionid={cookie}"' if cookie else ""
        fh.write(WRK_SCRIPT % (", ".join(f'"{p}"' for p in paths), headers))
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{users}",
            f"-d{int(seconds)}s",
            "-s",
            fh.name,
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    n, p50, p95, p99, errors, mean, worst = line.split()[1:]
    return {
        "n": float(n),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "errors": float(errors),
        "mean": float(mean),
        "max": float(worst),
        "seconds": seconds,
    }


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 answer; (status, whether the connection stays open)."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    if status < 200 or status in (204, 304):
        return status, True
    if "chunked" in headers.get("transfer-encoding", ""):
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16):
            await reader.readexactly(size + 2)
        while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, then the blank line
            pass
    elif "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    else:  # the body ends with the connection
        await reader.read()
        return status, False
    return status, headers.get("connection") != "close"


async def _client(
    paths: list[str], cookie: str, deadline: float, offset: int, times: list[float]
) -> int:
    """One visitor on a keep-alive connection: a request, the whole answer, the next one."""
    extra = f"Cookie: sessionid={cookie}\r\n" if cookie else ""
    errors, i = 0, offset
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    while time.perf_counter() < deadline:
        path = paths[i % len(paths)]
        i += 1
        start = time.perf_counter()
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode())
            await writer.drain()
            status, keep = await asyncio.wait_for(_answer(reader), timeout=30)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            status, keep = 0, False
        times.append((time.perf_counter() - start) * 1000)
        errors += status != 200
        if not keep:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.close()
    return errors


def client_view_run(paths: list[str], cookie: str, users: int, seconds: float) -> dict[str, float]:
    """The load as the visitors see it: ``users`` keep-alive connections (asyncio), each
    timing from its request to the last byte of the answer, waiting included. A check on wrk,
    whose clock leaves out the time a request waits to be sent while the machine is busy
    (coordinated omission): by Little's law the mean here is ``users`` / throughput."""

    async def main() -> tuple[list[float], int]:
        times: list[float] = []
        deadline = time.perf_counter() + seconds
        errors = await asyncio.gather(
            *(_client(paths, cookie, deadline, k * 7, times) for k in range(users))
        )
        return times, sum(errors)

    started = time.perf_counter()
    times, errors = asyncio.run(main())
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(times, n=100)
    return {
        "n": float(len(times)),
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "errors": float(errors),
        "mean": statistics.fmean(times),
        "max": max(times),
        "seconds": elapsed,
    }


def process_tree(root: int) -> list[int]:
    """``root`` and every process below it (a server's workers)."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[ppid].append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def server_cpu_seconds(root: int) -> float:
    """The CPU time (user and system) the server ``root`` and its workers have used so far:
    read before and after a load, divided by the requests served, it is the server's CPU per
    request (granian and Django; PostgreSQL's own processes are not counted)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def bench_environment() -> dict[str, str]:
    """A database of its own on the local PostgreSQL, made afresh for each run (one left by an
    older chiso may hold another migration history), and settings for the server."""
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {DB}")
    return {
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{DB}",
        "CHISO_SECRET_KEY": "benchmark-only-Tw6qL9zRk3NvC8mHp2JbX7fYs5DgA1eUo4Gi0",
        "CHISO_INSECURE_COOKIES": "1",
        "DJANGO_SETTINGS_MODULE": "chiso.web.settings",
        "CHISO_DATA_DIR": tempfile.mkdtemp(prefix="chiso-bench-"),
    }


def start_server(env: dict[str, str], workers: int) -> subprocess.Popen[bytes]:
    """`chiso serve` on PORT, waiting until it answers."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chiso.cli.app",
            "serve",
            "--port",
            str(PORT),
            "--threads",
            "4",
            "--workers",
            str(workers),
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            fetch("/", "")
            break
        except (OSError, RuntimeError):
            time.sleep(0.2)
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument(
        "--python-load", action="store_true", help="load from Python threads instead of wrk"
    )
    args = parser.parse_args()
    env = bench_environment()
    cycle, sheets, cookies = setup(env)
    server_kind = f"granian, {args.workers} workers"
    server = start_server(env, args.workers)
    try:
        pages = {
            "sheet (95 leaves)": lambda: f"/sheets/{random.choice(sheets)}/",
            "results (63 units)": lambda: f"/results/{cycle}/",
        }
        # warm-up: every page once per worker process, as after a few minutes of real use
        for _ in range(args.workers * 2):
            for sheet_id in sheets:
                fetch(f"/sheets/{sheet_id}/", cookies[0])
            fetch(f"/results/{cycle}/", cookies[0])
        single = {
            name: statistics.median(fetch(make(), cookies[0]) for _ in range(30))
            for name, make in pages.items()
        }
        if shutil.which("wrk") and not args.python_load:
            print(
                f"{args.users} concurrent connections (wrk) for {args.seconds:g} s per page, "
                f"PostgreSQL, chiso serve ({server_kind})"
            )
            for name, paths in (
                ("sheet (95 leaves)", [f"/sheets/{s}/" for s in sheets]),
                ("results (63 units)", [f"/results/{cycle}/"]),
            ):
                for load, run in (("wrk", wrk_run), ("visitors", client_view_run)):
                    r = run(paths, cookies[0], args.users, args.seconds)
                    rate = r["n"] / r["seconds"]
                    print(
                        f"  {name:<19} {load:<8} n={int(r['n']):6d}  p50 {r['p50']:6.1f}  p95 "
                        f"{r['p95']:6.1f}  p99 {r['p99']:6.1f}  max {r['max']:5.0f} ms  errors "
                        f"{int(r['errors'])}  {rate:4.0f} req/s  users/throughput "
                        f"{1000 * args.users / rate:6.1f} ms  single-user median "
                        f"{single[name]:5.1f} ms  p95/single {r['p95'] / single[name]:4.1f}x  "
                        f"target p95<150 ms: {'met' if r['p95'] < 150 else 'NOT met'}"
                    )
            return
        timings: dict[str, list[float]] = {name: [] for name in pages}
        deadline = time.monotonic() + args.seconds
        lock = threading.Lock()

        def user(k: int) -> None:
            while time.monotonic() < deadline:
                for name, make in pages.items():
                    ms = fetch(make(), cookies[k % len(cookies)])
                    with lock:
                        timings[name].append(ms)

        threads = [threading.Thread(target=user, args=(k,)) for k in range(args.users)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"{args.users} concurrent users for {elapsed:.1f} s, PostgreSQL, chiso serve "
        f"({server_kind})"
    )
    for name, values in timings.items():
        q = statistics.quantiles(values, n=100)
        p95 = q[94]
        print(
            f"  {name:<20} n={len(values):5d}  p50 {q[49]:6.1f} ms  p95 {p95:6.1f} ms  "
            f"p99 {q[98]:6.1f} ms  single-user median {single[name]:5.1f} ms  "
            f"p95/single {p95 / single[name]:4.1f}x  target p95<150 ms: "
            f"{'met' if p95 < 150 else 'NOT met'}"
        )
    total = sum(len(v) for v in timings.values())
    print(f"  throughput {total / elapsed:.0f} requests/s")


if __name__ == "__main__":
    main()
