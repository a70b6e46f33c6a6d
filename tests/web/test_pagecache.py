"""The public pages' cache: keys valid for any backend, made once, and a fallback (made
because something failed) kept only briefly; a page not kept yet that many threads of a
process ask for at once is made by one of them while the others wait, but never for ever."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from chiso.web.core import kept, pagecache
from chiso.web.core.pagecache import Made
from chiso.web.cycles import pages


def test_keys_name_their_parts_and_digest_unit_names() -> None:
    key = pagecache.key("published-profile", "ab12", "vi", 7, "Thừa Thiên Huế")
    assert key.startswith(f"{pagecache.FORMAT}:published-profile:ab12:vi:7:")
    assert " " not in key and key.isascii()
    assert key != pagecache.key("published-profile", "ab12", "en", 7, "Thừa Thiên Huế")


def test_made_once_then_kept() -> None:
    calls: list[int] = []

    def make() -> Made[str]:
        calls.append(1)
        return Made("page")

    assert pagecache.get_or_make("k:1", make).value == "page"
    assert pagecache.get_or_make("k:1", make).value == "page"
    assert len(calls) == 1


@pytest.mark.parametrize(("fallback", "timeout"), [(False, None), (True, 60)])
def test_a_fallback_is_never_kept_for_ever(
    monkeypatch: pytest.MonkeyPatch, fallback: bool, timeout: int | None
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: seen.update(timeout=timeout))
    pagecache.get_or_make("k:2", lambda: Made("tile map instead", fallback))
    assert seen["timeout"] == timeout == (pagecache.FALLBACK_SECONDS if fallback else None)


def test_what_an_older_chiso_kept_under_the_same_key_is_made_afresh() -> None:
    """Entries are kept without a time limit and a shared cache outlives an upgrade: the keys
    carry a format, and a value of another shape under a key is a miss, never a 500 (a review
    found every portal page failing on the dict an older version kept)."""
    old_key = "published-doc:ab12"
    assert not pagecache.key("published-doc", "ab12").startswith(old_key)
    cache.set("pc-test:1", {"units": []}, timeout=None)
    assert pagecache.get_or_make("pc-test:1", lambda: Made("fresh")).value == "fresh"


# single flight: a page not kept yet, asked for by many threads of a process at once


def _at_once(count: int, ask: Callable[[], object]) -> list[object]:
    """``ask`` run by ``count`` threads released together; what each got (or raised)."""
    start = threading.Barrier(count)
    got: list[object] = [None] * count

    def run(k: int) -> None:
        start.wait()
        try:
            got[k] = ask()
        except Exception as error:  # what the thread raised is its result
            got[k] = error

    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return got


def _kept_in_cache(key: str, value: Callable[[], str]) -> Callable[[], str]:
    """A single-flight request for ``key`` whose make keeps ``value()`` in the cache."""

    def make() -> str:
        made = value()
        cache.set(key, made)
        return made

    return lambda: pagecache.single_flight(key, lambda: cache.get(key), make)


def test_many_threads_asking_for_a_missing_page_make_it_once_and_all_get_it() -> None:
    calls: list[int] = []

    def value() -> str:
        calls.append(1)
        time.sleep(0.3)  # the others arrive while it is made
        return f"page {len(calls)}"

    got = _at_once(8, _kept_in_cache("sf:1", value))
    assert calls == [1] and got == ["page 1"] * 8
    assert not pagecache._flights  # nothing left behind per key


def test_a_failing_make_leaves_the_others_to_make_their_own() -> None:
    calls: list[int] = []

    def value() -> str:
        calls.append(1)
        time.sleep(0.2)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return "page"

    got = _at_once(6, _kept_in_cache("sf:2", value))
    failed = [g for g in got if isinstance(g, RuntimeError)]
    assert len(failed) == 1 and got.count("page") == 5 and len(calls) == 2
    assert not pagecache._flights


def test_a_make_that_hangs_holds_the_others_only_for_the_bounded_wait() -> None:
    release = threading.Event()
    hung_started = threading.Event()

    def hung() -> str:
        hung_started.set()
        release.wait(30)
        return "late page"

    first = threading.Thread(
        target=lambda: pagecache.single_flight("sf:3", lambda: None, hung, wait=0.2)
    )
    first.start()
    assert hung_started.wait(10)
    began = time.monotonic()
    own = pagecache.single_flight("sf:3", lambda: None, lambda: "own page", wait=0.2)
    waited = time.monotonic() - began
    release.set()
    first.join(timeout=30)
    assert own == "own page" and 0.15 <= waited < 10
    assert not pagecache._flights


def test_kept_pages_asked_for_by_many_visitors_at_once_are_made_once() -> None:
    factory = RequestFactory()
    calls: list[int] = []

    def make() -> Made[HttpResponse]:
        calls.append(1)
        time.sleep(0.3)
        return Made(HttpResponse(b"the ranking", headers={"X-Made": str(len(calls))}))

    got = _at_once(6, lambda: kept.page(factory.get("/results/1/"), "sf-page", make))
    assert calls == [1]
    assert all(isinstance(r, HttpResponse) for r in got)
    assert {(r.content, r["X-Made"]) for r in got} == {(b"the ranking", "1")}  # type: ignore[union-attr]


def test_cycle_pages_asked_for_by_many_at_once_are_made_once() -> None:
    calls: list[int] = []

    def make() -> str:
        calls.append(1)
        time.sleep(0.3)
        return f"cycle page {len(calls)}"

    got = _at_once(6, lambda: pages.kept("sf-cycle", make))
    assert calls == [1] and got == ["cycle page 1"] * 6
