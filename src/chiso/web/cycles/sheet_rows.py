"""The rows of a score sheet's page: everything a row shows (names, values, what may be typed,
the evidence and the thread), decided here once so the template only prints."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.template import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, gettext, gettext_noop, pgettext_lazy

from chiso.numbers import format_number
from chiso.web.core import pagecache, rows
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles.models import Evidence, LeafScore, Message, ScoreSheet

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
    """What a row's template reads of its leaf."""

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
    """The row labels in the active language (a copy: the caller may add its own), translated
    once per language and process (the catalogues are read once, at start)."""
    lang = get_language()
    labels = _labels.get(lang)
    if labels is None:
        labels = {key: gettext(text) for key, text in SHEET_LABELS.items()}
        labels |= {key: str(text) for key, text in SHEET_BUTTONS.items()}
        _labels[lang] = labels
    return dict(labels)


_labels: dict[str | None, dict[str, str]] = {}


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
    leaves each have four addresses: reversing each was a fifth of a sheet's rendering) for
    each prefix and set of addresses a request may be served under."""
    at = (name, get_script_prefix(), get_urlconf())
    pattern = _patterns.get(at)
    if pattern is None:
        pattern = _patterns[at] = reverse(name, args=[_PK]).replace(str(_PK), "{}")
    return pattern.format


_patterns: dict[tuple[str, str, Any], str] = {}


class LeafRead(NamedTuple):
    """A leaf as its row reads it: every field the row shows, and nothing else (so two equal
    reads of a leaf make the same row, whichever path changed it and whether or not that path
    moved its ``version`` on)."""

    pk: int
    code: str
    version: int
    self_raw: str
    self_points: float | None
    self_na: bool
    appraised_points: float | None
    appraised_na: bool
    appraisal_reason: str


@dataclass(frozen=True)
class SheetRead:
    """What a sheet's rows show that is not in its framework: its leaves by code, and each
    leaf's evidence files (id, name) and thread (kind's code, author, text), oldest first."""

    leaves: dict[str, LeafRead]
    evidence: dict[int, tuple[tuple[int, str], ...]]
    threads: dict[int, tuple[tuple[str, str, str], ...]]

    def of(
        self, code: str
    ) -> tuple[LeafRead | None, tuple[tuple[int, str], ...], tuple[tuple[str, str, str], ...]]:
        """What the row of node ``code`` reads: its leaf (None for an inner node), the leaf's
        files and its thread."""
        leaf = self.leaves.get(code)
        if leaf is None:
            return None, (), ()
        return leaf, self.evidence.get(leaf.pk, ()), self.threads.get(leaf.pk, ())


_sql: dict[tuple[str, str, bool], str] = {}


def _query(name: str, only: bool) -> str:
    """Query ``name``'s SQL for this database (with ``only``: of one leaf's code), written
    once from the models' metadata (:mod:`chiso.web.core.rows`): the ORM built the three
    queries afresh on every rendering, at several times the database's own cost."""
    key = (name, connection.vendor, only)
    sql = _sql.get(key)
    if sql is None:

        def col(model: type[Model], field: str, alias: str) -> str:
            return rows.column(model, field, alias, connection)

        def table(model: type[Model]) -> str:
            return rows.table(model, connection)

        author = Message._meta.get_field("author").related_model
        leaf_fields = ("id", *LeafRead._fields[1:])
        select = {
            "leaves": ", ".join(col(LeafScore, f, "l") for f in leaf_fields),
            "files": f"{col(Evidence, 'leaf_id', 'e')}, {col(Evidence, 'id', 'e')},"
            f" {col(Evidence, 'original_name', 'e')}",
            "threads": f"{col(Message, 'leaf_id', 'm')}, {col(Message, 'kind', 'm')},"
            f" {col(author, 'username', 'u')}, {col(Message, 'text', 'm')}",
        }[name]
        joins = {
            "leaves": "",
            "files": f" INNER JOIN {table(Evidence)} e"
            f" ON {col(Evidence, 'leaf_id', 'e')} = {col(LeafScore, 'id', 'l')}",
            "threads": f" INNER JOIN {table(Message)} m"
            f" ON {col(Message, 'leaf_id', 'm')} = {col(LeafScore, 'id', 'l')}"
            f" INNER JOIN {table(author)} u"
            f" ON {col(author, 'id', 'u')} = {col(Message, 'author_id', 'm')}",
        }[name]
        order = {
            "leaves": "",
            "files": f" ORDER BY {col(Evidence, 'id', 'e')}",
            # as Message's own ordering
            "threads": f" ORDER BY {col(Message, 'created_at', 'm')}, {col(Message, 'id', 'm')}",
        }[name]
        where = f" WHERE {col(LeafScore, 'sheet_id', 'l')} = %s"
        if only:
            where += f" AND {col(LeafScore, 'code', 'l')} = %s"
        sql = _sql[key] = f"SELECT {select} FROM {table(LeafScore)} l{joins}{where}{order}"
    return sql


def read_sheet(sheet: ScoreSheet, only: str | None = None) -> SheetRead:
    """The sheet's leaves, evidence and threads (with ``only``, of that leaf alone), read as
    plain values in three queries: no model is made (a sheet's hundred leaves made as models
    were a third of its rendering)."""
    params = [sheet.pk] if only is None else [sheet.pk, only]
    with connection.cursor() as cursor:
        cursor.execute(_query("leaves", only is not None), params)
        leaves = {
            code: LeafRead(pk, code, version, raw, points, bool(na), appraised, bool(a_na), why)
            for pk, code, version, raw, points, na, appraised, a_na, why in cursor.fetchall()
        }
        cursor.execute(_query("files", only is not None), params)
        evidence: dict[int, list[tuple[int, str]]] = {}
        for leaf_id, pk, name in cursor.fetchall():
            evidence.setdefault(leaf_id, []).append((pk, name))
        cursor.execute(_query("threads", only is not None), params)
        threads: dict[int, list[tuple[str, str, str]]] = {}
        for leaf_id, kind, author, text in cursor.fetchall():
            threads.setdefault(leaf_id, []).append((kind, author, text))
    return SheetRead(
        leaves,
        {k: tuple(v) for k, v in evidence.items()},
        {k: tuple(v) for k, v in threads.items()},
    )


def _tree(nodes: Any, depth: int = 0) -> Iterator[tuple[Any, int]]:
    """Every node of the framework with its depth, in the order of the tree."""
    for node in nodes:
        yield node, depth
        yield from _tree(node.children, depth + 1)


class _RowMaker:
    """Makes the row of one node of a sheet for one reading of it (language, central points)."""

    def __init__(self, sheet: ScoreSheet, lang: str, central: bool) -> None:
        self.lang, self.central = lang, central
        self.labels = sheet_labels()
        self.accept_url = addresses("cycles:sheet-accept")(sheet.pk)
        self.save_url, self.history_url, self.upload_url, self.message_url, self.evidence_url = (
            addresses(f"cycles:{name}")
            for name in ("leaf-save", "leaf-history", "evidence-upload", "leaf-message", "evidence")
        )
        kinds = Message._meta.get_field("kind").flatchoices
        self.kinds = {code: str(label) for code, label in kinds}

    def number(self, x: float | None) -> str:
        return "" if x is None else format_number(x, self.lang, 2)

    def row(
        self,
        node: Any,
        depth: int,
        leaf: LeafRead | None,
        files: tuple[tuple[int, str], ...],
        thread: tuple[tuple[str, str, str], ...],
    ) -> dict[str, Any]:
        """Everything the row of ``node`` (at ``depth``) shows of ``leaf``, its ``files`` and
        its ``thread``."""
        lang, labels, number = self.lang, self.labels, self.number
        row: dict[str, Any] = {
            "code": node.code,
            "name": node.name_in(lang),
            "leaf": None
            if leaf is None
            else LeafShown(leaf.pk, leaf.version, leaf.self_raw, leaf.appraisal_reason),
            "indent": f"{1.2 * depth:.1f}em",
            "max": "?" if node.max is None else number(node.max),
            "anchor": f"leaf-{leaf.pk}" if leaf else f"node-{node.code}",
            "accept_url": self.accept_url,
        }
        if leaf is None:
            return row
        options: list[tuple[str, str, bool]] = []
        if node.rule.kind == "choice":
            options = [
                (o.value, o.name_in(lang) or o.value, leaf.self_raw == o.value)
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
                "save_url": self.save_url(leaf.pk),
                "history_url": self.history_url(leaf.pk),
                "upload_url": self.upload_url(leaf.pk),
                "message_url": self.message_url(leaf.pk),
                "self_shown": "KAD" if leaf.self_na else typed_number(leaf.self_raw, lang),
                "self_points": number(leaf.self_points),
                # what may be typed: points up to the maximum, or a rate up to its full scale
                "input_max": input_max(node),
                "appraised": "KAD" if leaf.appraised_na else number(leaf.appraised_points),
                "central": self.central and node.source in ("survey", "central", "data"),
                "evidence": [FileShown(self.evidence_url(pk), name) for pk, name in files],
                "messages": [
                    MessageShown(self.kinds.get(kind, kind), author, text)
                    for kind, author, text in thread
                ],
            }
        )
        return row


def tree_rows(
    sheet: ScoreSheet, lang: str, central: bool, only: str | None = None
) -> list[dict[str, Any]]:
    """Everything a row shows, in the order of the framework's tree (with ``only``, the one
    row of that leaf: what a save swaps in place)."""
    read = read_sheet(sheet, only)
    maker = _RowMaker(sheet, lang, central)
    made = []
    for node, depth in _tree(framework_of(sheet.cycle).nodes):
        if only is not None and only != node.code:
            continue
        leaf, files, thread = read.of(node.code)
        made.append(maker.row(node, depth, leaf, files, thread))
    return made


KEEP_SECONDS = 3600


def rows_key(sheet: ScoreSheet, lang: str, central: bool, context: dict[str, Any]) -> str:
    """The key under which the rendered rows of ``sheet`` are kept for one reading of them:
    the language, whether central points are typed here, and what the reader may do (the
    template's flags and labels). The sheet's framework is its cycle's, which never changes
    once the cycle is opened."""
    flags = ":".join(f"{k}={int(v)}" for k, v in sorted(context.items()) if isinstance(v, bool))
    button = context["L"]["message_button"]
    return pagecache.key(
        "sheet-row-html", sheet.pk, lang, int(central), pagecache.digest(flags + button)
    )


def sheet_rows_html(
    sheet: ScoreSheet, lang: str, central: bool, context: dict[str, Any], kept_as: str
) -> str:
    """The HTML of every row of the sheet (cycles/sheet_row.html for each, with ``context``),
    each rendered once and kept under ``kept_as`` beside the other rows of its sheet, by what
    it reads (its node's code, its leaf's fields, its files and its thread: the rest of what
    a row shows comes from the framework and from what ``kept_as`` names). After a save, a
    sheet of a hundred rows reads its leaves as plain values and makes and renders the one
    row that changed. Only the rows of the last rendering are kept."""
    read = read_sheet(sheet)
    template = get_template("cycles/sheet_row.html").template
    kept = cache.get(kept_as)
    before: dict[tuple[Any, ...], str] = kept if isinstance(kept, dict) else {}
    made: dict[tuple[Any, ...], str] = {}
    shown = []
    maker: _RowMaker | None = None
    values = Context(context, autoescape=True)
    for node, depth in _tree(framework_of(sheet.cycle).nodes):
        leaf, files, thread = read.of(node.code)
        name = (node.code, leaf and tuple(leaf), files, thread)
        html = before.get(name)
        if html is None:
            maker = maker or _RowMaker(sheet, lang, central)
            with values.push(row=maker.row(node, depth, leaf, files, thread)):
                html = template.render(values)
        made[name] = html
        shown.append(html)
    if made.keys() != before.keys():
        cache.set(kept_as, made, timeout=KEEP_SECONDS)
    return "".join(shown) + "\n"  # as the rows always ended (pages stay byte for byte)


def rows_html(rows: list[dict[str, Any]], context: dict[str, Any]) -> str:
    """The HTML of ``rows`` (cycles/sheet_row.html for each, with ``context``), made afresh:
    the one row a save answers with, which may carry a note or an error."""
    template = get_template("cycles/sheet_row.html").template
    values = Context(context, autoescape=True)
    shown = []
    for row in rows:
        with values.push(row=row):
            shown.append(template.render(values))
    return "".join(shown) + "\n"
