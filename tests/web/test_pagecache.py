"""The public pages' cache: keys valid for any backend, made once, and a fallback (made
because something failed) kept only briefly."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from chiso.web.portal import pagecache
from chiso.web.portal.pagecache import Made


def test_keys_name_their_parts_and_digest_unit_names() -> None:
    key = pagecache.key("published-profile", "ab12", "vi", 7, "Thừa Thiên Huế")
    assert key.startswith("published-profile:ab12:vi:7:")
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
