"""Every public page of the demo in a real headless Chromium: no console errors, an
accessibility audit with axe-core (WCAG 2.1 A and AA rules, colour contrast included) that
finds nothing, keyboard use of the ranking, and a screenshot of each page in artifacts/browser/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from chiso.web.cycles.models import Cycle
from conftest import published_file
from web import browser_steps as steps
from web.test_browser import CHROMIUM, SHOTS


@pytest.fixture(scope="module")
def demo_made(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    """The demo of `chiso serve --demo`, with the 63-province boundary file uploaded, made once
    for the module and kept (web/kept_rows.py): the ids of its published cycles."""
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chiso.web.demo import load_demo
    from chiso.web.portal import maps
    from web import kept_rows

    with django_db_blocker.unblock():
        load_demo()
        admin = User.objects.get(username="admin")
        data = published_file("geo", "vn_provinces_63.geojson").read_bytes()
        maps.upload_map(admin, "63 tỉnh", SimpleUploadedFile("vn_provinces_63.geojson", data))
        published = Cycle.objects.filter(state=Cycle.PUBLISHED)
        par = published.filter(framework_code="par-province-2019").order_by("year").last()
        assert par is not None
        ids = {
            "departments": published.get(name__startswith="Chỉ số CCHC các sở, ban, ngành 2023").pk,
            "districts": published.get(name__startswith="Chỉ số CCHC UBND cấp huyện 2023").pk,
            "par": par.pk,
            "papi-63": published.get(name__startswith="PAPI 2024").pk,
            "papi-34": published.get(name__startswith="PAPI 2025").pk,
            "sipas": published.get(name__startswith="SIPAS 2022").pk,
        }
        kept_rows.keep()
    yield ids
    with django_db_blocker.unblock():
        kept_rows.forget()


@pytest.fixture
def demo(transactional_db: None, demo_made: dict[str, int]) -> dict[str, Cycle]:
    """The demo as made, put back before each test (the live server's tests empty the
    database after each)."""
    from web import kept_rows

    kept_rows.put_back()
    return {name: Cycle.objects.get(pk=pk) for name, pk in demo_made.items()}


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required in CI (.ci/run installs it)")
        pytest.skip("Debian's chromium is not installed here")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is not touched while pages run
    with sync_playwright() as p:
        instance = steps.launch(p)
        yield instance
        instance.close()


def _public_pages(demo: dict[str, Cycle]) -> dict[str, str]:
    par, p63, p34 = demo["par"].pk, demo["papi-63"].pk, demo["papi-34"].pk
    three = "&".join(f"u={quote(n)}" for n in ("Hà Nội", "Hải Phòng", "Đà Nẵng"))
    return {
        "home": "/",
        "ranking-departments": f"/results/{demo['departments'].pk}/",
        "ranking-provinces-choropleth": f"/results/{par}/",
        "ranking-34-provinces": f"/results/{p34}/",
        "profile-department": f"/results/{demo['departments'].pk}/units/{quote('Sở Tư pháp')}/",
        "profile-merged-province": f"/results/{p34}/units/{quote('Phú Thọ')}/",
        "profile-old-province": f"/results/{p63}/units/{quote('Vĩnh Phúc')}/",
        "compare": f"/results/{par}/compare/?{three}",
        "heatmap": f"/results/{p34}/heatmap/",
        "rebased": f"/results/{p63}/rebased/",
        "intervals": f"/results/{demo['sipas'].pk}/intervals/",
        "profile-with-interval": f"/results/{demo['sipas'].pk}/units/{quote('Thừa Thiên Huế')}/",
        "intervals-none": f"/results/{p34}/intervals/",
        "ranking-english": f"/lang/en/?next=/results/{par}/",
        "revisions-corrected": f"/results/{demo['districts'].pk}/revisions/",
    }


def test_every_public_page_passes_the_accessibility_audit_without_console_errors(
    live_server: object, demo: dict[str, Cycle], browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    page = browser.new_page(locale="vi-VN")
    errors: list[str] = []
    steps.watch_console(page, errors)
    for name, path in _public_pages(demo).items():
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.ok, (name, path)
        page.screenshot(path=str(SHOTS / f"public-{name}.png"), full_page=True)
        problems += steps.audited(page, name)
        problems += [f"{name}: console: {e}" for e in errors]
        errors.clear()
    assert not problems, "\n\n".join(problems)


def test_the_ranking_is_used_with_the_keyboard_alone(
    live_server: object, demo: dict[str, Cycle], browser: Any
) -> None:
    page = browser.new_page(locale="vi-VN")
    page.goto(f"{live_server}/results/{demo['par'].pk}/")
    # Tab from the top reaches the search box, then the filters, then the sort buttons
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return [e.tagName, e.id || e.dataset.sort || e.textContent.trim().slice(0, 30),"
            " getComputedStyle(e).outlineStyle]; }"
        )
        seen.append(focused)
        if focused[1] == "name":
            break
    assert seen[[s[1] for s in seen].index("search")][:2] == ["INPUT", "search"]
    assert seen[-1][:2] == ["BUTTON", "name"], seen
    # the focused control shows where the focus is
    assert all(s[2] != "none" for s in seen), [s for s in seen if s[2] == "none"]
    page.keyboard.press("Enter")
    names = page.locator("#ranking tbody tr").evaluate_all("rows => rows.map(r => r.dataset.name)")
    assert names[:3] == ["An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu"]
    page.screenshot(path=str(SHOTS / "public-keyboard-sorted.png"))


def test_the_map_switches_between_groups_and_values_with_the_keyboard(
    live_server: object, demo: dict[str, Cycle], browser: Any
) -> None:
    page = browser.new_page(locale="vi-VN")
    page.goto(f"{live_server}/results/{demo['papi-34'].pk}/")
    group, value = page.locator("[data-colour=group]"), page.locator("[data-colour=value]")
    assert group.is_visible() and not value.is_visible()
    page.focus("input[name=map-colour][value=group]")
    page.keyboard.press("ArrowRight")  # radio buttons move with the arrow keys
    assert value.is_visible() and not group.is_visible()
    page.screenshot(path=str(SHOTS / "public-map-by-value.png"))


NARROW = {"width": 375, "height": 812}
"""A small phone's screen (iPhone X/11 Pro width in CSS pixels)."""


def _every_public_page(demo: dict[str, Cycle]) -> dict[str, str]:
    """The public pages above plus the archive's, the service index's and the login page."""
    return {
        **_public_pages(demo),
        "archive": "/archive/",
        "archive-province": f"/archive/provinces/{quote('Quảng Ninh')}/",
        "services": "/services/",
        "services-month": "/services/2025-09/",
        "services-unit": f"/services/2025-09/units/{quote('Quảng Ninh')}/",
        "login": "/accounts/login/",
        "heads": f"/results/{demo['departments'].pk}/heads/",
    }


def test_every_public_page_fits_a_375_px_screen_without_sideways_scrolling(
    live_server: object, demo: dict[str, Cycle], browser: Any
) -> None:
    """Wide tables scroll inside their own box; the page itself never scrolls sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(locale="vi-VN", viewport=NARROW)
    too_wide: dict[str, int] = {}
    for name, path in _every_public_page(demo).items():
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.ok, (name, path)
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        page.screenshot(path=str(SHOTS / f"narrow-{name}.png"), full_page=True)
        if width > NARROW["width"]:
            too_wide[name] = width
    assert too_wide == {}
