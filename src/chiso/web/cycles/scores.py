"""The scores of a sheet, leaf by leaf: the unit's self-assessment (typed, or read by the leaf's
rule), the appraiser's points, centrally assessed or survey points, the explanation thread's
messages, and submitting the sheet. Each asks the policy, checks the value by the framework's
rule, saves only what nobody changed meanwhile (a conflict otherwise), and writes the audit
trail. The cycle's stages and its publication are :mod:`.workflow`'s."""

from __future__ import annotations

import copy
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse

from chiso.numbers import NotANumber, parse_decimal
from chiso.problems import Refusal
from chiso.scoring.rules import RuleError, points_for
from chiso.web.accounts.policy import is_officer_of
from chiso.web.core.audit import audit
from chiso.web.core.frameworks import framework_of, plan_of
from chiso.web.core.refusals import conflict, forbidden
from chiso.web.cycles import policy
from chiso.web.cycles.models import Cycle, Explanation, LeafScore, Message, ScoreSheet

NA_TOKENS = {"na", "n/a", "kad", "không áp dụng"}
ACCEPTED = "chấp nhận điểm tự đánh giá"  # the audit trail's reason for an accepted leaf


def node_of(cycle: Cycle, code: str) -> Any:
    """The node ``code`` of the cycle's framework; an unknown code is refused."""
    fw = framework_of(cycle)
    try:
        return fw.node(code)
    except KeyError:
        raise Refusal("cycle.unknown_node", node=code) from None


def parse_self_value(cycle: Cycle, code: str, raw: str) -> tuple[float | None, bool]:
    """(points, not applicable) for what a unit typed for a leaf, by the leaf's rule."""
    node = node_of(cycle, code)
    text = " ".join(raw.split())
    if not text:
        return None, False
    if text.casefold() in NA_TOKENS:
        return None, True
    value: str | float = text
    if node.rule.kind not in ("choice", "yes_no"):
        try:
            number = parse_decimal(text)
        except NotANumber:
            raise Refusal("cycle.not_number", value=text) from None
        if number is None:  # not reached: the text is not empty
            raise Refusal("cycle.not_number", value=text)
        value = number
    try:
        points = points_for(node, value)
    except RuleError as err:
        raise Refusal(err.rule, **err.params) from None
    if points < node.min - 1e-9:
        raise Refusal("value.negative", value=text)
    if node.max is not None and points > node.max + 1e-9:
        raise Refusal("value.above_max", value=text, max=node.max, node=code)
    return points, False


def touch(sheet_id: int) -> None:
    """The sheet changed: pages that show it are rendered afresh."""
    ScoreSheet.objects.filter(pk=sheet_id).update(revision=F("revision") + 1)


def update_leaf(actor: Any, leaf: LeafScore, version: int, **fields: Any) -> LeafScore:
    """Save ``fields`` if nobody saved since ``version`` (every path that changes a leaf's
    points comes here: the scores below, a correction, an explanation's answer). Whatever
    path changes the value the leaf counts with, the survey's standard errors above it no
    longer describe the values.

    Every change of a leaf moves its ``version`` on, so a ``leaf`` read at ``version`` is the
    row the update replaces, and the row it leaves is that leaf with ``fields``: neither is
    read again (a save read the leaf twice and its sheet once more, a third of its time). A
    ``leaf`` read at another version is read afresh first, as it stands."""
    before = leaf if leaf.version == version else LeafScore.objects.get(pk=leaf.pk)
    updated = LeafScore.objects.filter(pk=leaf.pk, version=version).update(
        version=F("version") + 1, **fields
    )
    if not updated:
        raise conflict(LeafScore.objects.values_list("version", flat=True).get(pk=leaf.pk))
    errors = _touch_reading_errors(leaf.sheet_id)
    after = copy.copy(before)
    for name, value in fields.items():
        setattr(after, name, LeafScore._meta.get_field(name).to_python(value))
    after.version = version + 1
    if (before.final_points, before.final_na) != (after.final_points, after.final_na):
        _forget_errors_above(actor, leaf.sheet, leaf.code, errors)
    return after


def _touch_reading_errors(sheet_id: int) -> dict[str, Any]:
    """:func:`touch`, and the sheet's standard errors as it leaves them. One statement where
    the database returns what it updates (PostgreSQL, SQLite from 3.35); the row it moved on
    stays locked to the end of the transaction, so what it read is what a read for update
    would read."""
    field = ScoreSheet._meta.get_field("standard_errors")
    returning = connection.vendor in ("postgresql", "sqlite") and (
        connection.features.can_return_columns_from_insert
    )
    if not returning:
        touch(sheet_id)
        errors = ScoreSheet.objects.values_list("standard_errors", flat=True).get(pk=sheet_id)
        return dict(errors or {})
    sql = _touch_sql.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        revision = quote(ScoreSheet._meta.get_field("revision").column)
        sql = _touch_sql[connection.vendor] = (
            f"UPDATE {quote(ScoreSheet._meta.db_table)} SET {revision} = {revision} + 1"
            f" WHERE {quote(ScoreSheet._meta.pk.column)} = %s RETURNING {quote(field.column)}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [sheet_id])
        row = cursor.fetchone()
    if row is None:  # not reached: the leaf's sheet is there
        raise ScoreSheet.DoesNotExist
    value = row[0]
    column = field.get_col(ScoreSheet._meta.db_table)
    for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = convert(value, column, connection)
    return dict(value or {})


_touch_sql: dict[str, str] = {}


@transaction.atomic
def save_self_score(actor: Any, leaf: LeafScore, raw: str, version: int) -> LeafScore:
    sheet = leaf.sheet
    if not policy.can_self_assess(actor, sheet):
        raise forbidden()
    points, na = parse_self_value(sheet.cycle, leaf.code, raw)
    old = leaf.self_raw
    if raw.strip() == old:
        return leaf  # the same value again is no change: nothing saved, nothing audited
    leaf = update_leaf(actor, leaf, version, self_raw=raw.strip(), self_points=points, self_na=na)
    audit(actor, sheet.cycle, leaf, "self_raw", old, leaf.self_raw)
    return leaf


@transaction.atomic
def submit_sheet(actor: Any, sheet: ScoreSheet) -> ScoreSheet:
    if not policy.can_self_assess(actor, sheet):
        raise forbidden()
    sheet.state = ScoreSheet.SUBMITTED
    sheet.save(update_fields=["state"])
    touch(sheet.pk)
    audit(actor, sheet.cycle, sheet, "state", ScoreSheet.DRAFT, ScoreSheet.SUBMITTED)
    return sheet


@transaction.atomic
def withdraw_sheet(actor: Any, sheet: ScoreSheet) -> ScoreSheet:
    """The unit takes back its submitted sheet to change it, while self-assessment is open."""
    if not is_officer_of(actor, sheet.unit_id):
        raise forbidden()
    if not policy.can_withdraw(actor, sheet):
        raise Refusal("sheet.withdraw_closed")
    sheet.state = ScoreSheet.DRAFT
    sheet.save(update_fields=["state"])
    touch(sheet.pk)
    audit(actor, sheet.cycle, sheet, "state", ScoreSheet.SUBMITTED, ScoreSheet.DRAFT)
    return sheet


@transaction.atomic
def appraise(
    actor: Any,
    leaf: LeafScore,
    points: float | None,
    reason: str,
    version: int,
    na: bool = False,
) -> LeafScore:
    """Accept the self-score (``points`` None), set an appraised score, or find the criterion
    not applicable (``na``); a cut, or not applicable where the unit claimed points, needs a
    reason. The same points and reason again are no change: nothing saved, nothing audited."""
    sheet = leaf.sheet
    if not policy.can_appraise(actor, sheet):
        raise forbidden()
    node = node_of(sheet.cycle, leaf.code)
    reason = reason.strip()
    if na:
        points = None
        if leaf.self_points is not None and leaf.self_points > 1e-9 and not reason:
            raise Refusal("cycle.reason_required")
    if (points, na, reason) == (leaf.appraised_points, leaf.appraised_na, leaf.appraisal_reason):
        return leaf
    if points is not None:
        if points < 0 or (node.max is not None and points > node.max + 1e-9):
            raise Refusal(
                "value.above_max" if points > 0 else "value.negative",
                value=points,
                max=node.max,
                node=leaf.code,
            )
        if (leaf.self_points is None or points < leaf.self_points) and not reason:
            raise Refusal("cycle.reason_required")
    old = "KAD" if leaf.appraised_na else leaf.appraised_points
    leaf = update_leaf(
        actor, leaf, version, appraised_points=points, appraised_na=na, appraisal_reason=reason
    )
    audit(actor, sheet.cycle, leaf, "appraised_points", old, "KAD" if na else points, reason)
    return leaf


@transaction.atomic
def accept_self(actor: Any, sheet: ScoreSheet, under: str | None = None) -> int:
    """The appraiser accepts the unit's own scores for a domain (``under``) or the whole
    sheet in one action: every leaf the unit scored and nobody appraised yet takes the unit's
    points (or its 'not applicable'), each leaf in the audit trail. Leaves already appraised
    keep the appraiser's judgement; leaves the unit left empty stay empty. Returns how many
    leaves were accepted."""
    if not policy.can_appraise(actor, sheet):
        raise forbidden()
    fw = framework_of(sheet.cycle)
    if under:
        codes = {n.code for n in node_of(sheet.cycle, under).walk() if n.is_leaf}
    else:
        codes = {n.code for n in fw.leaves()}
    waiting = sheet.leaves.select_for_update().filter(
        code__in=codes, appraised_points__isnull=True, appraised_na=False
    )
    accepted = 0
    for leaf in waiting.order_by("code"):
        if leaf.self_na:
            fields: dict[str, Any] = {"appraised_na": True}
            new: Any = "KAD"
        elif leaf.self_points is not None:
            fields = {"appraised_points": leaf.self_points}
            new = leaf.self_points
        else:
            continue
        leaf.sheet = sheet
        update_leaf(actor, leaf, leaf.version, **fields)
        # the reason as stored text, read in the leaf's history like an appraiser's own
        audit(actor, sheet.cycle, leaf, "appraised_points", None, new, ACCEPTED)
        accepted += 1
    return accepted


@transaction.atomic
def enter_central_points(
    actor: Any, leaf: LeafScore, points: float, reason: str, version: int
) -> LeafScore:
    """Survey-sourced or centrally assessed points, entered by the administrator."""
    sheet = leaf.sheet
    if not policy.can_enter_central_points(actor, sheet.cycle):
        raise forbidden()
    node = node_of(sheet.cycle, leaf.code)
    if node.source not in ("survey", "central", "data"):
        raise Refusal("cycle.not_central", node=leaf.code)
    if points < 0 or (node.max is not None and points > node.max + 1e-9):
        raise Refusal("value.above_max", value=points, max=node.max, node=leaf.code)
    old = leaf.appraised_points
    leaf = update_leaf(actor, leaf, version, appraised_points=points, appraisal_reason=reason)
    audit(actor, sheet.cycle, leaf, "central_points", old, points, reason)
    return leaf


def _forget_errors_above(
    actor: Any, sheet: ScoreSheet, code: str, errors: dict[str, Any] | None = None
) -> None:
    """A point entered by hand is no longer the survey's estimate: the standard errors of the
    leaf, of the nodes above it and of the total no longer describe the values. ``errors``:
    the sheet's standard errors as read with its row locked (read here, locked, if not)."""
    if errors is None:
        errors = ScoreSheet.objects.select_for_update().get(pk=sheet.pk).standard_errors
    if not errors:
        return  # none to drop (most sheets: no survey sent any); the plan is not asked
    stale = {code, *plan_of(sheet.cycle).above(code)}
    dropped = {c: v for c, v in errors.items() if c in stale}
    if dropped:
        sheet.standard_errors = {c: v for c, v in errors.items() if c not in stale}
        sheet.save(update_fields=["standard_errors"])
        audit(actor, sheet.cycle, sheet, "standard_errors", dropped, None, code)


def is_cut(leaf: LeafScore) -> bool:
    """The appraiser gave fewer points than the unit claimed."""
    return (
        leaf.self_points is not None
        and leaf.appraised_points is not None
        and leaf.appraised_points < leaf.self_points - 1e-9
    )


def _refuse_answer_to_a_cut(leaf: LeafScore) -> None:
    """During the explanation stage the answer to a cut leaf is an explanation: one channel,
    which the appraiser reviews and which blocks finalising until answered. A message there
    would escape that loop, so the officer is sent to the explanations page (the API, which
    calls this function, is refused the same way)."""
    if is_cut(leaf) or Explanation.objects.filter(leaf=leaf).exists():
        raise Refusal(
            "explanation.use_page",
            node=leaf.code,
            url=reverse("cycles:sheet-explanations", args=[leaf.sheet_id]),
        )


@transaction.atomic
def add_message(actor: Any, leaf: LeafScore, text: str) -> Message:
    sheet = leaf.sheet
    if policy.can_request_explanation(actor, sheet):
        kind = Message.REQUEST
    elif policy.can_explain(actor, sheet):
        kind = Message.ANSWER
        _refuse_answer_to_a_cut(leaf)
    else:
        raise forbidden()
    if not text.strip():
        raise Refusal("cycle.empty_message")
    message = Message.objects.create(leaf=leaf, author=actor, kind=kind, text=text.strip())
    touch(sheet.pk)
    audit(actor, sheet.cycle, message, kind, None, text.strip())
    return message
