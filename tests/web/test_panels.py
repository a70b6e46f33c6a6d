"""Panels an app adds to another app's page: by registration, at a known place, in order, and
the installed apps' panels are where their pages show them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chiso.web.core import panels


@pytest.fixture
def place() -> Iterator[str]:
    """A place of the registry, restored after the test."""
    kept = list(panels._registered.get("cycles.sheet", []))
    yield "cycles.sheet"
    panels._registered["cycles.sheet"] = kept


def test_panels_render_in_the_order_they_were_registered(place: str) -> None:
    panels._registered[place] = []
    panels.register(place, "a", lambda **_: "<p>A</p>")
    panels.register(place, "b", lambda **_: "<p>B</p>")
    assert panels.render(place) == "<p>A</p><p>B</p>"


def test_registering_a_panel_again_replaces_it_where_it_stood(place: str) -> None:
    panels._registered[place] = []
    panels.register(place, "a", lambda **_: "A")
    panels.register(place, "b", lambda **_: "B")
    panels.register(place, "a", lambda **_: "A2")
    assert panels.render(place) == "A2B"


def test_a_panel_is_given_what_its_place_hands_every_panel(place: str) -> None:
    panels._registered[place] = []
    panels.register(place, "echo", lambda *, sheet, **_: f"<p>{sheet}</p>")
    assert panels.render(place, user=None, sheet="S01", lang="vi") == "<p>S01</p>"


def test_a_panel_for_an_unknown_place_is_refused() -> None:
    with pytest.raises(KeyError):
        panels.register("cycles.nowhere", "x", lambda **_: "")


def test_the_installed_apps_add_their_panels_to_the_pages_below_them() -> None:
    """The plans app's gap table on the sheet and the profile, the portal's maps on the
    administrator's page: registered by the apps when Django loads them."""
    names = {place: [name for name, _ in found] for place, found in panels._registered.items()}
    assert names["cycles.sheet"] == ["plans.gaps"]
    assert names["portal.profile"] == ["plans.gaps"]
    assert names["cycles.manage"] == ["portal.maps"]
