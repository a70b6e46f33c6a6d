"""The audit trail as a person reads it: the trail stores codes (``LeafScore``, ``self_raw``,
``self_assessment``, ``2.0``) so that it stays exact and comparable; the history page and
the CSV download name each object by its unit and criterion, each field and state in the
reader's language, numbers with the reader's decimal mark and times in the province's time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, pgettext

from chiso.numbers import format_number
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import (
    Cycle,
    Evidence,
    Explanation,
    LeafScore,
    Message,
    Publication,
    ScoreSheet,
)

FIELD_NAMES = {
    "created": ("audit field", "Tạo mới"),
    "state": ("audit field", "Giai đoạn"),
    "published": ("audit field", "Công bố"),
    "correction": ("audit field", "Đính chính điểm"),
    "ranked": ("audit field", "Xếp hạng"),
    "standard_errors": ("audit field", "Sai số chuẩn"),
    "self_raw": ("audit field", "Giá trị tự đánh giá"),
    "appraised_points": ("audit field", "Điểm thẩm định"),
    "central_points": ("audit field", "Điểm do cơ quan trung ương cung cấp"),
    "evidence": ("audit field", "Tài liệu kiểm chứng"),
    "explanation": ("audit field", "Giải trình"),
    "review": ("audit field", "Xem xét giải trình"),
    "request": ("audit field", "Yêu cầu giải trình"),
    "answer": ("audit field", "Trả lời"),
    "role": ("audit field", "Vai trò"),
    "token": ("audit field", "Khoá API"),
    "revoked": ("audit field", "Thu hồi khoá API"),
    "framework": ("audit field", "Bộ tiêu chí"),
    "target": ("audit field", "Mục tiêu"),
    "file": ("audit field", "Tệp"),
    "deleted": ("audit field", "Xoá"),
}
"""Each field the trail records, as a reader names it."""

OBJECT_NAMES = {
    "Cycle": ("audit object", "Kỳ đánh giá"),
    "ScoreSheet": ("audit object", "Phiếu chấm điểm"),
    "LeafScore": ("audit object", "Tiêu chí"),
    "Evidence": ("audit object", "Tài liệu kiểm chứng"),
    "Message": ("audit object", "Trao đổi"),
    "Explanation": ("audit object", "Giải trình"),
    "Publication": ("audit object", "Bản công bố"),
    "Unit": ("audit object", "Đơn vị"),
    "Role": ("audit object", "Vai trò"),
    "ApiToken": ("audit object", "Khoá API"),
    "FrameworkVersion": ("audit object", "Bộ tiêu chí"),
    "Plan": ("audit object", "Kế hoạch"),
    "Target": ("audit object", "Mục tiêu"),
    "Task": ("audit object", "Nhiệm vụ"),
    "TaskFile": ("audit object", "Tệp của nhiệm vụ"),
    "Responsibility": ("audit object", "Phân công"),
    "Boundary": ("audit object", "Bản đồ"),
}

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def field_name(field: str) -> str:
    """``self_raw`` → *Giá trị tự đánh giá*; a field kept with its criterion
    (``responsible 1.2``) names both."""
    head, _, rest = field.partition(" ")
    if head == "responsible":
        return (pgettext("audit field", "Phân công") + " " + rest).strip()
    known = FIELD_NAMES.get(field)
    return pgettext(*known) if known else field


def value_shown(entry: AuditEntry, value: str, lang: str) -> str:
    """A stored old or new value as read: a stage or outcome by its name, a number with the
    reader's decimal mark; anything else (a typed value, a file name) as stored."""
    if entry.field in ("state", "published"):
        states = dict(ScoreSheet.STATES if entry.object_type == "ScoreSheet" else Cycle.STATES)
        if value in states:
            return str(states[value])
    if entry.field == "review":
        outcomes = dict(Explanation.OUTCOMES)
        if value in outcomes:
            return gettext(str(outcomes[value]))
    if _NUMBER.match(value) and "." in value:
        return format_number(float(value), lang, 2)
    if entry.field == "ranked" and value in ("True", "False"):
        return gettext("có") if value == "True" else gettext("không")
    return value


def local_time(entry: AuditEntry) -> str:
    """When, in the province's time: ``06/12/2026 20:21:39`` in Vietnamese (the pattern of
    each language is in its catalogue)."""
    return timezone.localtime(entry.at).strftime(gettext("%d/%m/%Y %H:%M:%S"))


def object_names(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], str]:
    """(object type, id) → what a reader calls it: a criterion by its unit and code, a sheet by
    its unit, a cycle by its name; other objects by their kind and number."""
    wanted: dict[str, set[int]] = {}
    for e in entries:
        if e.object_id.isdigit():
            wanted.setdefault(e.object_type, set()).add(int(e.object_id))
    names: dict[tuple[str, str], str] = {}

    def leaf_name(leaf: LeafScore) -> str:
        named = pgettext("audit object", "{unit} · tiêu chí {code}")
        return named.format(unit=leaf.sheet.unit.name, code=leaf.code)

    for leaf in LeafScore.objects.filter(pk__in=wanted.get("LeafScore", ())).select_related(
        "sheet__unit"
    ):
        names["LeafScore", str(leaf.pk)] = leaf_name(leaf)
    for model in (Evidence, Message, Explanation):
        rows = model.objects.filter(pk__in=wanted.get(model.__name__, ()))
        for row in rows.select_related("leaf__sheet__unit"):
            kind = pgettext(*OBJECT_NAMES[model.__name__])
            names[model.__name__, str(row.pk)] = kind + ": " + leaf_name(row.leaf)
    for sheet in ScoreSheet.objects.filter(pk__in=wanted.get("ScoreSheet", ())).select_related(
        "unit"
    ):
        kind = pgettext(*OBJECT_NAMES["ScoreSheet"])
        names["ScoreSheet", str(sheet.pk)] = kind + ": " + sheet.unit.name
    for cycle in Cycle.objects.filter(pk__in=wanted.get("Cycle", ())):
        names["Cycle", str(cycle.pk)] = cycle.name
    for pub in Publication.objects.filter(pk__in=wanted.get("Publication", ())):
        kind = pgettext(*OBJECT_NAMES["Publication"])
        names["Publication", str(pub.pk)] = kind + " " + str(pub.pk)
    return names


def object_name(entry: AuditEntry, names: dict[tuple[str, str], str]) -> str:
    found = names.get((entry.object_type, entry.object_id))
    if found:
        return found
    kind = OBJECT_NAMES.get(entry.object_type)
    shown = pgettext(*kind) if kind else entry.object_type
    return shown + " " + entry.object_id


def readable_rows(entries: list[AuditEntry], lang: str) -> list[dict[str, Any]]:
    """Each entry as its history row or CSV line shows it."""
    names = object_names(entries)
    return [
        {
            "at": local_time(e),
            "actor": e.actor.username if e.actor else "",
            "object": object_name(e, names),
            "field": field_name(e.field),
            "old": value_shown(e, e.old, lang),
            "new": value_shown(e, e.new, lang),
            "reason": e.reason,
        }
        for e in entries
    ]
