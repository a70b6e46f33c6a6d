"""The rows of a score sheet's page: everything a row shows (names, values, what may be typed,
the evidence and the thread), decided here once so the template only prints."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from chiso.numbers import format_number
from chiso.web.core import pagecache
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


@dataclass(frozen=True)
class LeafShown:
    """What a row shows of its leaf. Rows hold plain values only, so a row's ``repr`` is all
    it shows (:func:`rows_html` keeps rendered rows by it)."""

    pk: int
    version: int
    self_raw: str
    appraisal_reason: str


@dataclass(frozen=True)
class FileShown:
    """An evidence file as its leaf's row lists it."""

    url: str
    original_name: str


@dataclass(frozen=True)
class MessageShown:
    """A message of a leaf's thread as its row shows it (its kind in the reader's language)."""

    kind: str
    author: str
    text: str


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


_PK = 987654321  # a stand-in id, replaced by each object's in the addresses below


def addresses(name: str) -> Callable[[int], str]:
    """The address of view ``name`` for any object's id, reversed once (a sheet's hundred
    leaves each have four addresses: reversing each was a fifth of a sheet's rendering)."""
    pattern = reverse(name, args=[_PK]).replace(str(_PK), "{}")
    return pattern.format


def tree_rows(
    sheet: ScoreSheet, lang: str, central: bool, only: str | None = None
) -> list[dict[str, Any]]:
    """Everything a row shows, in the order of the framework's tree (with ``only``, the one
    row of that leaf: what a save swaps in place)."""
    labels = sheet_labels()
    accept_url = reverse("cycles:sheet-accept", args=[sheet.pk])
    save_url, history_url, upload_url, message_url, evidence_url = (
        addresses(f"cycles:{name}")
        for name in ("leaf-save", "leaf-history", "evidence-upload", "leaf-message", "evidence")
    )
    fw = framework_of(sheet.cycle)
    leaves = {leaf.code: leaf for leaf in sheet.leaves.filter(**_only(only))}
    evidence: dict[int, list[FileShown]] = {}
    for e in Evidence.objects.filter(leaf__sheet=sheet, **_only(only, "leaf__")).order_by("id"):
        evidence.setdefault(e.leaf_id, []).append(FileShown(evidence_url(e.pk), e.original_name))
    threads: dict[int, list[MessageShown]] = {}
    for m in Message.objects.filter(leaf__sheet=sheet, **_only(only, "leaf__")).select_related(
        "author"
    ):
        shown = MessageShown(str(m.get_kind_display()), m.author.username, m.text)
        threads.setdefault(m.leaf_id, []).append(shown)
    rows: list[dict[str, Any]] = []

    def number(x: float | None) -> str:
        return "" if x is None else format_number(x, lang, 2)

    def walk(node: Any, depth: int) -> None:
        leaf = leaves.get(node.code)
        name = node.name_in(lang)
        row: dict[str, Any] = {
            "code": node.code,
            "name": name,
            "leaf": None
            if leaf is None
            else LeafShown(leaf.pk, leaf.version, leaf.self_raw, leaf.appraisal_reason),
            "indent": f"{1.2 * depth:.1f}em",
            "max": "?" if node.max is None else number(node.max),
            "anchor": f"leaf-{leaf.pk}" if leaf else f"node-{node.code}",
            "accept_url": accept_url,
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
                    "save_url": save_url(leaf.pk),
                    "history_url": history_url(leaf.pk),
                    "upload_url": upload_url(leaf.pk),
                    "message_url": message_url(leaf.pk),
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


KEEP_SECONDS = 3600


def rows_key(sheet: ScoreSheet, lang: str, context: dict[str, Any]) -> str:
    """The key under which the rendered rows of ``sheet`` are kept for one reading of them:
    the language and what the reader may do (the template's flags and labels)."""
    flags = ":".join(f"{k}={int(v)}" for k, v in sorted(context.items()) if isinstance(v, bool))
    button = context["L"]["message_button"]
    return pagecache.key("sheet-rows", sheet.pk, lang, pagecache.digest(flags + button))


def rows_html(rows: list[dict[str, Any]], context: dict[str, Any], kept_as: str | None) -> str:
    """The rows' HTML (cycles/sheet_row.html for each, with ``context``). With ``kept_as``,
    each row is rendered once and kept under that key beside the other rows of its sheet, by
    what it shows (its ``repr``: rows hold plain values only): after a save, a sheet of a
    hundred rows renders the one row that changed. Only the rows of the last rendering are
    kept."""
    template = get_template("cycles/sheet_row.html").template
    kept = cache.get(kept_as) if kept_as else None
    before: dict[bytes, str] = kept if isinstance(kept, dict) else {}
    made: dict[bytes, str] = {}
    shown = []
    values = Context(context, autoescape=True)
    for row in rows:
        name = hashlib.blake2b(repr(sorted(row.items())).encode(), digest_size=16).digest()
        html = before.get(name)
        if html is None:
            with values.push(row=row):
                html = template.render(values)
        made[name] = html
        shown.append(html)
    if kept_as and made.keys() != before.keys():
        cache.set(kept_as, made, timeout=KEEP_SECONDS)
    return "".join(shown) + "\n"  # as the rows always ended (pages stay byte for byte)
