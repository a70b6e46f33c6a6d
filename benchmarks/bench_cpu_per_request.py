"""CPU milliseconds per request, for each kind of page the soak test sends: a figure that
travels from one machine to another far better than a p95 under load (which depends on how
many cores the server has and what else runs on them).

    .venv/bin/python benchmarks/bench_cpu_per_request.py [--requests 200] [--officers 5]
        [--database chiso_bench]

The same data as benchmarks/bench_soak.py (a published cycle of 63 provinces and one in
self-assessment, PostgreSQL at 127.0.0.1:5432), and the published archive loaded. Each kind is
asked ``--requests`` times through Django's test client in this process, after one warm-up
request (the public pages' caches then hold what a visitor after the first one gets): the
figure is this process's CPU time (``time.process_time``: the application, the template
engine, the database driver; not PostgreSQL's own) divided by the number of requests, beside the
wall-clock time. The first (cold) request of each kind is printed too.

Then the pages the soak asks for while officers save: the sheet after a save of its own, and
the cycle's page (an officer's, the administrator's and the council's overview of every unit)
after a save by the officer's own unit and after one by another unit (the units taking turns),
each save made through the service and not timed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote

sys.path.insert(0, str(Path(__file__).parent))
import bench_web
from bench_soak import CSRF, setup
from bench_web import bench_environment


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--officers", type=int, default=5)
    parser.add_argument(
        "--database", default=bench_web.DB, help="made afresh: one per run beside others"
    )
    args = parser.parse_args()
    bench_web.DB = args.database
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
    # the server answers through the microcache in front of Django (chiso.web.wsgi): the
    # public kinds again, as an anonymous visitor's browser asks for them through it
    import io

    from django.core.handlers.wsgi import WSGIHandler

    from chiso.web.microcache import PublicPageCache

    served = PublicPageCache(WSGIHandler())
    statuses: set[str] = set()
    for kind, (cookie, address) in kinds.items():
        if cookie:
            continue
        path, _, query = address.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            # as a WSGI server passes it: decoded, its UTF-8 bytes read as Latin-1
            "PATH_INFO": unquote(path).encode("utf-8").decode("latin-1"),
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
        }
        statuses.clear()
        c0 = time.process_time()
        for _ in range(args.requests + 1):
            b"".join(
                served(
                    {**environ, "wsgi.input": io.BytesIO()},
                    lambda status, headers, exc=None: statuses.add(status),
                )
            )
        assert statuses == {"200 OK"}, (kind, statuses)
        cpu = (time.process_time() - c0) * 1000 / (args.requests + 1)
        print(f"  {kind + ', microcache':<38} CPU {cpu:7.2f} ms/request")
    # the soak's officers save a value through the API, then open their sheet: the sheet's
    # page is then made again (the save, and the sheet after it, are timed apart)
    import json

    from django.contrib.auth.models import User

    from chiso.web.cycles import scores
    from chiso.web.cycles.models import LeafScore

    client = Client()
    client.cookies["sessionid"] = str(person["cookie"])  # type: ignore[index]
    client.cookies["csrftoken"] = CSRF
    leaves = person["leaves"][:10]  # type: ignore[index]
    versions = {pk: client.get(f"/api/leaves/{pk}").json()["version"] for pk in leaves}
    saving = opening = 0.0
    for i in range(args.requests):
        pk = leaves[i % len(leaves)]
        body = json.dumps({"value": f"{(i // len(leaves)) % 2}", "version": versions[pk]})
        c0 = time.process_time()
        saved = client.post(
            f"/api/leaves/{pk}/self-score",
            body,
            content_type="application/json",
            headers={"X-CSRFToken": CSRF},
        )
        c1 = time.process_time()
        assert client.get(f"/sheets/{person['sheet']}/").status_code == 200  # type: ignore[index]
        opening += time.process_time() - c1
        saving += c1 - c0
        assert saved.status_code == 200, saved.content
        versions[pk] = saved.json()["version"]
    print(
        f"  {'signed-in: save (API)':<26} CPU {1000 * saving / args.requests:7.2f} ms/request  "
        "(a leaf's value changed each time)"
    )
    print(
        f"  {'signed-in: sheet, saved':<26} CPU {1000 * opening / args.requests:7.2f} ms/request  "
        "(the sheet opened after each save)"
    )
    # the soak's officers open the cycle's page after each save of theirs, while the others
    # save too: the page as an officer of the first unit gets it after a save of its own
    # unit, then after a save by another unit (each in turn), and the overview of every unit
    # (the administrator's, the council's) after a save by any unit
    from chiso.web.accounts.models import Role
    from chiso.web.cycles.models import Cycle

    others = [User.objects.get(username=f"can-bo-{k:02d}") for k in range(len(data["people"]))]  # type: ignore[arg-type]
    chair = User.objects.get(username="chair")
    Role.objects.create(user=chair, kind=Role.CHAIR, cycle=Cycle.objects.get(pk=working))
    admin_client, chair_client = Client(), Client()
    admin_client.force_login(User.objects.get(username="admin"))
    chair_client.force_login(chair)

    def cycle_page_after(reader: Client, savers: list[int]) -> float:
        """CPU ms per request of the cycle's page read by ``reader`` after a save by each
        officer of ``savers`` in turn (the saves are not timed)."""
        spent = 0.0
        for i in range(args.requests):
            k, n = savers[i % len(savers)], i // len(savers)  # officer k's n-th save
            leaf_id = data["people"][k]["leaves"][n % 3]  # type: ignore[index]
            saved = LeafScore.objects.get(pk=leaf_id)  # each save changes the value
            scores.save_self_score(others[k], saved, str(n % 2), saved.version)
            c0 = time.process_time()
            assert reader.get(f"/cycles/{working}/").status_code == 200
            spent += time.process_time() - c0
        return 1000 * spent / args.requests

    others_k = list(range(1, len(others))) or [0]
    everyone = list(range(len(others)))
    for label, reader, savers in (
        ("signed-in: cycle page, own unit saved", client, [0]),
        ("signed-in: cycle page, other unit saved", client, others_k),
        ("admin: overview, a unit saved", admin_client, everyone),
        ("chair: overview, a unit saved", chair_client, everyone),
    ):
        print(f"  {label:<40} CPU {cycle_page_after(reader, savers):7.2f} ms/request")
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
