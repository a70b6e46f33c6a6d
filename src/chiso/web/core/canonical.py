"""Canonical JSON: the one spelling of a document whose bytes are hashed (a publication's
snapshot and its SHA-256), so the same results give the same bytes on every server."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(doc: Any) -> str:
    """Keys sorted, no spaces, Vietnamese letters as they are (not ``\\u`` escapes)."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
