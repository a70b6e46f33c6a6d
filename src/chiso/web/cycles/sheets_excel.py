"""A score sheet as an Excel template to fill offline, and the upload that reads it back:
every row checked by the framework's rules, every problem reported, nothing saved unless
all is well."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext, pgettext

from chiso.numbers import format_short
from chiso.office import UPLOAD, open_workbook
from chiso.problems import ProblemReport, Refusal
from chiso.tables.sources import typed_cell
from chiso.web.core import feedback
from chiso.web.core.frameworks import framework_of
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import policy, scores
from chiso.web.cycles.models import LeafScore, ScoreSheet
from chiso.web.cycles.sheet_workbook import Layout, node_rows, workbook

COLUMNS = 5  # code, criterion, maximum, how it is scored, the value (read back from column E)
VALUE = 4  # column E, counted from 0
MAX_BYTES = 2 * 1024 * 1024  # a filled template of the largest framework is a few tens of KB
EXTRA_ROWS = 200  # rows beyond the framework's nodes (notes, blank lines) before refusing


def _rule_hint(node: Any, lang: str) -> str:
    """How the leaf's value is written, in the reader's language: the choice options and the
    yes/no words are values the upload accepts as written."""
    rule = node.rule
    if rule.kind == "choice":
        options = " / ".join(o.value for o in rule.options)
        return gettext("Chọn: %(options)s") % {"options": options}
    if rule.kind == "yes_no":
        return gettext("có / không")
    if rule.kind == "bands":
        return gettext("Tỷ lệ hoặc số đo (điểm theo khoảng)")
    if rule.kind == "proportional":
        return gettext("Tỷ lệ (0 – %(full)s)") % {"full": format_short(rule.full, lang)}
    if rule.kind == "deduction":
        return gettext("Số lần vi phạm")
    return gettext("Điểm")


def template(sheet: ScoreSheet) -> bytes:
    """The sheet's leaves with their current self-assessed values; KAD for not applicable."""
    lang = feedback.lang()
    leaves = {x.code: x for x in sheet.leaves.all()}
    layout = Layout(
        worksheet=pgettext("worksheet", "Tự đánh giá"),
        title=[f"{sheet.unit.name} — {sheet.cycle.name}"],
        instruction=gettext("Điền cột E; ghi KAD nếu tiêu chí không áp dụng. Không sửa cột A."),
        header=[
            pgettext("sheet column", "Mã"),
            pgettext("sheet column", "Tiêu chí"),
            pgettext("sheet column", "Điểm tối đa"),
            pgettext("sheet column", "Cách chấm"),
            pgettext("sheet column", "Giá trị tự đánh giá"),
        ],
        inputs=(VALUE + 1,),
        widths={"B": 70, "D": 30, "E": 22},
    )

    def cells(node: Any, leaf: LeafScore) -> list[Any]:
        return [_rule_hint(node, lang), "KAD" if leaf.self_na else leaf.self_raw]

    return workbook(layout, node_rows(framework_of(sheet.cycle), leaves, lang, cells))


@dataclass(frozen=True)
class UploadResult:
    saved: int


def filled_rows(
    data: bytes | IO[bytes], name: str, nodes: int, columns: int, report: ProblemReport
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The numbered rows of a filled sheet's first worksheet (the officer's or the
    appraiser's), up to ``columns`` cells each.

    A file larger than :data:`MAX_BYTES` is refused before it is opened; so is one the office
    layer (:func:`chiso.office.open_workbook`) finds too large unzipped, too far compressed
    or with too many XML elements (a 56 KB zip bomb held the server for twenty seconds). One
    with more rows than the framework's ``nodes`` (plus the header and :data:`EXTRA_ROWS`) is
    refused at the first row too many, so a spreadsheet of 200,000 rows costs no more than one
    of the right size; the problems ``report`` holds by then follow that refusal."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    if size > MAX_BYTES:
        raise Refusal("cycle.file_too_large", limit=f"{MAX_BYTES / 2**20:g}")
    most = 3 + nodes + EXTRA_ROWS
    with open_workbook(stream, name, UPLOAD) as book:
        if not book.sheets:
            report.add("file.empty", name)
            raise Refusal(report)
        for row_number, row in book.sheets[0].rows(max_col=columns):
            if row_number > most:
                # the refusal first: the report lists only its first problems
                refused = ProblemReport()
                refused.add("file.too_many_rows", name, row_number, limit=most)
                refused.extend(report)
                raise Refusal(refused)
            yield row_number, row


def leaf_code(
    row: tuple[Any, ...],
    row_number: int,
    leaves: dict[str, LeafScore],
    codes: set[str],
    sheet: ScoreSheet,
    name: str,
    report: ProblemReport,
) -> str | None:
    """The code of the leaf a filled sheet's row (the officer's or the appraiser's) is for;
    None for the rows above the nodes, a blank row, a node above the leaves, or a code the
    framework does not have (then added to ``report`` with its row)."""
    if row_number <= 3 or not row or row[0] is None:
        return None
    code = str(typed_cell(row[0]) if not isinstance(row[0], str) else row[0]).strip()
    if code.endswith(".0"):
        code = code[:-2]  # a code Excel stored as a number: 2.0 for "2"
    if code in leaves:
        return code
    if code not in codes:
        report.add(
            "node.unknown",
            name,
            row_number,
            "A",
            node=code,
            framework=sheet.cycle.framework_code,
        )
    return None


def upload(actor: Any, sheet: ScoreSheet, data: bytes | IO[bytes], name: str) -> UploadResult:
    """Read a filled template (its bytes, or the uploaded file itself, read as a stream);
    raise Refusal with every problem, or save all rows. The file is read within bounds by
    :func:`filled_rows`."""
    if not policy.can_self_assess(actor, sheet):
        raise forbidden()
    report = ProblemReport()
    leaves = {x.code: x for x in LeafScore.objects.filter(sheet=sheet)}
    values: dict[str, tuple[str, int]] = {}
    codes = {n.code for n in framework_of(sheet.cycle).walk()}
    for row_number, row in filled_rows(data, name, len(codes), COLUMNS, report):
        code = leaf_code(row, row_number, leaves, codes, sheet, name, report)
        if code is None:
            continue
        cell = typed_cell(row[VALUE]) if len(row) > VALUE else None
        raw = "" if cell is None else (f"{cell:g}" if isinstance(cell, float) else cell)
        try:
            scores.parse_self_value(sheet.cycle, code, raw)
        except Refusal as err:
            report.add(err.rule, name, row_number, "E", **err.params)
            continue
        values[code] = (raw, row_number)
    if report:
        raise Refusal(report)
    with transaction.atomic():
        for code, (raw, _) in values.items():
            leaf = leaves[code]
            if raw != leaf.self_raw or (raw.upper() == "KAD") != leaf.self_na:
                scores.save_self_score(actor, leaf, raw, leaf.version)
    return UploadResult(len(values))
