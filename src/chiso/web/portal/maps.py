"""Boundary maps: upload by an administrator, and the choice of a map for a cycle's units."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from chiso.problems import Refusal
from chiso.reports.choropleth import NAME_PROPERTIES, name_key, parse_boundaries
from chiso.vietnamese import nfc
from chiso.web.accounts.policy import can_manage
from chiso.web.core.audit import audit
from chiso.web.core.refusals import forbidden
from chiso.web.portal.models import BoundaryMap

MIN_MATCHED = 0.8  # the share of the units on a map, and of the map's areas among the units


def upload_map(actor: Any, name: str, upload: UploadedFile) -> BoundaryMap:
    """Decode and keep an uploaded boundary file; nothing is kept when it cannot be read."""
    if not can_manage(actor):
        raise forbidden()
    name = nfc(" ".join(name.split()))
    if not name:
        raise Refusal("map.name_missing")
    if upload.size is not None and upload.size > settings.EVIDENCE_MAX_BYTES:
        raise Refusal("cycle.file_too_large", limit=settings.EVIDENCE_MAX_BYTES // 2**20)
    data = upload.read()
    file_name = nfc(str(upload.name or "")).rsplit("/", 1)[-1][:255]
    try:
        features = parse_boundaries(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Refusal("map.unreadable", name=file_name, reason="không phải UTF-8") from None
    except json.JSONDecodeError as exc:
        raise Refusal(
            "map.unreadable", name=file_name, reason=f"JSON dòng {exc.lineno}: {exc.msg}"
        ) from None
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise Refusal(
            "map.unreadable", name=file_name, reason=f"{type(exc).__name__}: {exc}"
        ) from None
    if not features:
        raise Refusal("map.no_names", name=file_name, properties=", ".join(NAME_PROPERTIES))
    with transaction.atomic():
        boundary = BoundaryMap.objects.create(
            name=name,
            uploaded_by=actor,
            file_name=file_name,
            sha256=hashlib.sha256(data).hexdigest(),
            feature_count=len(features),
            features=BoundaryMap.encode(features),
        )
        audit(actor, None, boundary, "created", None, f"{name} ({file_name})")
    return boundary


def delete_map(actor: Any, boundary: BoundaryMap) -> None:
    if not can_manage(actor):
        raise forbidden()
    with transaction.atomic():
        audit(actor, None, boundary, "deleted", boundary.name, None)
        boundary.delete()


def map_for(units: set[str]) -> BoundaryMap | None:
    """The map that fits ``units``: at least MIN_MATCHED of the units on it and at least
    MIN_MATCHED of its areas among the units. Both ways, because a map of the 63 provinces
    holds 33 of the 34 names of 2025 (Phú Thọ, Hải Phòng…) and would draw each new province
    as its old namesake, the merged-away areas grey."""
    if not units:
        return None
    keys = {name_key(u) for u in units}
    best, best_fit = None, 0.0
    for boundary in BoundaryMap.objects.all():
        names = {name_key(str(f[0])) for f in json.loads(boundary.features)}
        matched = len(keys & names)
        fit = min(matched / len(keys), matched / len(names)) if names else 0.0
        if fit > best_fit:
            best, best_fit = boundary, fit
    return best if best_fit >= MIN_MATCHED else None
