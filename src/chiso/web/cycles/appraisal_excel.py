"""The appraiser's Excel sheet, like the officer's (:mod:`.sheets_excel`): the unit's values with
a column for the appraised points and one for the reason, filled offline and read back. The
file names its unit in cell A1, so a file of another unit is refused; every row is checked
(points up to the maximum, a cut needs its reason, KAD for not applicable), every problem is
reported with its row and column, and nothing is saved unless all is well. Rows whose points
and reason are as they stand are no change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext, pgettext

from chiso.numbers import NotANumber, format_number, parse_decimal
from chiso.problems import ProblemReport, Refusal
from chiso.tables.sources import typed_cell
from chiso.web.core import feedback
from chiso.web.core.frameworks import framework_of
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import policy, scores
from chiso.web.cycles.models import LeafScore, ScoreSheet
from chiso.web.cycles.sheet_workbook import Layout, node_rows, workbook
from chiso.web.cycles.sheets_excel import filled_rows, leaf_code

COLUMNS = 7  # code, criterion, maximum, self value, self points, appraised points, reason
POINTS, REASON = 5, 6  # columns F and G, counted from 0


def template(sheet: ScoreSheet) -> bytes:
    """The sheet's leaves with the unit's values and the appraisal as it stands."""
    lang = feedback.lang()
    leaves = {x.code: x for x in sheet.leaves.all()}
    layout = Layout(
        worksheet=pgettext("worksheet", "Thẩm định"),
        title=[sheet.unit.code, f"{sheet.unit.name} — {sheet.cycle.name}"],
        instruction=gettext(
            "Điền cột F (điểm, hoặc KAD nếu không áp dụng) và G (lý do khi trừ điểm). "
            "Không sửa cột A và ô A1."
        ),
        header=[
            pgettext("sheet column", "Mã"),
            pgettext("sheet column", "Tiêu chí"),
            pgettext("sheet column", "Điểm tối đa"),
            pgettext("sheet column", "Giá trị tự đánh giá"),
            pgettext("sheet column", "Điểm tự đánh giá"),
            pgettext("sheet column", "Điểm thẩm định"),
            pgettext("sheet column", "Lý do trừ điểm"),
        ],
        inputs=(POINTS + 1, REASON + 1),
        widths={"B": 70, "G": 40},
    )

    def cells(node: Any, leaf: LeafScore) -> list[Any]:
        given: Any = "KAD" if leaf.appraised_na else leaf.appraised_points
        own: Any = "KAD" if leaf.self_na else leaf.self_raw
        return [own, leaf.self_points, given, leaf.appraisal_reason]

    return workbook(layout, node_rows(framework_of(sheet.cycle), leaves, lang, cells))


@dataclass(frozen=True)
class Appraised:
    points: float | None
    na: bool
    reason: str


@dataclass(frozen=True)
class UploadResult:
    read: int
    changed: int


def _text(cell: Any) -> str:
    value = typed_cell(cell)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())


def upload(actor: Any, sheet: ScoreSheet, data: bytes | IO[bytes], name: str) -> UploadResult:
    """Read a filled appraisal sheet; raise Refusal with every problem, or save every row that
    changes (each through :func:`.scores.appraise`, so each is checked and audited)."""
    if not policy.can_appraise(actor, sheet):
        raise forbidden()
    fw = framework_of(sheet.cycle)
    codes = {n.code for n in fw.walk()}
    leaves = {x.code: x for x in LeafScore.objects.filter(sheet=sheet)}
    report = ProblemReport()
    found: dict[str, Appraised] = {}
    for row_number, row in filled_rows(data, name, len(codes), COLUMNS, report):
        if row_number == 1:
            unit = _text(row[0]) if row else ""
            if unit != sheet.unit.code:
                # the file of another unit: nothing in it is read
                report.add("appraisal.file_other_unit", name, 1, "A", unit=unit)
                raise Refusal(report)
            continue
        code = leaf_code(row, row_number, leaves, codes, sheet, name, report)
        if code is None:
            continue
        leaf = leaves[code]
        text = _text(row[POINTS]) if len(row) > POINTS else ""
        reason = _text(row[REASON]) if len(row) > REASON else ""
        if not text and not reason:
            continue  # a row left empty is no change
        appraised = _read(report, name, row_number, leaf, fw.node(code), text, reason)
        if appraised is not None:
            found[code] = appraised
    if report:
        raise Refusal(report)
    changed = 0
    with transaction.atomic():
        for code, appraised in found.items():
            leaf = LeafScore.objects.get(pk=leaves[code].pk)
            leaf.sheet = sheet
            before = leaf.version
            after = scores.appraise(
                actor, leaf, appraised.points, appraised.reason, leaf.version, na=appraised.na
            )
            changed += after.version != before
    return UploadResult(len(found), changed)


def _read(
    report: ProblemReport,
    name: str,
    row: int,
    leaf: LeafScore,
    node: Any,
    text: str,
    reason: str,
) -> Appraised | None:
    """One row's appraisal, or None after adding its problem to ``report``."""
    if text.casefold() in scores.NA_TOKENS:
        if leaf.self_points and not reason:
            report.add("cycle.reason_required", name, row, "G")
            return None
        return Appraised(None, True, reason)
    try:
        points = parse_decimal(text)
    except NotANumber:
        report.add("cycle.not_number", name, row, "F", value=text)
        return None
    if points is not None:
        if points < 0:
            report.add("value.negative", name, row, "F", value=text)
            return None
        if node.max is not None and points > node.max + 1e-9:
            shown = format_number(node.max, "vi", 2)
            report.add("value.above_max", name, row, "F", value=text, max=shown, node=leaf.code)
            return None
        if (leaf.self_points is None or points < leaf.self_points - 1e-9) and not reason:
            report.add("cycle.reason_required", name, row, "G")
            return None
    return Appraised(points, False, reason)
