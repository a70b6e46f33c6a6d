"""The audit trail as a person reads it: the trail stores codes (``LeafScore``, ``self_raw``,
``self_assessment``, ``2.0``) so that it stays exact and comparable; the history page and
the CSV download name each object by its unit and criterion, each field and state in the
reader's language, numbers with the reader's decimal mark and times in the province's time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy

from chiso.numbers import format_number
from chiso.problems import Refusal
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.frameworks import framework_by_code
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
    "created": pgettext_lazy("audit field", "Tạo mới"),
    "state": pgettext_lazy("audit field", "Giai đoạn"),
    "published": pgettext_lazy("audit field", "Công bố"),
    "correction": pgettext_lazy("audit field", "Đính chính điểm"),
    "ranked": pgettext_lazy("audit field", "Xếp hạng"),
    "standard_errors": pgettext_lazy("audit field", "Sai số chuẩn"),
    "self_raw": pgettext_lazy("audit field", "Giá trị tự đánh giá"),
    "appraised_points": pgettext_lazy("audit field", "Điểm thẩm định"),
    "central_points": pgettext_lazy("audit field", "Điểm do cơ quan trung ương cung cấp"),
    "evidence": pgettext_lazy("audit field", "Tài liệu kiểm chứng"),
    "explanation": pgettext_lazy("audit field", "Giải trình"),
    "review": pgettext_lazy("audit field", "Xem xét giải trình"),
    "request": pgettext_lazy("audit field", "Yêu cầu giải trình"),
    "answer": pgettext_lazy("audit field", "Trả lời"),
    "role": pgettext_lazy("audit field", "Vai trò"),
    "token": pgettext_lazy("audit field", "Khoá API"),
    "revoked": pgettext_lazy("audit field", "Thu hồi khoá API"),
    "framework": pgettext_lazy("audit field", "Bộ tiêu chí"),
    "target": pgettext_lazy("audit field", "Mục tiêu"),
    "file": pgettext_lazy("audit field", "Tệp"),
    "deleted": pgettext_lazy("audit field", "Xoá"),
}
"""Each field the trail records, as a reader names it."""

OBJECT_NAMES = {
    "Cycle": pgettext_lazy("audit object", "Kỳ đánh giá"),
    "ScoreSheet": pgettext_lazy("audit object", "Phiếu chấm điểm"),
    "LeafScore": pgettext_lazy("audit object", "Tiêu chí"),
    "Evidence": pgettext_lazy("audit object", "Tài liệu kiểm chứng"),
    "Message": pgettext_lazy("audit object", "Trao đổi"),
    "Explanation": pgettext_lazy("audit object", "Giải trình"),
    "Publication": pgettext_lazy("audit object", "Bản công bố"),
    "Unit": pgettext_lazy("audit object", "Đơn vị"),
    "Role": pgettext_lazy("audit object", "Vai trò"),
    "ApiToken": pgettext_lazy("audit object", "Khoá API"),
    "FrameworkVersion": pgettext_lazy("audit object", "Bộ tiêu chí"),
    "Plan": pgettext_lazy("audit object", "Kế hoạch"),
    "Target": pgettext_lazy("audit object", "Mục tiêu"),
    "Task": pgettext_lazy("audit object", "Nhiệm vụ"),
    "TaskFile": pgettext_lazy("audit object", "Tệp của nhiệm vụ"),
    "Responsibility": pgettext_lazy("audit object", "Phân công"),
    "Boundary": pgettext_lazy("audit object", "Bản đồ"),
}

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def field_name(field: str) -> str:
    """``self_raw`` → *Giá trị tự đánh giá*; a field kept with its criterion
    (``responsible 1.2``) names both."""
    head, _, rest = field.partition(" ")
    if head == "responsible":
        return (pgettext("audit field", "Phân công") + " " + rest).strip()
    known = FIELD_NAMES.get(field)
    return str(known) if known else field


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
    if entry.object_type == "Cycle" and entry.field == "created" and value:
        return _framework_name(value, lang)  # a cycle is created with its criteria set's code
    if _NUMBER.match(value) and "." in value:
        return format_number(float(value), lang, 2)
    if entry.field == "ranked" and value in ("True", "False"):
        return gettext("có") if value == "True" else gettext("không")
    return value


def _framework_name(code: str, lang: str) -> str:
    """A criteria set's name for its code; the code itself when no set has it any more."""
    try:
        return framework_by_code(code).name_in(lang)
    except Refusal:
        return code


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
            kind = str(OBJECT_NAMES[model.__name__])
            names[model.__name__, str(row.pk)] = kind + ": " + leaf_name(row.leaf)
    for sheet in ScoreSheet.objects.filter(pk__in=wanted.get("ScoreSheet", ())).select_related(
        "unit"
    ):
        kind = str(OBJECT_NAMES["ScoreSheet"])
        names["ScoreSheet", str(sheet.pk)] = kind + ": " + sheet.unit.name
    for cycle in Cycle.objects.filter(pk__in=wanted.get("Cycle", ())):
        names["Cycle", str(cycle.pk)] = cycle.name
    for pub in Publication.objects.filter(pk__in=wanted.get("Publication", ())):
        kind = str(OBJECT_NAMES["Publication"])
        names["Publication", str(pub.pk)] = kind + " " + str(pub.pk)
    return names


def object_name(entry: AuditEntry, names: dict[tuple[str, str], str]) -> str:
    found = names.get((entry.object_type, entry.object_id))
    if found:
        return found
    kind = OBJECT_NAMES.get(entry.object_type)
    shown = str(kind) if kind else entry.object_type
    return shown + " " + entry.object_id


COLUMNS = ("at", "actor", "object", "field", "old", "new", "reason")
"""The keys of :func:`readable_rows`, in the order of :func:`header`."""


def header() -> list[str]:
    """The audit CSV's column names in the reader's language (one home for every audit CSV)."""
    return [
        gettext("Thời điểm"),
        gettext("Người thực hiện"),
        pgettext("audit column", "Đối tượng"),
        gettext("Nội dung"),
        gettext("Trước"),
        gettext("Sau"),
        gettext("Lý do"),
    ]


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
