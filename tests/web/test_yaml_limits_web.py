"""The site's YAML doors hold against issue #19's alias bomb, and a report of thousands of
problems answers with at most 200 of them and one line saying how many more.

The probe: any signed-in user posted a 1,475-byte framework to ``/api/frameworks/check``
whose anchors referenced each other 16 levels deep, and waited 11 s for a 45 MB answer
listing 262,141 problems. The same loader is behind the administrator's upload and the
framework versions."""

from __future__ import annotations

import time

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.problems import MAX_PROBLEMS
from test_yaml_safety import alias_bomb
from web.conftest import World
from web.views.helpers import as_

BOMB = alias_bomb(17).encode("utf-8")
MANY = ("format: 1\ncode: many\nnodes:\n" + "  - {code: 'x', zz: 1}\n" * 3000).encode("utf-8")


def test_any_signed_in_user_checking_the_alias_bomb_is_answered_at_once(world: World) -> None:
    assert len(BOMB) < 1500
    client = as_(world, "officer_a")
    warm = client.post("/api/frameworks/check", {"file": SimpleUploadedFile("a.yaml", b"a: 1")})
    assert warm.status_code == 200  # the first request loads the API; the bomb's is timed
    start = time.perf_counter()
    response = client.post("/api/frameworks/check", {"file": SimpleUploadedFile("b.yaml", BOMB)})
    seconds = time.perf_counter() - start
    answer = response.json()
    assert response.status_code == 200 and answer["valid"] is False
    assert [(p["rule"], p["row"]) for p in answer["problems"]] == [("yaml.alias", 10)]
    assert len(response.content) < 2000 and seconds < 1


def test_a_check_with_thousands_of_problems_lists_200_and_says_how_many_more(
    world: World,
) -> None:
    client = as_(world, "officer_a")
    response = client.post(
        "/api/frameworks/check",
        {"file": SimpleUploadedFile("many.yaml", MANY)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    problems = response.json()["problems"]
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1]["rule"] == "file.too_many_problems"
    assert "more problems not listed" in problems[-1]["message"]
    assert len(response.content) < 100_000


def test_the_administrators_upload_refuses_the_alias_bomb(world: World) -> None:
    upload = SimpleUploadedFile("bomb.yaml", BOMB)
    response = as_(world, "admin").post("/api/framework-versions", {"file": upload})
    assert response.status_code == 400 and response.json()["rule"] == "yaml.alias"
    assert [p["rule"] for p in response.json()["problems"]] == ["yaml.alias"]


def test_the_upload_page_lists_the_first_problems_then_how_many_more(world: World) -> None:
    upload = SimpleUploadedFile("many.yaml", MANY)
    response = as_(world, "admin").post(reverse("cycles:framework-upload"), {"file": upload})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(said) == 51 and said[-1].startswith("còn ") and "lỗi khác" in said[-1]
