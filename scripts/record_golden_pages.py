"""Render the demo's public pages and API answers into a folder, byte for byte.

    python scripts/record_golden_pages.py                 # (re)record tests/golden/pages
    python scripts/record_golden_pages.py --out FOLDER    # render elsewhere (the test does)

tests/web/test_pages_unchanged.py renders them again with the code under test and compares
the bytes with the recorded ones, so that a refactoring that should change nothing a reader or
a client sees can show that it did not. Re-record only for a change you mean and can name
(and say so in the commit).

Everything is rendered in a process of its own, in an empty data folder and a new database, so
that ids, caches and the clock start the same every time:

* the demo is built by ``chiso.web.demo.load_demo`` (its simulations have fixed seeds), plus
  one improvement plan so the plan answers of the API have something to show;
* the clock is fixed (``django.utils.timezone.now`` answers ``CLOCK``): every stored time and
  every "today" (windows open or closed, token expiry) is the same on every run;
* the one thing left random is the CSRF token in the few pages with a form; it is replaced by
  ``CSRF`` (only the value of ``csrfmiddlewaretoken``), see :func:`_normalised`.

The database is SQLite in the data folder, or, when DATABASE_URL names a PostgreSQL server, a
new database ``<name>_golden`` beside the named one (dropped and made afresh).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "pages"
CLOCK = datetime.datetime(2025, 10, 1, 2, 30, tzinfo=datetime.UTC)
"""The fixed "now" of every run: after the demo's last month (2025-09) of the service index."""

HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Content-Language")
"""The response headers kept beside the bodies (status and these); the security headers have
their own tests."""


def _environment(folder: Path) -> str | None:
    """Set the environment of a run in ``folder``; returns the PostgreSQL database made for
    it (to drop after), if any."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="chiso.web.settings",
        CHISO_DATA_DIR=str(folder),
        CHISO_SECRET_KEY="golden-pages-Vb3nM8qRt2LxZ7wK9cFh4JpS6dGy1AeUo5Ni0Xr8Tq",
        CHISO_INSECURE_COOKIES="1",  # the test client speaks plain http
    )
    for name in ("CHISO_DEMO", "CHISO_REDIS_URL"):
        os.environ.pop(name, None)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        golden = f"{name or 'postgres'}_golden"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{golden}"')
            conn.execute(f'CREATE DATABASE "{golden}"')
        os.environ["DATABASE_URL"] = f"{base}/{golden}"
        return f"{base}/postgres|{golden}"
    os.environ.pop("DATABASE_URL", None)
    return None


def _drop(made: str | None) -> None:
    """Drop the PostgreSQL database a run made (its connections closed first)."""
    if made is None:
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    server, _, name = made.partition("|")
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _fix_clock() -> None:
    """Every ``timezone.now()`` (auto_now_add fields, localdate, sessions, tokens) is CLOCK."""
    from django.utils import timezone

    timezone.now = lambda: CLOCK


def _build() -> dict[str, Any]:
    """The demo, one improvement plan, and a read token for two people; what the pages need."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from chiso.web.accounts import tokens
    from chiso.web.cycles.models import Cycle
    from chiso.web.demo import load_demo
    from chiso.web.plans import services as plans

    load_demo()
    published = Cycle.objects.filter(state=Cycle.PUBLISHED)
    admin = User.objects.get(username="admin")
    departments = published.get(name__startswith="Chỉ số CCHC các sở, ban, ngành 2023")
    plan = plans.create_plan(
        admin,
        departments,
        departments.units.order_by("code").first(),
        2025,
        [plans.TargetWanted("index", "90")],
    )
    return {
        "cycles": {
            "departments": departments,
            "districts": published.get(name__startswith="Chỉ số CCHC UBND cấp huyện 2023"),
            "par": published.filter(framework_code="par-province-2019").order_by("year").last(),
            "papi-63": published.get(name__startswith="PAPI 2024"),
            "papi-34": published.get(name__startswith="PAPI 2025"),
            "sipas": published.get(name__startswith="SIPAS 2022"),
        },
        "all_cycles": list(Cycle.objects.order_by("pk")),
        "plan": plan,
        "tokens": {
            who: tokens.create_token(User.objects.get(username=who), "golden", "read", 30)[1]
            for who in ("admin", "so-tu-phap")
        },
    }


def _q(text: str) -> str:
    return quote(text, safe="")


def public_pages(built: dict[str, Any]) -> dict[str, str]:
    """name: address of the public pages and downloads (rendered in Vietnamese and English)."""
    c = {k: v.pk for k, v in built["cycles"].items()}
    three = "&".join(f"u={_q(n)}" for n in ("Hà Nội", "Hải Phòng", "Đà Nẵng"))
    pages = {
        "home": "/",
        "archive": "/archive/",
        "archive-province-quang-ninh": f"/archive/provinces/{_q('Quảng Ninh')}/",
        "archive-province-ha-noi": f"/archive/provinces/{_q('Hà Nội')}/",
        "archive-province-unknown": f"/archive/provinces/{_q('Không có')}/",
        "services": "/services/",
        "services-month": "/services/2025-09/",
        "services-month-first": "/services/2025-07/",
        "services-unit": f"/services/2025-09/units/{_q('Quảng Ninh')}/",
        "compare-par": f"/results/{c['par']}/compare/?{three}",
        "heatmap-papi-34": f"/results/{c['papi-34']}/heatmap/",
        "rebased-papi-63": f"/results/{c['papi-63']}/rebased/",
        "rebased-papi-63.csv": f"/results/{c['papi-63']}/rebased.csv",
        "rebased-papi-63.json": f"/results/{c['papi-63']}/rebased.json",
        "intervals-sipas": f"/results/{c['sipas']}/intervals/",
        "intervals-none": f"/results/{c['papi-34']}/intervals/",
        "profile-department": f"/results/{c['departments']}/units/{_q('Sở Tư pháp')}/",
        "profile-merged-province": f"/results/{c['papi-34']}/units/{_q('Phú Thọ')}/",
        "profile-old-province": f"/results/{c['papi-63']}/units/{_q('Vĩnh Phúc')}/",
        "profile-with-interval": f"/results/{c['sipas']}/units/{_q('Thừa Thiên Huế')}/",
        "profile-unknown": f"/results/{c['departments']}/units/{_q('Không có')}/",
        "revisions-districts": f"/results/{c['districts']}/revisions/",
        "revision-1-districts.json": f"/results/{c['districts']}/revisions/1.json",
        "revision-2-districts.json": f"/results/{c['districts']}/revisions/2.json",
        "revisions-departments": f"/results/{c['departments']}/revisions/",
        "login": "/accounts/login/",
        "not-found": "/results/999999/",
        "heads-departments": f"/results/{c['departments']}/heads/",
    }
    for name, pk in c.items():
        pages[f"ranking-{name}"] = f"/results/{pk}/"
        for download in ("data.csv", "data.json", "dictionary.json"):
            pages[f"{name}-{download}"] = f"/results/{pk}/{download}"
    pages["archive-data.csv"] = "/archive/data.csv"
    pages["archive-dictionary.csv"] = "/archive/dictionary.csv"
    pages["archive-sources.csv"] = "/archive/sources.csv"
    return pages


def api_answers(built: dict[str, Any]) -> dict[str, tuple[str | None, str]]:
    """name: (whose token or None for the public, address) of the API's GET answers."""
    answers: dict[str, tuple[str | None, str]] = {
        "openapi.json": (None, "/api/openapi.json"),
        "cycles": (None, "/api/cycles?limit=500"),
        "cycles-admin": ("admin", "/api/cycles?limit=500"),
        "cycles-officer": ("so-tu-phap", "/api/cycles?limit=500"),
        "frameworks": (None, "/api/frameworks"),
        "framework-example": (None, "/api/frameworks/example-department-2024"),
        "framework-papi": (None, "/api/frameworks/papi-2021"),
        "framework-versions": ("admin", "/api/framework-versions"),
        "units": ("admin", "/api/units?limit=500"),
        "units-officer": ("so-tu-phap", "/api/units?limit=500"),
        "responsibilities": ("admin", "/api/responsibilities?limit=500"),
        "plans": ("admin", "/api/plans"),
        "plan": ("admin", f"/api/plans/{built['plan'].pk}"),
        "task": ("admin", f"/api/tasks/{built['plan'].tasks.order_by('pk').first().pk}"),
        "not-found": ("admin", "/api/cycles/999999"),
        "refused-without-token": (None, "/api/units"),
    }
    for cycle in built["all_cycles"]:
        pk = cycle.pk
        answers[f"cycle-{pk}"] = (None, f"/api/cycles/{pk}")  # 404 unless published
        answers[f"cycle-{pk}-admin"] = ("admin", f"/api/cycles/{pk}")
        answers[f"cycle-{pk}-sheets"] = ("admin", f"/api/cycles/{pk}/sheets?limit=500")
        answers[f"cycle-{pk}-audit"] = ("admin", f"/api/cycles/{pk}/audit?limit=500")
        if cycle.state == "published":
            for what in ("results", "publications", "revisions"):
                answers[f"cycle-{pk}-{what}"] = (None, f"/api/cycles/{pk}/{what}")
            answers[f"cycle-{pk}-publication-1"] = (None, f"/api/cycles/{pk}/publications/1")
            answers[f"cycle-{pk}-responsibility-report"] = (
                "admin",
                f"/api/cycles/{pk}/responsibility-report",
            )
    departments = built["cycles"]["departments"]
    sheet = departments.sheets.order_by("unit__code").first()
    answers["sheet"] = ("admin", f"/api/sheets/{sheet.pk}")
    answers["sheet-of-another-unit"] = ("so-tu-phap", f"/api/sheets/{sheet.pk}")  # 404
    own = departments.sheets.get(unit__name="Sở Tư pháp")
    answers["sheet-officer"] = ("so-tu-phap", f"/api/sheets/{own.pk}")
    from chiso.web.cycles.models import LeafScore

    leaf = LeafScore.objects.filter(sheet=sheet).order_by("code").first()
    for what in ("", "/messages", "/evidence"):
        answers[f"leaf{what.replace('/', '-')}"] = ("admin", f"/api/leaves/{leaf.pk}{what}")
    return answers


_CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _normalised(body: bytes) -> bytes:
    """The body with its one random part, the CSRF token of a form, replaced by ``CSRF``."""
    return _CSRF.sub(rb"\1CSRF\2", body)


def _response(response: Any) -> tuple[dict[str, Any], bytes]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    head = {"status": response.status_code}
    head.update({h: response[h] for h in HEADERS if response.has_header(h)})
    return head, _normalised(body)


def blob_name(sha256: str) -> str:
    """Where a body is kept: by its digest, so that the many identical ones (a download in
    both languages) are stored once."""
    return f"{sha256[:20]}.gz"


def render(out: Path) -> int:
    """Render everything into ``out`` (its old bodies removed): each distinct body gzipped
    once, and ``index.json`` with each answer's address, status, headers and body digest.
    Returns the count of answers."""
    from django.test import Client

    built = _build()
    requests: dict[str, tuple[str | None, str, str]] = {}  # name: (token, language, address)
    for name, address in public_pages(built).items():
        for lang in ("vi", "en"):
            requests[f"page/{lang}/{name}"] = (None, lang, address)
    for name, (who, address) in api_answers(built).items():
        requests[f"api/{name}"] = (who, "vi", address)
    requests["api/en/openapi.json"] = (None, "en", "/api/openapi.json")
    requests["api/en/cycle-results"] = (
        None,
        "en",
        f"/api/cycles/{built['cycles']['departments'].pk}/results",
    )
    clients = {lang: Client(headers={"accept-language": lang}) for lang in ("vi", "en")}
    for lang, client in clients.items():
        client.cookies["django_language"] = lang
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.gz"):
        old.unlink()
    index: dict[str, Any] = {}
    for name, (who, lang, address) in sorted(requests.items()):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {built['tokens'][who]}"} if who else {}
        head, body = _response(clients[lang].get(address, **extra))
        digest = hashlib.sha256(body).hexdigest()
        index[name] = {"address": address, "token": who, "language": lang, **head}
        index[name]["sha256"] = digest
        blob = out / blob_name(digest)
        if not blob.exists():
            blob.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    (out / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return len(index)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=GOLDEN, help="where to write (%(default)s)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="chiso-golden-") as folder:
        made = _environment(Path(folder))
        import django

        _fix_clock()
        django.setup()
        try:
            count = render(args.out.resolve())
        finally:
            _drop(made)
    print(f"{count} answers in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
