"""Benchmark: a council of 3 appraising 30 units × 100 leaves in Chromium, served by
`chiso serve` (granian) on PostgreSQL (issue #21, "appraisal at speed").

    .venv/bin/python benchmarks/bench_appraisal.py                 # 3 × 30 units × 100 leaves
    .venv/bin/python benchmarks/bench_appraisal.py --quick         # 3 × 12 units × 20 leaves
    .venv/bin/python benchmarks/bench_appraisal.py --units 12 --leaves 50 --council 3

The council works in four rounds, its members at once in a browser each, on sheets of their
own: (1) every leaf typed in place (two fields and the button; htmx swaps the row: one page
load for the sheet); (2) the same with script switched off, as the page worked before htmx (a
page load per leaf: the reference, measured in the same run); (3) the unit's own scores
accepted domain by domain (a page load per domain); (4) on the remaining sheets the unit's
own scores accepted for the whole sheet in one action. Prints, per way, page loads per sheet,
seconds per leaf (the wall clock in the browser: median and mean) and the server's CPU
seconds per leaf (`chiso serve`'s processes, read from /proc between rounds: the figure that
holds on a machine others are using), and the ratios of the reference to the in-place way.

Needs PostgreSQL at 127.0.0.1:5432 and Debian's chromium. The framework (10 domains of
``leaves / 10`` leaves of one point each), the units and their self-assessed points are
simulated by this script and marked so (the framework's name, the cycle's simulated flag).

Measured 2026-12-06 on the 2-core machine, shared with four other developers' test runs (load
average 10 to 17 throughout; three Chromiums, the server and PostgreSQL on the same 2 cores),
30 units × 100 leaves, 3000 leaves in 302 s:

  way                          loads/sheet  s/leaf median  s/leaf mean  server CPU s/leaf
  in place (htmx)                      1.0          0.505        0.556             0.024
  a page per leaf (no script)        101.0          1.546        1.602             0.061
  accept domain by domain             11.0          0.200        0.232             0.011
  accept the whole sheet               2.0          0.040        0.051             0.005

In place against a page per leaf: 2.9x less time, 101x fewer page loads, 2.5x less of the
server's CPU (the CPU figures, read from /proc, are the ones the load does not move much).
An earlier run on a quieter machine (the council's ways mixed, not in rounds): in place 0.52 s
per leaf, a page per leaf 1.23 s, a whole sheet accepted 0.04 s per leaf.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import bench_environment, start_server

PORT = 8799  # bench_web's: start_server waits for it
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IN_PLACE = "in place (htmx)"
PAGE_PER_LEAF = "a page per leaf (no script)"
BY_DOMAIN = "accept domain by domain"
WHOLE_SHEET = "accept the whole sheet"
WAYS = (IN_PLACE, PAGE_PER_LEAF, BY_DOMAIN, WHOLE_SHEET)


def framework_yaml(leaves: int) -> str:
    """10 domains of ``leaves / 10`` leaves, each leaf worth one point (simulated)."""
    per = leaves // 10
    lines = [
        "format: 1",
        "code: bench-appraisal-2024",
        "index: BENCH",
        "subject: department",
        "name_vi: Khung thử thẩm định (mô phỏng)",
        "name_en: Appraisal benchmark framework (simulated)",
        "years: {from: 2024, to: null}",
        'legal_basis: "mô phỏng: tạo bởi benchmarks/bench_appraisal.py"',
        f"scoring: {{precision: 2, rank_by: index, total: {{aggregation: sum, max: {per * 10}}},",
        "          defaults: {children_add_up: true, source: appraised}}",
        "nodes:",
    ]
    for d in range(1, 11):
        lines += [f'  - code: "{d}"', f"    name_vi: Lĩnh vực {d}", f"    max: {per}"]
        lines.append("    children:")
        for k in range(1, per + 1):
            lines.append(f'      - {{code: "{d}.{k}", name_vi: "Tiêu chí {d}.{k}", max: 1}}')
    return "\n".join(lines) + "\n"


def setup(
    env: dict[str, str], units: int, leaves: int, council: int
) -> tuple[list[list[int]], list[str]]:
    """A cycle in appraisal, ``units`` units scored by themselves (simulated); (sheets per
    appraiser, their session cookies)."""
    import tempfile

    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from chiso.web.accounts.models import Role
    from chiso.web.cycles import workflow
    from chiso.web.cycles.models import Cycle, LeafScore, Unit

    call_command("migrate", verbosity=0, interactive=False)
    admin = User.objects.create_user("admin", password="bench-only-password")
    Role.objects.create(user=admin, kind=Role.ADMIN)
    made = [
        Unit.objects.create(code=f"S{i:02d}", name=f"Sở {i:02d} (mô phỏng)", kind="department")
        for i in range(1, units + 1)
    ]
    path = Path(tempfile.mkdtemp()) / "bench-appraisal-2024.yaml"
    path.write_text(framework_yaml(leaves), encoding="utf-8")
    cycle = workflow.create_cycle(admin, "Thử thẩm định", 2024, str(path), made, simulated=True)
    rng = random.Random(1)
    for leaf in LeafScore.objects.filter(sheet__cycle=cycle):
        value = rng.choice([0.5, 0.75, 1.0])
        LeafScore.objects.filter(pk=leaf.pk).update(self_raw=f"{value}", self_points=value)
    workflow.advance(admin, cycle, Cycle.SELF)
    cycle.sheets.update(state="submitted")
    workflow.advance(admin, cycle, Cycle.APPRAISAL)
    sheets: list[list[int]] = []
    cookies: list[str] = []
    for k in range(council):
        person = User.objects.create_user(f"tham-dinh-{k + 1}")
        mine = made[k::council]
        for unit in mine:
            Role.objects.create(user=person, kind=Role.APPRAISER, unit=unit, cycle=cycle)
        sheets.append([cycle.sheets.get(unit=u).pk for u in mine])
        session = SessionStore()
        session["_auth_user_id"] = str(person.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = person.get_session_auth_hash()
        session.create()
        cookies.append(str(session.session_key))
    return sheets, cookies


@dataclass
class Way:
    """One way of appraising: sheets done, leaves done, page loads, wall and server seconds."""

    sheets: int = 0
    leaves: int = 0
    loads: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0
    per_leaf: list[float] = field(default_factory=list)


class Counted:
    """Page loads seen by a page's ``load`` event."""

    def __init__(self) -> None:
        self.n = 0

    def add(self, _: object) -> None:
        self.n += 1


def server_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` and its descendants so far (/proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending += [int(c) for c in children]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def _in_place(page: Any, leaves: int, script: bool) -> list[float]:
    """Every leaf of the open sheet appraised (0,5 with a reason): seconds per leaf."""
    times = []
    for d in range(1, 11):
        for k in range(1, leaves // 10 + 1):
            code = f"{d}.{k}"
            t = time.perf_counter()
            row = page.locator(f"tr:has(input[aria-label='điểm thẩm định {code}'])")
            row.locator(f"input[aria-label='điểm thẩm định {code}']").fill("0,5")
            row.locator(f"input[aria-label='lý do {code}']").fill("thiếu tài liệu")
            if script:
                row.locator("button:has-text('Thẩm định')").click()
                page.locator(f"tr:has-text('Đã lưu tiêu chí {code}')").wait_for()
            else:
                with page.expect_navigation():
                    row.locator("button:has-text('Thẩm định')").click()
            times.append(time.perf_counter() - t)
    return times


def _by_domain(page: Any, leaves: int) -> list[float]:
    """The unit's own scores accepted for each of the ten domains: seconds per leaf."""
    times = []
    for d in range(1, 11):
        t = time.perf_counter()
        with page.expect_navigation():
            page.click(f"#node-{d} button")
        times += [(time.perf_counter() - t) / (leaves // 10)] * (leaves // 10)
    return times


def _whole(page: Any, leaves: int) -> list[float]:
    t = time.perf_counter()
    with page.expect_navigation():
        page.click("#accept-sheet")
    return [(time.perf_counter() - t) / leaves] * leaves


def appraise(
    way: str, base: str, cookie: str, sheets: list[int], leaves: int, out: Way, lock: Any
) -> None:
    """One council member's round: ``sheets`` appraised the ``way``, in a Chromium of their
    own (script off for the reference way)."""
    from playwright.sync_api import sync_playwright

    if not sheets:
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context(java_script_enabled=way != PAGE_PER_LEAF, locale="vi-VN")
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
        page = context.new_page()
        counted = Counted()
        page.on("load", counted.add)
        for sheet in sheets:
            started = time.perf_counter()
            page.goto(f"{base}/sheets/{sheet}/")
            if page.locator("#accept-sheet").count() == 0:
                raise RuntimeError(f"{page.url}: not the appraiser's sheet (signed in?)")
            if way in (IN_PLACE, PAGE_PER_LEAF):
                times = _in_place(page, leaves, way == IN_PLACE)
            elif way == BY_DOMAIN:
                times = _by_domain(page, leaves)
            else:
                times = _whole(page, leaves)
            elapsed = time.perf_counter() - started
            with lock:
                out.sheets += 1
                out.leaves += len(times)
                out.seconds += elapsed
                out.per_leaf += times
        browser.close()
        with lock:
            out.loads += counted.n


def rounds(sheets: list[list[int]]) -> dict[str, list[list[int]]]:
    """Each way's sheets per member: the first three sheets of each go one to each of the
    first three ways, the rest are accepted whole."""
    return {
        IN_PLACE: [mine[0:1] for mine in sheets],
        PAGE_PER_LEAF: [mine[1:2] for mine in sheets],
        BY_DOMAIN: [mine[2:3] for mine in sheets],
        WHOLE_SHEET: [mine[3:] for mine in sheets],
    }


def run_round(
    way: str, base: str, cookies: list[str], work: list[list[int]], leaves: int, out: Way
) -> None:
    lock = threading.Lock()
    threads = [
        threading.Thread(target=appraise, args=(way, base, cookie, mine, leaves, out, lock))
        for cookie, mine in zip(cookies, work, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaves", type=int, default=100, help="leaves per sheet (tens)")
    parser.add_argument("--units", type=int, default=30, help="units in the cycle")
    parser.add_argument("--council", type=int, default=3, help="appraisers working at once")
    parser.add_argument("--quick", action="store_true", help="12 units × 20 leaves")
    args = parser.parse_args()
    if args.quick:
        args.units, args.leaves = 12, 20
    if args.leaves < 10 or args.leaves % 10 or args.units < args.council:
        parser.error("--leaves: a multiple of 10; --units: at least one per appraiser")
    env = bench_environment()
    sheets, cookies = setup(env, args.units, args.leaves, args.council)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    server = start_server(env, 2)
    base = f"http://127.0.0.1:{PORT}"
    ways = {name: Way() for name in WAYS}
    started = time.perf_counter()
    try:
        for way, work in rounds(sheets).items():
            before = server_cpu_seconds(server.pid)
            run_round(way, base, cookies, work, args.leaves, ways[way])
            ways[way].server_cpu = server_cpu_seconds(server.pid) - before
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = time.perf_counter() - started
    print(
        f"a council of {args.council} appraising {args.units} units × {args.leaves} leaves "
        f"(simulated) in Chromium, PostgreSQL, chiso serve (granian, 2 workers), "
        f"{os.cpu_count()} cores; each way's sheets by the whole council at once"
    )
    done = {name: way for name, way in ways.items() if way.sheets}
    for name, way in done.items():
        print(
            f"  {name:<28} sheets {way.sheets:2d}  page loads per sheet "
            f"{way.loads / way.sheets:6.1f}  seconds per leaf median "
            f"{statistics.median(way.per_leaf):6.3f}  mean {way.seconds / way.leaves:6.3f}  "
            f"server CPU s per leaf {way.server_cpu / way.leaves:6.4f}"
        )
    if IN_PLACE in done and PAGE_PER_LEAF in done:

        def ratio(attr: str) -> str:
            return f"{getattr(done[PAGE_PER_LEAF], attr) / getattr(done[IN_PLACE], attr):4.1f}x"

        print(
            f"  a page per leaf / in place: {ratio('seconds')} the time, {ratio('loads')} the "
            f"page loads, {ratio('server_cpu')} the server's CPU"
        )
    print(
        f"  the whole council's work: {total:.1f} s for "
        f"{sum(w.leaves for w in done.values())} leaves"
    )


if __name__ == "__main__":
    main()
