"""The pages of a cycle for the people with a role in it, kept once rendered.

A cycle's page (the administrator's, the council's overview of every unit, an officer's) and
a sheet's page show what the cycle holds, in the reader's language, as of today, to a person
with given rights. Rendering one afresh for a province's 150 units on every request is what
made it slow under load; so the part below the site's header is rendered once and kept under
a key that names everything it was made from:

* what it shows: for a cycle's page the cycle's revision that counts the changes it shows
  (:func:`cycle_revision`, moved on by :func:`moved_on`, below); for a sheet's page the
  sheet's own ``revision`` (:func:`chiso.web.cycles.scores.touch`), the states and the unit's
  deadline;
* the language, and today's date (deadlines count the days left);
* the reader's rights (:func:`chiso.web.accounts.policy.rights_key`): a page is served to
  another person only when they hold the same roles, so nobody sees what another's rights
  show.

**One place moves the revision.** Every change in a cycle writes its audit trail in the
change's own transaction (:mod:`chiso.web.core.audit`); the trail announces each write
(``written``, with its entries) and :func:`moved_on` moves the cycles' revisions on in that
same transaction. A change that forgot its audit entry would be a bug with or without this
cache, and no page of the cycle needs any other call to be made afresh. Readers read the
cycle (and its revisions) before anything the page shows, so a page kept under a revision is
never older than that revision.

**Two revisions, because the cycle's page shows little of the sheets.** ``Cycle.revision``
counts every change. Before its results (finalised, published) the cycle's page shows, of
each sheet it lists, the unit, the sheet's state and whether it is ranked: never a value, a
file, a thread or an explanation (:data:`WITHIN_A_SHEET`, what officers and appraisers change
all day). ``Cycle.page_revision`` counts every other change (the cycle's state, deadlines and
extensions, roles, a sheet submitted, returned or set ranked, publications, anything not
named there), and the page is kept under it until the results are shown, then under
``revision``. A value saved in any unit's sheet then leaves every page of the cycle as kept
(its own officers', the council's overview of every unit), where under load each was made
again after every save of any of a province's units.

The form token (CSRF) differs per person: pages are kept with :data:`TOKEN` in its place and
the reader's own is put in when served (:func:`served`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from chiso.web.accounts.policy import rights_key
from chiso.web.core import pagecache
from chiso.web.cycles import windows
from chiso.web.cycles.models import Cycle, Evidence, Explanation, LeafScore, Message

T = TypeVar("T")

TOKEN = "__CSRF_TOKEN__"
"""Stands for the reader's form token in what is kept (the templates' ``{% csrf_token %}``
render it when the context's ``csrf_token`` is this)."""
KEEP_SECONDS = 3600
"""Kept this long at most: a key never names stale content (the revision moves on with any
change), so this only bounds how long memory holds pages nobody reads."""


WITHIN_A_SHEET = frozenset(m.__name__ for m in (LeafScore, Evidence, Message, Explanation))
"""The audit trail's object types of the changes within a sheet: a leaf's value (self-assessed,
appraised, central, corrected, restored), an attached file, a thread's message, an explanation
and its review. The cycle's page shows none of them until its results (:data:`RESULTS`)."""
RESULTS = (Cycle.FINALISED, Cycle.PUBLISHED)
"""The states in which the cycle's page may show the results, made from every value."""


def moved_on(
    sender: Any, cycle_ids: list[int], entries: list[Any] | None = None, **kwargs: Any
) -> None:
    """Receives :data:`chiso.web.core.audit.written`: the cycles whose trail grew changed, each
    ``revision`` moves on; so does the ``page_revision`` of those with an entry other than
    :data:`WITHIN_A_SHEET` (all of them when the entries are not told)."""
    shown = (
        set(cycle_ids)
        if entries is None
        else {e.cycle_id for e in entries if e.object_type not in WITHIN_A_SHEET}
    )
    both = [c for c in cycle_ids if c in shown]
    only = [c for c in cycle_ids if c not in shown]
    if both:
        Cycle.objects.filter(pk__in=both).update(
            revision=F("revision") + 1, page_revision=F("page_revision") + 1
        )
    if only:
        Cycle.objects.filter(pk__in=only).update(revision=F("revision") + 1)


def cycle_revision(cycle: Cycle) -> tuple[str, int]:
    """The revision a page of ``cycle`` is kept under: ``page_revision`` until its results may
    be shown, then ``revision`` (named, so the one is never taken for the other)."""
    if cycle.state in RESULTS:
        return ("all", cycle.revision)
    return ("page", cycle.page_revision)


def key(kind: str, user: Any, lang: str, *parts: object) -> str:
    """The key of page ``kind`` for ``user`` in ``lang`` today, made from ``parts``."""
    return pagecache.key(kind, *parts, lang, windows.today().isoformat(), rights_key(user))


def kept(cache_key: str, make: Callable[[], str]) -> str:
    """The page kept under ``cache_key``, made (with :data:`TOKEN`) and kept on first use, by
    one thread of the process while the others asking for it wait
    (:func:`chiso.web.core.pagecache.single_flight`)."""
    return kept_as(cache_key, str, make)


def kept_as(cache_key: str, kind: type[T], make: Callable[[], T]) -> T:
    """What is kept under ``cache_key`` if it is a ``kind`` (anything else was kept by an
    older chiso), else made and kept, as :func:`kept` keeps pages: for what a page is made
    from rather than the page itself."""

    def read() -> T | None:
        found = cache.get(cache_key)
        return found if isinstance(found, kind) else None

    def make_and_keep() -> T:
        made = make()
        cache.set(cache_key, made, timeout=KEEP_SECONDS)
        return made

    return pagecache.single_flight(cache_key, read, make_and_keep)


def place(name: str) -> SafeString:
    """Where :func:`served` puts ``name``'s HTML into a kept page (a comment: nothing a person
    types can write one, since what they type is escaped)."""
    return mark_safe(f"<!--chiso:{name}-->")


def served(request: HttpRequest, page: str, **places: str) -> dict[str, Any]:
    """What a template needs to serve a kept page: the page with the reader's own form token
    in it and the HTML of each of its ``places`` (:func:`place`) as ``body``, and that token
    for the rest of the page as ``csrf_token`` (one token per answer rather than one masked
    afresh for every form)."""
    token = get_token(request)
    page = page.replace(TOKEN, token)
    for name, html in places.items():
        page = page.replace(place(name), html, 1)
    return {"body": mark_safe(page), "csrf_token": token}
