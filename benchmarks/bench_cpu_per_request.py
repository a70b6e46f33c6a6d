"""CPU milliseconds per request, for each kind of page the soak test sends: a figure that
travels from one machine to another far better than a p95 under load (which depends on how
many cores the server has and what else runs on them).

    .venv/bin/python benchmarks/bench_cpu_per_request.py [--requests 200] [--officers 5]

The same data as benchmarks/bench_soak.py (a published cycle of 63 provinces and one in
self-assessment, PostgreSQL at 127.0.0.1:5432), and the published archive loaded. Each kind is
asked ``--requests`` times through Django's test client in this process, after one warm-up
request (the public pages' caches then hold what a visitor after the first one gets): the
figure is this process's CPU time (``time.process_time``: the application, the template
engine, the database driver; not PostgreSQL's own) divided by the number of requests, beside the
wall-clock time. The first (cold) request of each kind is printed too.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))
from bench_soak import CSRF, setup
from bench_web import bench_environment


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--officers", type=int, default=5)
    args = parser.parse_args()
    env = bench_environment()
    data = setup(env, args.officers)
    os.environ.update(env)
    from django.core.cache import cache
    from django.test import Client

    from chiso.archive import load_archive
    from chiso.web.archive import store

    store.load(load_archive())
    cache.clear()
    person = data["people"][0]  # type: ignore[index]
    cycle, working = data["published"], data["working"]
    unit = quote(str(data["units"][0]))  # type: ignore[index]
    leaf = person["leaves"][0]  # type: ignore[index]
    compare = "p=" + "&p=".join(quote(n) for n in ("Quảng Ninh", "Hải Phòng", "Hà Nội"))
    kinds = {
        "public: ranking": ("", f"/results/{cycle}/"),
        "public: profile": ("", f"/results/{cycle}/units/{unit}/"),
        "public: data.csv": ("", f"/results/{cycle}/data.csv"),
        "public: API results": ("", f"/api/cycles/{cycle}/results"),
        "public: archive index": ("", "/archive/"),
        "public: archive province": ("", f"/archive/provinces/{quote('Quảng Ninh')}/"),
        "public: comparison": ("", f"/archive/compare/?{compare}"),
        "signed-in: sheet": (person["cookie"], f"/sheets/{person['sheet']}/"),  # type: ignore[index]
        "signed-in: leaf (API)": (person["cookie"], f"/api/leaves/{leaf}"),  # type: ignore[index]
        "signed-in: cycle page": (person["cookie"], f"/cycles/{working}/"),
    }
    print(
        f"CPU per request, {args.requests} requests per kind after one warm-up, Django test "
        f"client in one process, PostgreSQL; load average {os.getloadavg()[0]:.1f}"
    )
    for kind, (cookie, path) in kinds.items():
        client = Client()
        if cookie:
            client.cookies["sessionid"] = str(cookie)
            client.cookies["csrftoken"] = CSRF
        c0, w0 = time.process_time(), time.perf_counter()
        first = client.get(path)
        cold = (time.process_time() - c0) * 1000
        assert first.status_code == 200, (kind, first.status_code)
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(args.requests):
            answer = client.get(path)
            assert answer.status_code == 200, (kind, answer.status_code)
        cpu = (time.process_time() - c0) * 1000 / args.requests
        wall = (time.perf_counter() - w0) * 1000 / args.requests
        print(f"  {kind:<26} CPU {cpu:7.2f} ms/request  (wall {wall:7.2f}; first {cold:7.1f})")
    # the soak's officers open their sheet after each save of theirs: the sheet's page is then
    # made again (the save, through the service, is not timed)
    from django.contrib.auth.models import User

    from chiso.web.cycles import scores
    from chiso.web.cycles.models import LeafScore

    officer = User.objects.get(username="can-bo-00")
    client = Client()
    client.cookies["sessionid"] = str(person["cookie"])  # type: ignore[index]
    spent = 0.0
    for i in range(args.requests):
        saved = LeafScore.objects.get(pk=leaf)
        scores.save_self_score(officer, saved, str(i % 2), saved.version)
        c0 = time.process_time()
        assert client.get(f"/sheets/{person['sheet']}/").status_code == 200  # type: ignore[index]
        spent += time.process_time() - c0
    print(
        f"  {'signed-in: sheet, saved':<26} CPU {1000 * spent / args.requests:7.2f} ms/request  "
        "(a value of the sheet saved before each)"
    )
    # a visitor's first look at each unit's profile is made, not served from the cache: the
    # soak's visitors ask for all 63, in two languages, in each worker
    client = Client()
    units = [quote(str(u)) for u in data["units"]]  # type: ignore[attr-defined]
    c0 = time.process_time()
    for u in units:
        assert client.get(f"/results/{cycle}/units/{u}/").status_code == 200
    made = (time.process_time() - c0) * 1000 / len(units)
    print(
        f"  {'public: profile, first':<26} CPU {made:7.2f} ms/request  "
        f"(each of {len(units)} units once)"
    )


if __name__ == "__main__":
    main()
