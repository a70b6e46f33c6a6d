"""Benchmark: a council of 3 appraising 30 units × 100 leaves in Chromium, served by
`chiso serve` (granian) on PostgreSQL (issue #21, "appraisal at speed").

    .venv/bin/python benchmarks/bench_appraisal.py [--leaves 100]

Each appraiser holds 10 units and works at once with the two others, in a browser of their
own. On one sheet they type every leaf in place (htmx swaps the row: one page load for the
sheet); on another the same with script switched off, as the page worked before (a page load
per leaf: the reference, measured in the same run); on the other eight they accept the unit's
own scores in one action. Prints page loads per sheet and seconds per leaf for each way, and
the ratio of the reference to the in-place way. Needs PostgreSQL at 127.0.0.1:5432 and Debian's
chromium. The data are simulated by this script.

Measured 2026-12-06 on the 2-core machine (three Chromiums, the server and PostgreSQL sharing
them): in place 1 page load per sheet, 0.52 s per leaf (median; typing two fields, the click
and the swap); a page per leaf 101 loads per sheet, 1.23 s per leaf (2.1x the time); accepting
a sheet 2 page loads, 0.04 s per leaf; the council's 3000 leaves in 227 s. The server's part of
an in-place save is about 60 ms (Django's test client, SQLite, profiled).
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
COUNCIL = 3
UNITS = 30
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def framework_yaml(leaves: int) -> str:
    """10 domains of ``leaves / 10`` leaves, each leaf worth one point of 100."""
    per = leaves // 10
    lines = [
        "format: 1",
        "code: bench-appraisal-2024",
        "index: BENCH",
        "subject: department",
        "name_vi: Khung thử thẩm định",
        "name_en: Appraisal benchmark framework",
        "years: {from: 2024, to: null}",
        'legal_basis: "benchmark"',
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


def setup(env: dict[str, str], leaves: int) -> tuple[list[list[int]], list[str]]:
    """A cycle in appraisal, 30 units scored by themselves; (sheets per appraiser, cookies)."""
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
    units = [
        Unit.objects.create(code=f"S{i:02d}", name=f"Sở {i:02d}", kind="department")
        for i in range(1, UNITS + 1)
    ]
    path = Path(tempfile.mkdtemp()) / "bench-appraisal-2024.yaml"
    path.write_text(framework_yaml(leaves), encoding="utf-8")
    cycle = workflow.create_cycle(admin, "Thử thẩm định", 2024, str(path), units, simulated=True)
    rng = random.Random(1)
    for leaf in LeafScore.objects.filter(sheet__cycle=cycle):
        value = rng.choice([0.5, 0.75, 1.0])
        LeafScore.objects.filter(pk=leaf.pk).update(self_raw=f"{value}", self_points=value)
    workflow.advance(admin, cycle, Cycle.SELF)
    cycle.sheets.update(state="submitted")
    workflow.advance(admin, cycle, Cycle.APPRAISAL)
    sheets: list[list[int]] = []
    cookies: list[str] = []
    for k in range(COUNCIL):
        person = User.objects.create_user(f"tham-dinh-{k + 1}")
        mine = units[k::COUNCIL]
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
    """One way of appraising: sheets done, leaves done, page loads and seconds."""

    sheets: int = 0
    leaves: int = 0
    loads: int = 0
    seconds: float = 0.0
    per_leaf: list[float] = field(default_factory=list)


class Counted:
    """Page loads seen by a page's ``load`` event."""

    def __init__(self) -> None:
        self.n = 0

    def add(self, _: object) -> None:
        self.n += 1


def appraiser(
    base: str, cookie: str, sheets: list[int], leaves: int, ways: dict[str, Way], lock: Any
) -> None:
    """One council member's work, in a Chromium of their own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        for name, script in (("in place (htmx)", True), ("a page per leaf (no script)", False)):
            context = browser.new_context(java_script_enabled=script, locale="vi-VN")
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
            page = context.new_page()
            counted = Counted()
            page.on("load", counted.add)
            sheet = sheets.pop()
            started = time.perf_counter()
            page.goto(f"{base}/sheets/{sheet}/")
            if page.locator("input[aria-label^='điểm thẩm định']").count() == 0:
                raise RuntimeError(f"{page.url}: no appraisal inputs (signed in? in appraisal?)")
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
            elapsed = time.perf_counter() - started
            context.close()
            with lock:
                way = ways[name]
                way.sheets += 1
                way.leaves += len(times)
                way.loads += counted.n
                way.seconds += elapsed
                way.per_leaf += times
        # the other sheets: the unit's own scores accepted in one action
        context = browser.new_context(locale="vi-VN")
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
        page = context.new_page()
        counted = Counted()
        page.on("load", counted.add)
        for sheet in sheets:
            started = time.perf_counter()
            page.goto(f"{base}/sheets/{sheet}/")
            with page.expect_navigation():
                page.click("#accept-sheet")
            elapsed = time.perf_counter() - started
            with lock:
                way = ways["accept the sheet"]
                way.sheets += 1
                way.leaves += leaves
                way.seconds += elapsed
                way.per_leaf.append(elapsed / leaves)
        with lock:
            ways["accept the sheet"].loads += counted.n
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaves", type=int, default=100, help="leaves per sheet (tens)")
    args = parser.parse_args()
    env = bench_environment()
    sheets, cookies = setup(env, args.leaves)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    server = start_server(env, 2)
    base = f"http://127.0.0.1:{PORT}"
    ways = {
        name: Way()
        for name in ("in place (htmx)", "a page per leaf (no script)", "accept the sheet")
    }
    lock = threading.Lock()
    try:
        started = time.perf_counter()
        threads = [
            threading.Thread(
                target=appraiser, args=(base, cookies[k], sheets[k], args.leaves, ways, lock)
            )
            for k in range(COUNCIL)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        total = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"a council of {COUNCIL} appraising {UNITS} units × {args.leaves} leaves at once in "
        f"Chromium, PostgreSQL, chiso serve (granian, 2 workers), {os.cpu_count()} cores"
    )
    for name, way in ways.items():
        print(
            f"  {name:<28} sheets {way.sheets:2d}  page loads per sheet "
            f"{way.loads / way.sheets:6.1f}  seconds per leaf median "
            f"{statistics.median(way.per_leaf):6.3f}  mean {way.seconds / way.leaves:6.3f}"
        )
    inplace = ways["in place (htmx)"]
    reference = ways["a page per leaf (no script)"]
    print(
        f"  page per leaf / in place: {reference.seconds / inplace.seconds:4.1f}x the time, "
        f"{reference.loads / inplace.loads:5.1f}x the page loads; the whole council's work "
        f"{total:.1f} s for {sum(w.leaves for w in ways.values())} leaves"
    )


if __name__ == "__main__":
    main()
