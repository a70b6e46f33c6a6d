"""Use cases of the assessment cycle. Each checks the policy, validates with the library,
changes state in one transaction and writes the audit trail. Views and the API call these."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from chiso.frameworks import Framework, framework_from_text
from chiso.frameworks.model import TOTAL_CODE
from chiso.frameworks.registry import builtin_paths, framework_text
from chiso.numbers import NotANumber, parse_decimal
from chiso.problems import Refusal
from chiso.scoring import Results, compile_plan, score
from chiso.scoring.plan import ScoringPlan
from chiso.scoring.rules import RuleError, points_for
from chiso.tables.writing import json_document
from chiso.web.accounts import policy
from chiso.web.cycles.models import (
    AuditEntry,
    Cycle,
    Explanation,
    FrameworkVersion,
    LeafScore,
    Message,
    Publication,
    ScoreSheet,
    Unit,
)

NA_TOKENS = {"na", "n/a", "kad", "không áp dụng"}
ORDER = [
    Cycle.DRAFT,
    Cycle.SELF,
    Cycle.APPRAISAL,
    Cycle.EXPLANATION,
    Cycle.FINALISED,
    Cycle.PUBLISHED,
]


class WorkflowError(Exception):
    """A refused action: ``rule`` names it (messages in web/cycles/messages.py)."""

    def __init__(self, rule: str, *, status: int = 400, **params: Any) -> None:
        super().__init__(rule)
        self.rule = rule
        self.status = status
        self.params = params


class Forbidden(WorkflowError):
    def __init__(self) -> None:
        super().__init__("cycle.forbidden", status=403)


class Conflict(WorkflowError):
    def __init__(self, current: int) -> None:
        super().__init__("cycle.conflict", status=409, current=current)


def audit(
    actor: Any, cycle: Cycle | None, obj: Any, field: str, old: Any, new: Any, reason: str = ""
) -> None:
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        cycle=cycle,
        object_type=type(obj).__name__,
        object_id=str(obj.pk),
        field=field,
        old="" if old is None else str(old),
        new="" if new is None else str(new),
        reason=reason,
    )


def framework_of(cycle: Cycle) -> Framework:
    """The framework the cycle was opened with (its stored YAML), read once per text: the
    library keeps it (``framework_from_text`` is cached), so a page asks as often as it likes."""
    return framework_from_text(cycle.framework_yaml, cycle.framework_code)


def plan_of(cycle: Cycle) -> ScoringPlan:
    """The compiled plan of the cycle's framework, made once per framework (``compile_plan``
    is cached)."""
    return compile_plan(framework_of(cycle))


def _framework_source(code: str) -> tuple[str, FrameworkVersion | None] | None:
    """The text a new use of ``code`` starts from: a province's uploaded framework at its
    newest version, else the built-in one of that code (a code, never a path); None when
    neither exists."""
    version = FrameworkVersion.objects.filter(code=code).order_by("-version").first()
    if version is not None:
        return version.yaml, version
    if code in {p.stem for p in builtin_paths()}:
        return framework_text(code), None
    return None


def framework_by_code(code: str) -> Framework:
    """The framework a code names, as everything outside a cycle reads it (the
    responsibility map, its drop-down, plans): as :func:`create_cycle` would open it now, else
    as the newest cycle opened with it stored it; an unknown code is a workflow error. A cycle
    itself always keeps its own copy (:func:`framework_of`)."""
    source = _framework_source(code)
    if source is not None:
        return framework_from_text(source[0], code)
    cycle = Cycle.objects.filter(framework_code=code).order_by("-pk").first()
    if cycle is None:
        raise WorkflowError("plans.unknown_framework", framework=code)
    return framework_of(cycle)


def framework_codes() -> list[str]:
    """Every code :func:`framework_by_code` knows: uploaded, built-in, and opened in a cycle."""
    return sorted(
        set(FrameworkVersion.objects.values_list("code", flat=True))
        | {p.stem for p in builtin_paths()}
        | set(Cycle.objects.values_list("framework_code", flat=True))
    )


@transaction.atomic
def create_cycle(
    actor: Any,
    name: str,
    year: int,
    framework: str,
    units: list[Unit],
    simulated: bool = False,
    windows: dict[str, Any] | None = None,
) -> Cycle:
    if not policy.can_manage(actor):
        raise Forbidden()
    # a province's uploaded framework opens at its newest version, which the cycle keeps
    source = _framework_source(framework)
    # an unknown code (or a path) is reported by the library as every importer reports it
    text, version = source if source is not None else (framework_text(framework), None)
    fw = framework_from_text(text, framework)
    cycle = Cycle.objects.create(
        name=name,
        year=year,
        framework_code=fw.code,
        framework_yaml=text,
        framework_version=version,
        simulated=simulated,
        **(windows or {}),
    )
    cycle.units.set(units)
    leaves = [leaf.code for leaf in fw.leaves()]
    for unit in units:
        sheet = ScoreSheet.objects.create(cycle=cycle, unit=unit)
        LeafScore.objects.bulk_create([LeafScore(sheet=sheet, code=c) for c in leaves])
    audit(actor, cycle, cycle, "created", None, fw.code)
    return cycle


@transaction.atomic
def advance(actor: Any, cycle: Cycle, to_state: str, reason: str = "") -> Cycle:
    """Move the cycle one step forward: windows open and close in order."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not policy.can_advance(actor, cycle, to_state):
        raise Forbidden()
    if to_state == Cycle.PUBLISHED:
        raise WorkflowError("cycle.use_publish")
    if to_state not in ORDER or ORDER.index(to_state) != ORDER.index(cycle.state) + 1:
        raise WorkflowError("cycle.bad_transition", current=cycle.state, target=to_state)
    if to_state == Cycle.FINALISED:
        # the chair finalises only when every explanation has its answer
        waiting = Explanation.objects.filter(
            leaf__sheet__cycle=cycle, outcome=Explanation.PENDING
        ).count()
        if waiting:
            raise WorkflowError("explanation.unanswered", count=waiting)
    old = cycle.state
    cycle.state = to_state
    cycle.save(update_fields=["state"])
    audit(actor, cycle, cycle, "state", old, to_state, reason)
    return cycle


def _node(cycle: Cycle, code: str) -> Any:
    fw = framework_of(cycle)
    try:
        return fw.node(code)
    except KeyError:
        raise WorkflowError("cycle.unknown_node", node=code) from None


def parse_self_value(cycle: Cycle, code: str, raw: str) -> tuple[float | None, bool]:
    """(points, not applicable) for what a unit typed for a leaf, by the leaf's rule."""
    node = _node(cycle, code)
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
            raise WorkflowError("cycle.not_number", value=text) from None
        if number is None:  # not reached: the text is not empty
            raise WorkflowError("cycle.not_number", value=text)
        value = number
    try:
        points = points_for(node, value)
    except RuleError as err:
        raise WorkflowError(err.rule, **err.params) from None
    if points < node.min - 1e-9:
        raise WorkflowError("value.negative", value=text)
    if node.max is not None and points > node.max + 1e-9:
        raise WorkflowError("value.above_max", value=text, max=node.max, node=code)
    return points, False


def touch(sheet_id: int) -> None:
    """The sheet changed: pages that show it are rendered afresh."""
    ScoreSheet.objects.filter(pk=sheet_id).update(revision=F("revision") + 1)


def _update_leaf(actor: Any, leaf: LeafScore, version: int, **fields: Any) -> LeafScore:
    """Save ``fields`` if nobody saved since ``version``. Whatever path changes the value the
    leaf counts with, the survey's standard errors above it no longer describe the values."""
    before = LeafScore.objects.get(pk=leaf.pk)
    updated = LeafScore.objects.filter(pk=leaf.pk, version=version).update(
        version=F("version") + 1, **fields
    )
    if not updated:
        raise Conflict(before.version)
    touch(leaf.sheet_id)
    after = LeafScore.objects.get(pk=leaf.pk)
    if (before.final_points, before.self_na) != (after.final_points, after.self_na):
        _forget_errors_above(actor, leaf.sheet, leaf.code)
    return after


@transaction.atomic
def save_self_score(actor: Any, leaf: LeafScore, raw: str, version: int) -> LeafScore:
    sheet = leaf.sheet
    if not policy.can_self_assess(actor, sheet):
        raise Forbidden()
    points, na = parse_self_value(sheet.cycle, leaf.code, raw)
    old = leaf.self_raw
    leaf = _update_leaf(actor, leaf, version, self_raw=raw.strip(), self_points=points, self_na=na)
    audit(actor, sheet.cycle, leaf, "self_raw", old, leaf.self_raw)
    return leaf


@transaction.atomic
def submit_sheet(actor: Any, sheet: ScoreSheet) -> ScoreSheet:
    if not policy.can_self_assess(actor, sheet):
        raise Forbidden()
    sheet.state = ScoreSheet.SUBMITTED
    sheet.save(update_fields=["state"])
    touch(sheet.pk)
    audit(actor, sheet.cycle, sheet, "state", ScoreSheet.DRAFT, ScoreSheet.SUBMITTED)
    return sheet


@transaction.atomic
def appraise(
    actor: Any, leaf: LeafScore, points: float | None, reason: str, version: int
) -> LeafScore:
    """Accept the self-score (``points`` None) or set an appraised score; a cut needs a reason."""
    sheet = leaf.sheet
    if not policy.can_appraise(actor, sheet):
        raise Forbidden()
    node = _node(sheet.cycle, leaf.code)
    reason = reason.strip()
    if points is not None:
        if points < 0 or (node.max is not None and points > node.max + 1e-9):
            raise WorkflowError(
                "value.above_max" if points > 0 else "value.negative",
                value=points,
                max=node.max,
                node=leaf.code,
            )
        if (leaf.self_points is None or points < leaf.self_points) and not reason:
            raise WorkflowError("cycle.reason_required")
    old = leaf.appraised_points
    leaf = _update_leaf(actor, leaf, version, appraised_points=points, appraisal_reason=reason)
    audit(actor, sheet.cycle, leaf, "appraised_points", old, points, reason)
    return leaf


@transaction.atomic
def enter_central_points(
    actor: Any, leaf: LeafScore, points: float, reason: str, version: int
) -> LeafScore:
    """Survey-sourced or centrally assessed points, entered by the administrator."""
    sheet = leaf.sheet
    if not policy.can_enter_central_points(actor, sheet.cycle):
        raise Forbidden()
    node = _node(sheet.cycle, leaf.code)
    if node.source not in ("survey", "central", "data"):
        raise WorkflowError("cycle.not_central", node=leaf.code)
    if points < 0 or (node.max is not None and points > node.max + 1e-9):
        raise WorkflowError("value.above_max", value=points, max=node.max, node=leaf.code)
    old = leaf.appraised_points
    leaf = _update_leaf(actor, leaf, version, appraised_points=points, appraisal_reason=reason)
    audit(actor, sheet.cycle, leaf, "central_points", old, points, reason)
    return leaf


def _forget_errors_above(actor: Any, sheet: ScoreSheet, code: str) -> None:
    """A point entered by hand is no longer the survey's estimate: the standard errors of the
    leaf, of the nodes above it and of the total no longer describe the values."""
    stale = {code, *plan_of(sheet.cycle).above(code)}
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    dropped = {c: v for c, v in sheet.standard_errors.items() if c in stale}
    if dropped:
        sheet.standard_errors = {c: v for c, v in sheet.standard_errors.items() if c not in stale}
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
        raise WorkflowError(
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
        raise Forbidden()
    if not text.strip():
        raise WorkflowError("cycle.empty_message")
    message = Message.objects.create(leaf=leaf, author=actor, kind=kind, text=text.strip())
    touch(sheet.pk)
    audit(actor, sheet.cycle, message, kind, None, text.strip())
    return message


@dataclass(frozen=True)
class CycleResults:
    results: Results
    sheets: list[ScoreSheet]


def compute_results(cycle: Cycle) -> CycleResults:
    """The library scores the final points of every sheet; nothing is computed here."""
    fw = framework_of(cycle)
    plan = plan_of(cycle)
    sheets = list(cycle.sheets.select_related("unit").order_by("unit__code"))
    given = np.full((plan.size, len(sheets)), np.nan)
    na = np.zeros((plan.size, len(sheets)), dtype=bool)
    index = {s.pk: i for i, s in enumerate(sheets)}
    for leaf in LeafScore.objects.filter(sheet__cycle=cycle):
        j = plan.positions.get(leaf.code)
        if j is None:
            continue
        u = index[leaf.sheet_id]
        if leaf.self_na and leaf.appraised_points is None:
            na[j, u] = True
        elif leaf.final_points is not None:
            given[j, u] = leaf.final_points
    ranked = np.array([s.ranked for s in sheets], dtype=bool)
    se = None
    if any(s.standard_errors for s in sheets):
        # the survey's standard errors, the total's in the plan's root row (TOTAL_CODE)
        se = np.full((plan.size, len(sheets)), np.nan)
        for u, sheet in enumerate(sheets):
            for code, value in sheet.standard_errors.items():
                j = plan.root if code == TOTAL_CODE else plan.positions.get(code)
                if j is not None:
                    se[j, u] = value
    results = score(fw, [s.unit.name for s in sheets], given, na, ranked, plan, se=se)
    return CycleResults(results, sheets)


def canonical_json(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Decision:
    """The decision that publishes (or corrects) the results: number, date, issuing body."""

    number: str = ""
    date: datetime.date | None = None
    body: str = ""

    @property
    def complete(self) -> bool:
        """A real publication names its decision in full: number, date and issuing body."""
        return bool(self.number.strip() and self.date and self.body.strip())

    def as_json(self) -> dict[str, Any] | None:
        if not self.number.strip():
            return None
        return {
            "number": self.number.strip(),
            "date": self.date.isoformat() if self.date else None,
            "body": self.body.strip(),
        }


def decision_of_publication(publication: Publication) -> Decision:
    """The decision a publication was issued under, as recorded with it."""
    return Decision(
        publication.decision_number, publication.decision_date, publication.decision_body
    )


@transaction.atomic
def publish(
    actor: Any, cycle: Cycle, reason: str = "", decision: Decision | None = None
) -> Publication:
    """Freeze the results as a snapshot with its SHA-256; a later call is a new revision (a
    correction): it must say why, and records the SHA-256 of the revision it replaces. Every
    revision is issued by its own decision (number, date, body; a correction cannot reuse the
    number of an earlier revision's); the snapshot carries it, so the hash covers it too."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not policy.can_publish(actor, cycle):
        raise Forbidden()
    if cycle.state not in (Cycle.FINALISED, Cycle.PUBLISHED):
        raise WorkflowError("cycle.not_finalised")
    last = cycle.publications.order_by("-revision").first()
    if last is not None and not reason.strip():
        raise WorkflowError("cycle.reason_required")
    if decision is None or not decision.complete:
        raise WorkflowError("cycle.decision_required")
    earlier = (
        cycle.publications.filter(decision_number=decision.number.strip())
        .order_by("revision")
        .first()
    )
    if earlier is not None:
        raise WorkflowError(
            "cycle.decision_reused", number=decision.number.strip(), revision=earlier.revision
        )
    # codes only (a group's code, never its name in one language): pages and files made from
    # the snapshot name the groups in their reader's language
    doc = json_document(compute_results(cycle).results, None)
    doc["cycle"] = {
        "id": cycle.pk,
        "name": cycle.name,
        "year": cycle.year,
        "simulated": cycle.simulated,
    }
    doc["publication"] = {
        "revision": (last.revision + 1) if last else 1,
        "reason": reason.strip(),
        "decision": decision.as_json(),
        "replaces_sha256": last.sha256 if last else None,
    }
    content = canonical_json(doc)
    publication = Publication.objects.create(
        cycle=cycle,
        revision=(last.revision + 1) if last else 1,
        created_by=actor,
        content=content,
        sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        reason=reason.strip(),
        decision_number=decision.number.strip(),
        decision_date=decision.date,
        decision_body=decision.body.strip(),
        replaces_sha256=last.sha256 if last else "",
    )
    old = cycle.state
    cycle.state = Cycle.PUBLISHED
    cycle.save(update_fields=["state"])
    audit(actor, cycle, publication, "published", old, publication.sha256, reason)
    # public pages point at the newest revision from now on
    transaction.on_commit(lambda: cache.delete(f"latest-publication:{cycle.pk}"))
    return publication


@transaction.atomic
def correct_leaf(actor: Any, leaf: LeafScore, points: float, reason: str) -> LeafScore:
    """A correction (đính chính) of a published cycle: the chair changes a leaf's points with
    a reason; the public sees it once a new revision is published."""
    sheet = leaf.sheet
    if not policy.can_correct(actor, sheet.cycle):
        raise Forbidden()
    node = _node(sheet.cycle, leaf.code)
    if not reason.strip():
        raise WorkflowError("cycle.reason_required")
    if points < node.min - 1e-9:
        raise WorkflowError(
            "value.below_min", value=f"{points:g}", min=f"{node.min:g}", node=leaf.code
        )
    if node.max is not None and points > node.max + 1e-9:
        raise WorkflowError(
            "value.above_max", value=f"{points:g}", max=f"{node.max:g}", node=leaf.code
        )
    leaf = LeafScore.objects.get(pk=leaf.pk)
    old = leaf.final_points
    leaf = _update_leaf(actor, leaf, leaf.version, appraised_points=points)
    audit(actor, sheet.cycle, leaf, "correction", old, points, reason.strip())
    return leaf


@transaction.atomic
def set_ranked(actor: Any, sheet: ScoreSheet, ranked: bool, reason: str = "") -> ScoreSheet:
    """Mark a unit "assessed, not ranked" in a cycle (or ranked again): it keeps its scores
    and group but takes no rank, and the others' ranks close up."""
    if not policy.can_set_ranked(actor, sheet.cycle):
        raise Forbidden()
    if sheet.cycle.state == Cycle.PUBLISHED and not reason.strip():
        raise WorkflowError("cycle.reason_required")
    old = sheet.ranked
    ScoreSheet.objects.filter(pk=sheet.pk).update(ranked=ranked)
    touch(sheet.pk)
    sheet.refresh_from_db()
    audit(actor, sheet.cycle, sheet, "ranked", old, ranked, reason.strip())
    return sheet


def ensure_input_error_is_workflow(exc: Refusal) -> WorkflowError:
    first = next(iter(exc.report))
    return WorkflowError(first.rule, **first.params)


@transaction.atomic
def create_unit(actor: Any, code: str, name: str, kind: str) -> Unit:
    if not policy.can_manage(actor):
        raise Forbidden()
    from chiso.vietnamese import nfc

    code, name = code.strip(), nfc(" ".join(name.split()))
    if not code or not name:
        raise WorkflowError("cycle.unit_incomplete")
    if "/" in name or name in (".", ".."):
        # the name is the last part of its public address (/results/…/units/<name>/)
        raise WorkflowError("cycle.unit_bad_name", name=name)
    if Unit.objects.filter(code=code).exists():
        raise WorkflowError("cycle.unit_exists", code=code)
    unit = Unit.objects.create(code=code, name=name, kind=kind)
    audit(actor, None, unit, "created", None, f"{code} {name}")
    return unit


@transaction.atomic
def grant_role(
    actor: Any, username: str, kind: str, unit: Unit | None, cycle: Cycle | None
) -> tuple[Any, str | None]:
    """Give ``username`` a role; a new account gets a random first password, returned once."""
    import secrets

    from django.contrib.auth.models import User

    from chiso.web.accounts.models import Role

    if not policy.can_manage(actor):
        raise Forbidden()
    username = username.strip()
    if not username or kind not in dict(Role.KINDS):
        raise WorkflowError("cycle.role_incomplete")
    needs = {
        Role.OFFICER: (True, False),
        Role.APPRAISER: (True, True),
        Role.CHAIR: (False, True),
        Role.ADMIN: (False, False),
    }[kind]
    if (needs[0] and unit is None) or (needs[1] and cycle is None):
        raise WorkflowError("cycle.role_incomplete")
    password = None
    user = User.objects.filter(username=username).first()
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username, password=password)
    role, _ = Role.objects.get_or_create(
        user=user, kind=kind, unit=unit if needs[0] else None, cycle=cycle if needs[1] else None
    )
    audit(actor, cycle, role, "role", None, f"{username}: {kind} {unit or ''}".strip())
    return user, password
