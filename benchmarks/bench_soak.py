"""Soak test: 20 signed-in officers working through a cycle and 50 public visitors, at once,
for five minutes, against `chiso serve` (granian) on PostgreSQL.

    .venv/bin/python benchmarks/bench_soak.py [--seconds 300] [--officers 20] [--public 50]

Each officer, on a keep-alive connection, opens their sheet (95 leaves), saves a value through
the API with their session and CSRF token, reads the leaf back and opens the cycle's page; each
visitor reads the published ranking, a unit's profile, the open data, the API's results, a
province's page of the published archive and a comparison of two to four provinces. Printed:
p50/p95/p99 per kind of request and for each side, with the server's CPU milliseconds for each
kind under the load (its ``Server-Timing``, ``CHISO_SERVER_TIMING=1``: mean, p95 and share of
the whole), errors (any answer but 200, or none),
throughput, and the server's memory (resident set of all its processes) sampled every 10
seconds, first against last. Targets: p95 under 150 ms signed in and 100 ms public, no errors,
memory stable (the last sample within 20 % of the one half-way through the run).

Needs PostgreSQL at 127.0.0.1:5432 (user postgres); run by hand, not by the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_web import bench_environment, fetch, framework_yaml, process_tree, server_cpu_seconds

PORT = 8799  # bench_web's fetch() speaks to this port
ARCHIVE_PROVINCES = ["Quảng Ninh", "Hải Phòng", "Hà Nội", "Đà Nẵng", "Bắc Giang", "Lâm Đồng"]
"""Provinces whose archive pages and comparisons the visitors read (the published archive is
loaded by the setup)."""
CSRF = "soaksoaksoaksoaksoaksoaksoaksoak"  # a CSRF secret the load sends as cookie and header
TIMES: dict[str, list[float]] = defaultdict(list)
"""Each answer's time to its last byte (ms), by kind of request, in the order they came."""
CPU: dict[str, list[float]] = defaultdict(list)
"""The server's CPU milliseconds for each answer, by kind of request (its Server-Timing)."""


def setup(env: dict[str, str], officers: int) -> dict[str, object]:
    """A published cycle of 63 provinces (for the public) and one in self-assessment whose
    first ``officers`` units each have an officer with a session."""
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
    from chiso.archive import load_archive
    from chiso.web.archive import store

    store.load(load_archive())
    admin = User.objects.create_user("admin", password="bench-only-password")
    Role.objects.create(user=admin, kind=Role.ADMIN)
    chair = User.objects.create_user("chair")
    units = [
        Unit.objects.create(code=f"P{i:02d}", name=f"Tỉnh {i:02d}", kind="province")
        for i in range(1, 64)
    ]
    path = Path(tempfile.mkdtemp()) / "bench-province-2024.yaml"
    path.write_text(framework_yaml(), encoding="utf-8")
    published = workflow.create_cycle(admin, "Thử tải 2024", 2024, str(path), units, True)
    Role.objects.create(user=chair, kind=Role.CHAIR, cycle=published)
    rng = random.Random(1)
    for leaf in LeafScore.objects.filter(sheet__cycle=published):
        LeafScore.objects.filter(pk=leaf.pk).update(self_points=round(rng.uniform(0.5, 1.05), 2))
    for state in (Cycle.SELF, Cycle.APPRAISAL, Cycle.EXPLANATION):
        workflow.advance(admin, published, state)
    workflow.advance(chair, published, Cycle.FINALISED)
    decision = workflow.Decision("1/QĐ-THỬ", datetime.date(2025, 1, 20), "benchmark")
    workflow.publish(chair, published, decision=decision)
    working = workflow.create_cycle(admin, "Tự đánh giá 2025", 2025, str(path), units, True)
    workflow.advance(admin, working, Cycle.SELF)
    people = []
    for k in range(officers):
        unit = units[k]
        officer = User.objects.create_user(f"can-bo-{k:02d}")
        Role.objects.create(user=officer, kind=Role.OFFICER, unit=unit)
        session = SessionStore()
        session["_auth_user_id"] = str(officer.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = officer.get_session_auth_hash()
        session.create()
        sheet = working.sheets.get(unit=unit)
        leaves = list(sheet.leaves.values_list("pk", flat=True))
        people.append({"cookie": session.session_key, "sheet": sheet.pk, "leaves": leaves})
    return {
        "published": published.pk,
        "working": working.pk,
        "people": people,
        "units": [u.name for u in units],
    }


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool, float | None]:
    """Status, body, whether the connection stays open, and the server's CPU milliseconds
    (its ``Server-Timing: app;dur=``, which ``CHISO_SERVER_TIMING=1`` turns on)."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    cpu = None
    if (timing := headers.get("server-timing", "")).startswith("app;dur="):
        cpu = float(timing.removeprefix("app;dur="))
    body = b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        parts = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16):
            parts.append((await reader.readexactly(size + 2))[:-2])
        while await reader.readuntil(b"\r\n") != b"\r\n":
            pass
        body = b"".join(parts)
    elif "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    else:
        return status, await reader.read(), False, cpu
    return status, body, headers.get("connection", "").lower() != "close", cpu


class Visitor:
    """One keep-alive connection that times each request to the last byte of its answer."""

    def __init__(self, cookie: str, times: dict[str, list[float]], errors: dict[str, int]):
        self.cookie, self.times, self.errors = cookie, times, errors
        self.cpu = CPU
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, kind: str, method: str, path: str, body: bytes = b"") -> bytes:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", PORT)
        assert self.reader is not None
        extra = ""
        if self.cookie:
            extra += f"Cookie: sessionid={self.cookie}; csrftoken={CSRF}\r\n"
        if method == "POST":
            extra += (
                f"X-CSRFToken: {CSRF}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n"
            )
        start = time.perf_counter()
        try:
            self.writer.write(
                f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode() + body
            )
            await self.writer.drain()
            status, answer, keep, cpu = await asyncio.wait_for(_answer(self.reader), timeout=30)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            status, answer, keep, cpu = 0, b"", False, None
        if cpu is not None:
            self.cpu[kind].append(cpu)
        self.times[kind].append((time.perf_counter() - start) * 1000)
        if status != 200:
            self.errors[f"{kind} {status}"] += 1
        if not keep:
            self.writer.close()
            self.writer = None
        return answer


async def officer(person: dict[str, object], cycle: int, deadline: float, times, errors) -> None:  # type: ignore[no-untyped-def]
    visitor = Visitor(str(person["cookie"]), times, errors)
    leaves: list[int] = list(person["leaves"])  # type: ignore[call-overload]
    versions: dict[int, int] = {}
    rng = random.Random(str(person["cookie"]))
    while time.perf_counter() < deadline:
        await visitor.request("signed-in: sheet", "GET", f"/sheets/{person['sheet']}/")
        leaf = rng.choice(leaves)
        if leaf not in versions:
            read = await visitor.request("signed-in: leaf (API)", "GET", f"/api/leaves/{leaf}")
            versions[leaf] = json.loads(read or b'{"version": 0}').get("version", 0)
        value = f"{rng.uniform(0, 1.05):.2f}"
        body = json.dumps({"value": value, "version": versions[leaf]}).encode()
        saved = await visitor.request(
            "signed-in: save (API)", "POST", f"/api/leaves/{leaf}/self-score", body
        )
        try:
            versions[leaf] = json.loads(saved)["version"]
        except (ValueError, KeyError):
            versions.pop(leaf, None)
        await visitor.request("signed-in: cycle page", "GET", f"/cycles/{cycle}/")
        await asyncio.sleep(rng.uniform(0.2, 0.6))  # a person reads before the next click


async def public(k: int, data: dict[str, object], deadline: float, times, errors) -> None:  # type: ignore[no-untyped-def]
    visitor = Visitor("", times, errors)
    cycle = data["published"]
    units: list[str] = list(data["units"])  # type: ignore[call-overload]
    rng = random.Random(k)
    from urllib.parse import quote

    while time.perf_counter() < deadline:
        await visitor.request("public: ranking", "GET", f"/results/{cycle}/")
        unit = quote(rng.choice(units))
        await visitor.request("public: profile", "GET", f"/results/{cycle}/units/{unit}/")
        await visitor.request("public: data.csv", "GET", f"/results/{cycle}/data.csv")
        await visitor.request("public: API results", "GET", f"/api/cycles/{cycle}/results")
        province = quote(rng.choice(ARCHIVE_PROVINCES))
        await visitor.request("public: archive province", "GET", f"/archive/provinces/{province}/")
        chosen = rng.sample(ARCHIVE_PROVINCES, rng.randint(2, 4))
        query = "&".join(f"p={quote(n)}" for n in chosen)
        await visitor.request("public: comparison", "GET", f"/archive/compare/?{query}")
        await asyncio.sleep(rng.uniform(0.2, 0.6))


def postgres_cpu() -> float:
    """CPU seconds used so far by PostgreSQL: every postgres process's own time and the time
    of its children that have ended (a backend closed when its connection ages out is counted
    in the postmaster's), so the difference of two readings is what PostgreSQL used between
    them, whichever backends came and went."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, _, rest = (entry / "stat").read_text().partition(") ")
            if not name.endswith("(postgres"):
                continue
            fields = rest.split()
            total += sum(int(fields[k]) for k in (11, 12, 13, 14))  # utime stime cutime cstime
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


def machine_busy() -> tuple[float, float]:
    """The machine's CPU time so far as (busy, all), in clock ticks summed over its cores
    (/proc/stat): the share of the cores in use over an interval, whoever used them."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def rss_mb(root: int) -> float:
    total = 0
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


async def run(data: dict[str, object], args: argparse.Namespace, server: int) -> None:
    times = TIMES
    errors: dict[str, int] = defaultdict(int)
    memory: list[tuple[float, float]] = []
    started = time.perf_counter()
    deadline = started + args.seconds

    async def sample() -> None:
        while time.perf_counter() < deadline:
            memory.append((time.perf_counter() - started, rss_mb(server)))
            await asyncio.sleep(10)

    people: list[dict[str, object]] = list(data["people"])  # type: ignore[call-overload]
    cpu_before = server_cpu_seconds(server)
    postgres_before, machine_before = postgres_cpu(), machine_busy()
    own_before = time.process_time()
    await asyncio.gather(
        sample(),
        *(officer(p, int(str(data["working"])), deadline, times, errors) for p in people),
        *(public(k, data, deadline, times, errors) for k in range(args.public)),
    )
    elapsed = time.perf_counter() - started
    print(
        f"{len(people)} signed-in officers and {args.public} public visitors for "
        f"{elapsed:.0f} s, PostgreSQL, chiso serve (granian, {args.workers} workers)"
    )
    every_cpu = sum(sum(v) for v in CPU.values())
    for side, target in (("signed-in", 150.0), ("public", 100.0)):
        every = [t for kind, v in times.items() if kind.startswith(side) for t in v]
        q = statistics.quantiles(every, n=100)
        print(
            f"  {side:<10} n={len(every):6d}  p50 {q[49]:6.1f}  p95 {q[94]:6.1f}  p99 "
            f"{q[98]:6.1f} ms  target p95<{target:g} ms: {'met' if q[94] < target else 'NOT met'}"
        )
        for kind in sorted(k for k in times if k.startswith(side)):
            qk = statistics.quantiles(times[kind], n=100)
            cpu = CPU.get(kind) or [0.0]
            print(
                f"    {kind:<26} n={len(times[kind]):6d}  p50 {qk[49]:6.1f}  p95 {qk[94]:6.1f}"
                f"  p99 {qk[98]:6.1f}  max {max(times[kind]):6.0f} ms; server CPU mean "
                f"{statistics.fmean(cpu):5.2f}, p95 {sorted(cpu)[int(0.95 * (len(cpu) - 1))]:5.1f}"
                f" ms, share {sum(cpu) / max(every_cpu, 1e-9):4.0%}"
            )
    total = sum(len(v) for v in times.values())
    server_seconds = server_cpu_seconds(server) - cpu_before
    cpu = 1000 * server_seconds / max(total, 1)
    postgres_after = postgres_cpu()
    postgres_seconds = postgres_after - postgres_before
    own_seconds = time.process_time() - own_before
    busy, every_tick = (a - b for a, b in zip(machine_busy(), machine_before, strict=True))
    cores = os.cpu_count() or 1
    print(f"  throughput {total / elapsed:.0f} requests/s; errors: {dict(errors) or 'none'}")
    print(
        f"  server CPU {cpu:.2f} ms per request (every kind; granian and Django, not "
        f"PostgreSQL); load average {os.getloadavg()[0]:.1f} at the end"
    )
    print(
        f"  cores in use (of {cores}): server {server_seconds / elapsed:.2f}, PostgreSQL "
        f"{postgres_seconds / elapsed:.2f}, this load generator {own_seconds / elapsed:.2f}; "
        f"the machine was {100 * busy / max(every_tick, 1):.0f} % busy "
        "(near 100 % the p95 is time queued for a core, not the cost of a page)"
    )
    if len(memory) >= 3:
        # the pages kept in each process's cache fill it up to its bound (MAX_ENTRIES) in the
        # first minute or so: growth is a leak only if it goes on in the run's second half
        base, last = memory[len(memory) // 2][1], memory[-1][1]
        print(
            "  server memory (MB): "
            + ", ".join(f"{t:.0f}s {mb:.0f}" for t, mb in memory)
            + f"; last/half-way {last / base:.2f}x "
            + ("stable" if last <= base * 1.2 else "GROWING")
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--public", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--timings", type=Path, help="write every answer's time and server CPU here (JSON)"
    )
    args = parser.parse_args()
    env = bench_environment()
    data = setup(env, args.officers)
    server = subprocess.Popen(
        [sys.executable, "-m", "chiso.cli.app", "serve", "--port", str(PORT), "--threads", "4",
         "--workers", str(args.workers)],
        env={**os.environ, **env, "CHISO_SERVER_TIMING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(150):
            try:
                fetch("/", "")
                break
            except (OSError, RuntimeError):
                time.sleep(0.2)
        asyncio.run(run(data, args, server.pid))
        if args.timings:
            args.timings.write_text(json.dumps({"times": TIMES, "server_cpu": CPU}))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
