"""Benchmark: one province at the scale of the two-level local government — a cycle of 150
units (Phú Thọ's 148 communes from the official list and 2 departments, loaded by the
administrator's one-step import) under a 100-leaf criteria tree, served by `chiso serve`
(granian) on PostgreSQL.

    .venv/bin/python benchmarks/bench_province.py [--seconds 10] [--users 20] [--workers 2]
        [--requests 200]

Measures, on this machine:

* the province import (148 communes, 2 departments, 20 people) and the central points import
  of 150 units × 10 leaves, in process — target under 2 s each;
* the CPU milliseconds per request of the cycle page (administrator) and the council's
  overview (the cycle page as the chair sees it), in this process through Django's test
  client: as kept (chiso.web.cycles.pages) and made afresh (the cycle's revisions moved on
  before each request, as after any change the page shows: what every request cost before
  pages were kept),
  in interleaved rounds, with their ratio — a figure that travels between machines;
* both pages in appraisal with 20 signed-in users on keep-alive connections, each with its
  own session — target p95 under 200 ms; printed with the ratio to the single-user median
  measured in the same run and the server's CPU per request (granian and Django, from
  /proc), once as kept and once made afresh (a thread moves the revisions on every 2 ms,
  so nearly every request renders the page again);
* after publication, the first (uncached) request of the ranking, the annex Excel and the
  report PDF of 150 units — target under 2 s each.

Needs PostgreSQL at 127.0.0.1:5432 (user postgres). Everything is simulated by this script.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

import bench_web
from bench_web import _client, fetch

bench_web.DB = "chiso_bench_province"
bench_web.PORT = 8797
DOMAINS, LEAVES = 10, 10


def framework_yaml() -> str:
    """100 leaves in 10 domains of 10 points; the last domain entered centrally."""
    lines = [
        "format: 1",
        "code: bench-commune-2025",
        "index: BENCH-XA",
        "subject: [commune, department]",
        "name_vi: Khung thử tải cấp xã (mô phỏng)",
        "name_en: Commune load-test framework (simulated)",
        "years: {from: 2025, to: null}",
        'legal_basis: "benchmark"',
        "scoring: {precision: 2, rank_by: index, total: {aggregation: sum, max: 100},",
        "          defaults: {children_add_up: true, source: appraised}}",
        "nodes:",
    ]
    for d in range(1, DOMAINS + 1):
        source = "    source: central\n" if d == DOMAINS else ""
        lines += [f'  - code: "{d}"', f"    name_vi: Lĩnh vực {d}", "    max: 10"]
        if source:
            lines.append(source.rstrip("\n"))
        lines.append("    children:")
        for k in range(1, LEAVES + 1):
            extra = ", source: central" if d == DOMAINS else ""
            lines.append(f'      - {{code: "{d}.{k}", name_vi: "Tiêu chí {d}.{k}", max: 1{extra}}}')
    return "\n".join(lines) + "\n"


def _timed(action: object) -> tuple[object, float]:
    start = time.perf_counter()
    result = action()  # type: ignore[operator]
    return result, time.perf_counter() - start


def setup(env: dict[str, str]) -> dict[str, object]:
    import os

    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from chiso.units.communes import find_province, official_communes
    from chiso.web.accounts.models import Role
    from chiso.web.cycles import province_units, workflow
    from chiso.web.cycles.central_import import import_points
    from chiso.web.cycles.models import Cycle, LeafScore, ScoreSheet, Unit

    call_command("migrate", verbosity=0, interactive=False)
    admin = User.objects.create_user("admin", password="bench-only-password")
    Role.objects.create(user=admin, kind=Role.ADMIN)
    chair = User.objects.create_user("chair")
    province = find_province("Phú Thọ")
    assert province is not None
    communes = official_communes(province)
    departments = "code,name,kind\nPT-S01,Sở Nội vụ,sở\nPT-S02,Sở Tư pháp,sở\n"
    people = "username,full name,email,unit code,role\n" + "".join(
        f"xa-{i},Cán bộ {i},xa{i}@example.vn,{c.code},officer\n"
        for i, c in enumerate(communes[:20], start=1)
    )
    load, load_seconds = _timed(
        lambda: province_units.load_province(
            admin,
            province.code,
            province_units.Upload(departments.encode(), "so.csv"),
            province_units.Upload(people.encode(), "nguoi.csv"),
        )
    )
    units = list(Unit.objects.order_by("code"))
    assert len(units) == 150, len(units)
    path = Path(tempfile.mkdtemp()) / "bench-commune-2025.yaml"
    path.write_text(framework_yaml(), encoding="utf-8")
    cycle = workflow.create_cycle(
        admin, "Thử tải cấp xã 2025 (mô phỏng)", 2025, str(path), units, simulated=True
    )
    Role.objects.create(user=chair, kind=Role.CHAIR, cycle=cycle)
    workflow.advance(admin, cycle, Cycle.SELF)
    rng = random.Random(25)
    leaves = list(LeafScore.objects.filter(sheet__cycle=cycle).exclude(code__startswith="10."))
    for leaf in leaves:
        leaf.self_points = round(rng.uniform(0.3, 1.0), 2)
        leaf.self_raw = str(leaf.self_points)
    LeafScore.objects.bulk_update(leaves, ["self_points", "self_raw"], batch_size=1000)
    cycle.sheets.update(state=ScoreSheet.SUBMITTED)
    workflow.advance(admin, cycle, Cycle.APPRAISAL)
    cycle.refresh_from_db()
    points = "unit,node,value\n" + "".join(
        f"{u.code},{DOMAINS}.{k},{rng.uniform(0.2, 1.0):.2f}\n"
        for u in units
        for k in range(1, LEAVES + 1)
    )
    imported, import_seconds = _timed(
        lambda: import_points(admin, cycle, points.encode(), "diem.csv")
    )

    def sessions(user: User) -> list[str]:
        keys = []
        for _ in range(32):
            session = SessionStore()
            session["_auth_user_id"] = str(user.pk)
            session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            session["_auth_user_hash"] = user.get_session_auth_hash()
            session.create()
            keys.append(session.session_key)
        return keys

    return {
        "cycle": cycle.pk,
        "load_seconds": load_seconds,
        "people": len(load.people),  # type: ignore[attr-defined]
        "import_seconds": import_seconds,
        "imported": imported,
        "admin": sessions(admin),
        "chair": sessions(chair),
    }


def publish(cycle_id: int) -> None:
    from django.contrib.auth.models import User

    from chiso.web.cycles import workflow
    from chiso.web.cycles.models import Cycle

    cycle = Cycle.objects.get(pk=cycle_id)
    admin, chair = User.objects.get(username="admin"), User.objects.get(username="chair")
    workflow.advance(admin, cycle, Cycle.EXPLANATION)
    workflow.advance(chair, cycle, Cycle.FINALISED)
    decision = workflow.Decision("1/QĐ-THỬ (mô phỏng)", datetime.date(2026, 1, 20), "benchmark")
    workflow.publish(chair, cycle, decision=decision)


def signed_in_run(
    path: str, cookies: list[str], users: int, seconds: float, server: int
) -> dict[str, float]:
    """``users`` keep-alive visitors, each with a session of its own, timing every answer to
    its last byte (waits included); with the CPU time the server (process ``server`` and its
    workers) spent per answer."""

    async def main() -> tuple[list[float], int]:
        times: list[float] = []
        deadline = time.perf_counter() + seconds
        errors = await asyncio.gather(
            *(_client([path], cookies[k], deadline, k, times) for k in range(users))
        )
        return times, sum(errors)

    cpu = bench_web.server_cpu_seconds(server)
    started = time.perf_counter()
    times, errors = asyncio.run(main())
    elapsed = time.perf_counter() - started
    cpu = bench_web.server_cpu_seconds(server) - cpu
    q = statistics.quantiles(times, n=100)
    return {
        "n": len(times),
        "p50": q[49],
        "p95": q[94],
        "errors": errors,
        "seconds": elapsed,
        "cpu": 1000 * cpu / len(times),
    }


class Afresh:
    """Moves the cycle's revisions on every ``every`` seconds, in a thread of its own, while
    in use (both, as a change the page shows does): the kept pages are then (nearly) always
    made again, as every page was before they were kept."""

    def __init__(self, cycle: int, every: float = 0.002) -> None:
        self.cycle, self.every = cycle, every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        import psycopg

        dsn = f"host=127.0.0.1 user=postgres dbname={bench_web.DB}"
        with psycopg.connect(dsn, autocommit=True) as c:
            while not self.stop.wait(self.every):
                c.execute(
                    "UPDATE cycles_cycle SET revision = revision + 1,"
                    " page_revision = page_revision + 1 WHERE id = %s",
                    (self.cycle,),
                )

    def __enter__(self) -> Afresh:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def cpu_per_request(cycle: int, pages: dict[str, tuple[str, list[str]]], n: int) -> None:
    """CPU milliseconds per request of each page in this process (Django's test client), as
    kept and made afresh, in interleaved rounds of ``n`` // 5 requests."""
    from django.db.models import F
    from django.test import Client

    from chiso.web.cycles.models import Cycle

    print(
        f"CPU per request in this process (Django test client, PostgreSQL, {n} requests each "
        f"in rounds; load average {os.getloadavg()[0]:.1f}):"
    )
    moved = Cycle.objects.filter(pk=cycle)
    for name, (path, cookies) in pages.items():
        client = Client()
        client.cookies["sessionid"] = cookies[0]
        assert client.get(path).status_code == 200
        spent = {"kept": 0.0, "afresh": 0.0}
        for _ in range(5):
            for kind in spent:
                for _ in range(n // 5):
                    if kind == "afresh":
                        moved.update(  # not timed: as a change the page shows
                            revision=F("revision") + 1, page_revision=F("page_revision") + 1
                        )
                    started = time.process_time()
                    assert client.get(path).status_code == 200
                    spent[kind] += time.process_time() - started
        kept, afresh = (1000 * spent[k] / (n // 5 * 5) for k in ("kept", "afresh"))
        print(
            f"  {name:<25} kept {kept:6.2f} ms   made afresh {afresh:6.2f} ms   "
            f"afresh/kept {afresh / kept:5.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=200, help="per page, in process")
    args = parser.parse_args()
    env = bench_web.bench_environment()
    made = setup(env)
    cycle = int(made["cycle"])  # type: ignore[call-overload]
    verdict = {True: "met", False: "NOT met"}
    print("one province: 150 units (148 communes of Phú Thọ + 2 departments) × 100 leaves")
    load_s, import_s = float(made["load_seconds"]), float(made["import_seconds"])  # type: ignore[arg-type]
    print(
        f"  province import (148 communes, 2 departments, {made['people']} people) "
        f"{load_s:6.2f} s  target < 2 s: {verdict[load_s < 2]}"
    )
    print(
        f"  central points import ({made['imported']} values, 150 units) "
        f"{import_s:6.2f} s  target < 2 s: {verdict[import_s < 2]}"
    )
    pages: dict[str, tuple[str, list[str]]] = {
        "cycle page (admin)": (f"/cycles/{cycle}/", made["admin"]),  # type: ignore[dict-item]
        "council overview (chair)": (f"/cycles/{cycle}/", made["chair"]),  # type: ignore[dict-item]
    }
    cpu_per_request(cycle, pages, args.requests)
    server = bench_web.start_server(env, args.workers)
    try:
        for _ in range(args.workers * 2):  # warm-up, once per worker process
            for path, cookies in pages.values():
                fetch(path, cookies[0])
        print(
            f"{args.users} signed-in users for {args.seconds:g} s per page, PostgreSQL, "
            f"chiso serve (granian, {args.workers} workers); load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        for name, (path, cookies) in pages.items():
            single = statistics.median(fetch(path, cookies[0]) for _ in range(15))
            for kind in ("kept", "afresh"):
                if kind == "kept":
                    r = signed_in_run(path, cookies, args.users, args.seconds, server.pid)
                else:
                    with Afresh(cycle):
                        r = signed_in_run(path, cookies, args.users, args.seconds, server.pid)
                print(
                    f"  {name:<25} {kind:<6} n={int(r['n']):5d}  p50 {r['p50']:6.1f}  p95 "
                    f"{r['p95']:6.1f} ms  errors {int(r['errors'])}  "
                    f"{r['n'] / r['seconds']:4.0f} req/s  server CPU {r['cpu']:5.2f} ms/request"
                    f"  single-user median {single:5.1f} ms  p95/single "
                    f"{r['p95'] / single:4.1f}x  target p95<200 ms: {verdict[r['p95'] < 200]}"
                )
        publish(cycle)
        print("published, first request of each (nothing cached yet):")
        for name, path in (
            ("ranking", f"/results/{cycle}/"),
            ("annex Excel", f"/results/{cycle}/annex.xlsx"),
            ("report PDF", f"/results/{cycle}/report.pdf"),
        ):
            first = fetch(path, "") / 1000
            again = fetch(path, "") / 1000
            print(
                f"  {name:<12} {first:6.2f} s (then {1000 * again:6.1f} ms cached, "
                f"{first / again:5.0f}x)  target < 2 s: {verdict[first < 2]}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
