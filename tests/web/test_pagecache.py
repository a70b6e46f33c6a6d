"""The public pages' cache: keys valid for any backend, made once, and a fallback (made
because something failed) kept only briefly."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from chiso.web.core import pagecache
from chiso.web.core.pagecache import Made


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
