"""Panels an app adds to another app's page, by registration rather than by import.

The page's app names a place (``"cycles.sheet"``) and renders whatever is registered there;
the app that has something to show registers a function for that place when it is ready
(``AppConfig.ready``). So the sheet's page shows the plans app's gap table without the cycles
app knowing that plans exist, and an app above may add to a page below without the page's
app importing it back (tests/web/test_layers.py forbids that).

A panel is a function of keyword arguments (what the place hands every panel: its
documentation here says which) returning HTML, or ``""`` when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

Panel = Callable[..., Any]
"""Returns HTML (a place rendered with :func:`render`), or data (a place read with
:func:`collect`)."""

PLACES: dict[str, str] = {
    "cycles.sheet": "below a score sheet: user, sheet, lang",
    "cycles.manage": "at the end of the administrator's page: request",
    "accounts.page": "on the person's own page, after their roles: request",
    "portal.profile": (
        "a unit's public profile, after its domains: doc, framework, unit, lang, sha256 (the "
        "publication's: what is the same for every unit is made once under it)"
    ),
    "cycles.leader": "the leader's view, after the published results: published, today, lang",
    "cycles.leader_brief": (
        "the leader's one-page brief, after the published results: published, today, lang; "
        "each returns a list of chiso.reports.brief.Section (collected, not rendered)"
    ),
}
"""Every place a panel may go, with the arguments its panels are given."""

_registered: dict[str, list[tuple[str, Panel]]] = {}


def register(place: str, name: str, panel: Panel) -> None:
    """Show ``panel`` at ``place``, after those registered before it; registering ``name``
    again (a reloaded app) replaces it where it stood."""
    if place not in PLACES:
        raise KeyError(f"no panel place {place!r}; places: {', '.join(PLACES)}")
    panels = _registered.setdefault(place, [])
    for i, (known, _) in enumerate(panels):
        if known == name:
            panels[i] = (name, panel)
            return
    panels.append((name, panel))


def collect(place: str, **context: Any) -> list[Any]:
    """What every panel registered at ``place`` returns, in order, for a place whose panels
    give data rather than HTML (the leader's brief: sections of lines); a panel returning a
    list adds its items."""
    found: list[Any] = []
    for _, panel in _registered.get(place, []):
        given = panel(**context)
        found.extend(given if isinstance(given, list) else [given])
    return found


def render(place: str, **context: Any) -> SafeString:
    """The HTML of every panel registered at ``place``, in order of registration (panels
    render their own templates, escaping what they show)."""
    return mark_safe("".join(panel(**context) for _, panel in _registered.get(place, [])))
