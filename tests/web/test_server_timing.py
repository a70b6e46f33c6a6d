"""``CHISO_SERVER_TIMING=1`` puts the server's CPU time for each answer in a ``Server-Timing``
header (the load test reads it to say which pages cost the most under load); off, the default,
no answer carries it, since it tells every visitor how long a page took the server."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from web.conftest import World

TIMED = ["chiso.web.server_timing.ServerTiming", *settings.MIDDLEWARE]


def test_answers_carry_no_server_timing_by_default(world: World) -> None:
    assert "Server-Timing" not in Client().get("/")


@override_settings(MIDDLEWARE=TIMED)
def test_server_timing_gives_the_cpu_milliseconds_of_a_signed_in_page(world: World) -> None:
    client = Client()
    client.force_login(world.officer_a)
    response = client.get(reverse("cycles:sheet", args=[world.sheet_a.pk]))
    assert response.status_code == 200
    timing = re.fullmatch(r"app;dur=(\d+\.\d\d)", response["Server-Timing"])
    assert timing, response["Server-Timing"]
    # a sheet is made by templates and queries: it costs the thread some CPU, and not seconds
    assert 0.0 < float(timing.group(1)) < 5000.0


def test_the_setting_puts_the_timing_outermost() -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'chiso.web.settings'; "
        "from django.conf import settings; print(settings.MIDDLEWARE[0])"
    )
    env = {**os.environ, "CHISO_SERVER_TIMING": "1", "CHISO_DEMO": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    first = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert first == "chiso.web.server_timing.ServerTiming"


@override_settings(MIDDLEWARE=TIMED)
def test_an_answer_from_the_microcache_carries_its_own_cpu_not_the_kept_answers() -> None:
    """The cache in front of Django once kept the header with the page: for five seconds every
    visitor read the CPU of the answer that was kept, as if the page were made again each
    time."""
    from chiso.web.microcache import PublicPageCache

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        start_response(
            "200 OK", [("Content-Type", "text/csv"), ("Server-Timing", "app;dur=999.00")]
        )
        return [b"unit,index\n"]

    cached = PublicPageCache(app)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/results/1/data.csv", "QUERY_STRING": ""}
    answers: list[list[tuple[str, str]]] = []
    for _ in range(2):
        body = b"".join(cached(dict(environ), lambda s, headers, e=None: answers.append(headers)))
        assert body == b"unit,index\n"
    made, served = answers
    assert ("Server-Timing", "app;dur=999.00") in made
    timings = [v for n, v in served if n == "Server-Timing"]
    assert len(timings) == 1 and timings[0] != "app;dur=999.00"
    assert 0.0 <= float(timings[0].removeprefix("app;dur=")) < 999.0
    assert ("Content-Type", "text/csv") in served


def test_the_microcache_adds_no_timing_when_answers_are_not_timed() -> None:
    from chiso.web.microcache import PublicPageCache

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"page"]

    cached = PublicPageCache(app)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/results/2/", "QUERY_STRING": ""}
    answers: list[list[tuple[str, str]]] = []
    for _ in range(2):
        b"".join(cached(dict(environ), lambda s, headers, e=None: answers.append(headers)))
    assert answers == [[("Content-Type", "text/html")]] * 2
