"""The rows of a score sheet's page: everything a row shows (names, values, what may be typed,
the evidence and the thread), decided here once so the template only prints."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from chiso.numbers import format_number
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles.models import Evidence, Message, ScoreSheet

# labels of the sheet's rows, translated when a sheet is rendered (the rows are cached per
# language)
SHEET_LABELS = {
    "save": gettext_noop("Lưu"),
    "points": gettext_noop("điểm"),
    "appraised": gettext_noop("điểm thẩm định"),
    "reason": gettext_noop("lý do"),
    "reason_hint": gettext_noop("lý do trừ điểm"),
    "source": gettext_noop("nguồn"),
    "evidence_for": gettext_noop("tài liệu cho"),
    "attach": gettext_noop("Đính kèm"),
    "message": gettext_noop("nội dung"),
    "ask": gettext_noop("Yêu cầu giải trình"),
    "explain": gettext_noop("Giải trình"),
    "na": gettext_noop("không áp dụng"),
    "yes": gettext_noop("có"),
    "no": gettext_noop("không"),
    "history": gettext_noop("lịch sử"),
    "accept": gettext_noop("Chấp nhận điểm tự đánh giá của mục này"),
    "saved": gettext_noop("Đã lưu"),
}
# the buttons' verbs, which the catalogue also holds as the names of a stage or an action
SHEET_BUTTONS = {
    "appraise": pgettext_lazy("button", "Thẩm định"),
    "enter": pgettext_lazy("button", "Nhập"),
}


def sheet_labels() -> dict[str, str]:
    """The row labels in the active language."""
    labels = {key: gettext(text) for key, text in SHEET_LABELS.items()}
    return labels | {key: str(text) for key, text in SHEET_BUTTONS.items()}


def _only(code: str | None, prefix: str = "") -> dict[str, str]:
    return {} if code is None else {f"{prefix}code": code}


def input_max(node: Any) -> str:
    kind = node.rule.kind
    if kind == "points" and node.max is not None:
        return f"{node.max:g}"
    if kind == "proportional":
        return f"{node.rule.full:g}"
    return ""


def typed_number(raw: str, lang: str) -> str:
    """A value as typed (``66.6`` or ``66,6``) shown with the reader's decimal mark; any
    other text (an option, a date) as it was typed."""
    typed = raw.strip()
    if _TYPED_DECIMAL.match(typed):
        decimals = len(re.split(r"[.,]", typed)[1])
        return format_number(float(typed.replace(",", ".")), lang, decimals)
    return raw


_TYPED_DECIMAL = re.compile(r"^\d+[.,]\d+$")


def tree_rows(
    sheet: ScoreSheet, lang: str, central: bool, only: str | None = None
) -> list[dict[str, Any]]:
    """Everything a row shows, in the order of the framework's tree (with ``only``, the one
    row of that leaf: what a save swaps in place)."""
    labels = sheet_labels()
    fw = framework_of(sheet.cycle)
    leaves = {leaf.code: leaf for leaf in sheet.leaves.filter(**_only(only))}
    evidence: dict[int, list[Evidence]] = {}
    for e in Evidence.objects.filter(leaf__sheet=sheet, **_only(only, "leaf__")).order_by("id"):
        evidence.setdefault(e.leaf_id, []).append(e)
    threads: dict[int, list[Message]] = {}
    for m in Message.objects.filter(leaf__sheet=sheet, **_only(only, "leaf__")).select_related(
        "author"
    ):
        threads.setdefault(m.leaf_id, []).append(m)
    rows: list[dict[str, Any]] = []

    def number(x: float | None) -> str:
        return "" if x is None else format_number(x, lang, 2)

    def walk(node: Any, depth: int) -> None:
        leaf = leaves.get(node.code)
        name = node.name_in(lang)
        row: dict[str, Any] = {
            "code": node.code,
            "name": name,
            "leaf": leaf,
            "indent": f"{1.2 * depth:.1f}em",
            "max": "?" if node.max is None else number(node.max),
            "anchor": f"leaf-{leaf.pk}" if leaf else f"node-{node.code}",
            "accept_url": reverse("cycles:sheet-accept", args=[sheet.pk]),
        }
        if leaf is not None:
            options: list[tuple[str, str, bool]] = []
            if node.rule.kind == "choice":
                options = [
                    (
                        o.value,
                        o.name_in(lang) or o.value,
                        leaf.self_raw == o.value,
                    )
                    for o in node.rule.options
                ]
            elif node.rule.kind == "yes_no":
                options = [
                    ("có", labels["yes"], leaf.self_raw == "có"),
                    ("không", labels["no"], leaf.self_raw == "không"),
                ]
            if options:
                options = [("", "", False), *options, ("KAD", labels["na"], leaf.self_na)]
            row.update(
                {
                    "options": options,
                    "save_url": reverse("cycles:leaf-save", args=[leaf.pk]),
                    "self_shown": "KAD" if leaf.self_na else typed_number(leaf.self_raw, lang),
                    "self_points": number(leaf.self_points),
                    # what may be typed: points up to the maximum, or a rate up to its full scale
                    "input_max": input_max(node),
                    "appraised": "KAD" if leaf.appraised_na else number(leaf.appraised_points),
                    "central": central and node.source in ("survey", "central", "data"),
                    "evidence": evidence.get(leaf.pk, []),
                    "messages": threads.get(leaf.pk, []),
                }
            )
        if only is None or only == node.code:
            rows.append(row)
        for child in node.children:
            walk(child, depth + 1)

    for node in fw.nodes:
        walk(node, 0)
    return rows
