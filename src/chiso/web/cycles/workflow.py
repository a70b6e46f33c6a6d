"""The assessment cycle's workflow: open a cycle, move it through its stages, compute and
publish its results, correct them after publication, and the units it assesses. Each use case
asks the policy, validates with the library, changes state in one transaction and writes the
audit trail; views and the API call these. The scores of a sheet are :mod:`.scores`'s."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chiso.frameworks import framework_from_text
from chiso.frameworks.model import TOTAL_CODE
from chiso.frameworks.registry import framework_text
from chiso.problems import Kind, Refusal
from chiso.scoring import Results, score
from chiso.scoring.document import CycleInfo, DecisionInfo, PublicationInfo, from_results
from chiso.tables.writing import canonical_text
from chiso.vietnamese import nfc, same_identifier
from chiso.web.accounts.policy import can_manage
from chiso.web.core.audit import audit
from chiso.web.core.frameworks import framework_of, plan_of
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import policy
from chiso.web.cycles.frameworks import framework_source
from chiso.web.cycles.models import (
    Cycle,
    Explanation,
    LeafScore,
    Publication,
    ScoreSheet,
    Unit,
)
from chiso.web.cycles.scores import node_of, touch, update_leaf
from chiso.web.cycles.windows import STAGE_NAMES, check_dates, window_of

ORDER = [
    Cycle.DRAFT,
    Cycle.SELF,
    Cycle.APPRAISAL,
    Cycle.EXPLANATION,
    Cycle.FINALISED,
    Cycle.PUBLISHED,
]


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
    if not can_manage(actor):
        raise forbidden()
    check_dates(windows or {})
    # a province's uploaded framework opens at its newest version, which the cycle keeps
    source = framework_source(framework)
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
        raise forbidden()
    if cycle.state == Cycle.CANCELLED:
        raise Refusal("cycle.cancelled", name=cycle.name)
    if to_state == Cycle.PUBLISHED:
        raise Refusal("cycle.use_publish")
    if to_state not in ORDER or ORDER.index(to_state) != ORDER.index(cycle.state) + 1:
        raise Refusal("cycle.bad_transition", current=cycle.state, target=to_state)
    window = window_of(Cycle(pk=cycle.pk, state=to_state, **_dates(cycle)))
    if window is not None and not window.open and window.ends is not None:
        # a stage opened already closed would lock every sheet without a word
        raise Refusal(
            "deadline.stage_closed",
            Kind.INVALID,
            "to",
            stage=str(STAGE_NAMES[to_state]),
            date=window.ends.strftime(gettext("%d/%m/%Y")),
        )
    if to_state == Cycle.FINALISED:
        # the chair finalises only when every explanation has its answer
        waiting = Explanation.objects.filter(
            leaf__sheet__cycle=cycle, outcome=Explanation.PENDING
        ).count()
        if waiting:
            raise Refusal("explanation.unanswered", count=waiting)
    old = cycle.state
    cycle.state = to_state
    cycle.save(update_fields=["state"])
    audit(actor, cycle, cycle, "state", old, to_state, reason)
    return cycle


@transaction.atomic
def cancel(actor: Any, cycle: Cycle, reason: str) -> Cycle:
    """Cancel a cycle that should not have been opened (wrong dates, opened by mistake): it
    leaves every working list (home, administration, officers' tasks, reminders, the leader's
    view) and nothing more can be done in it; the administrator still reads it, with its
    reason. A published cycle is never cancelled: its results are public (a mistake there is
    corrected by a revision)."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not policy.can_cancel(actor, cycle):
        raise forbidden()
    if cycle.state == Cycle.PUBLISHED:
        raise Refusal("cycle.cancel_published", name=cycle.name)
    if cycle.state == Cycle.CANCELLED:
        raise Refusal("cycle.cancelled", name=cycle.name)
    reason = reason.strip()
    if not reason:
        raise Refusal("cycle.cancel_reason_required", Kind.INVALID, "reason")
    old = cycle.state
    cycle.state = Cycle.CANCELLED
    cycle.cancel_reason = reason
    cycle.cancelled_at = timezone.now()
    cycle.save(update_fields=["state", "cancel_reason", "cancelled_at"])
    audit(actor, cycle, cycle, "state", old, Cycle.CANCELLED, reason)
    return cycle


def _dates(cycle: Cycle) -> dict[str, Any]:
    return {
        "self_assessment_ends": cycle.self_assessment_ends,
        "appraisal_ends": cycle.appraisal_ends,
        "explanation_ends": cycle.explanation_ends,
    }


def not_ready(cycle: Cycle, to_state: str) -> list[str]:
    """What moving ``cycle`` to ``to_state`` would leave behind, one line per unit, for the
    person to confirm: units that never submitted (entering appraisal), explanations not yet
    answered (finalising), sheets with criteria nobody scored."""
    lines: list[str] = []
    sheets = cycle.sheets.select_related("unit").order_by("unit__code")
    if to_state in (Cycle.APPRAISAL, Cycle.EXPLANATION, Cycle.FINALISED):
        for sheet in sheets:
            if sheet.state != ScoreSheet.SUBMITTED:
                lines.append(gettext("%(unit)s: chưa nộp phiếu") % {"unit": sheet.unit.name})
            empty = sheet.leaves.filter(
                self_points__isnull=True,
                self_na=False,
                appraised_points__isnull=True,
                appraised_na=False,
            ).count()
            if empty:
                lines.append(
                    gettext("%(unit)s: %(count)s tiêu chí chưa có điểm")
                    % {"unit": sheet.unit.name, "count": empty}
                )
    if to_state == Cycle.FINALISED:
        waiting = (
            Explanation.objects.filter(leaf__sheet__cycle=cycle, outcome=Explanation.PENDING)
            .values_list("leaf__sheet__unit__name", flat=True)
            .distinct()
        )
        lines += [gettext("%(unit)s: giải trình chưa được trả lời") % {"unit": u} for u in waiting]
    return lines


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
        if leaf.final_na:
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

    def info(self) -> DecisionInfo | None:
        """The decision as a results document records it (None without a number)."""
        if not self.number.strip():
            return None
        return DecisionInfo(
            self.number.strip(), self.date.isoformat() if self.date else None, self.body.strip()
        )


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
        raise forbidden()
    if cycle.state not in (Cycle.FINALISED, Cycle.PUBLISHED):
        raise Refusal("cycle.not_finalised")
    last = cycle.publications.order_by("-revision").first()
    if last is not None and not reason.strip():
        raise Refusal("cycle.reason_required")
    if decision is None or not decision.complete:
        raise Refusal("cycle.decision_required")
    # the same number written another way (NFC, case, spaces, invisible characters) is reused
    used = cycle.publications.order_by("revision").only("revision", "decision_number")
    earlier = next((p for p in used if same_identifier(p.decision_number, decision.number)), None)
    if earlier is not None:
        raise Refusal(
            "cycle.decision_reused", number=earlier.decision_number, revision=earlier.revision
        )
    # codes only (a group's code, never its name in one language): pages and files made from
    # the snapshot name the groups in their reader's language
    doc = from_results(compute_results(cycle).results).published(
        CycleInfo(cycle.pk, cycle.name, cycle.year, cycle.simulated),
        PublicationInfo(
            revision=(last.revision + 1) if last else 1,
            reason=reason.strip(),
            decision=decision.info(),
            replaces_sha256=last.sha256 if last else None,
        ),
    )
    content = canonical_text(doc)
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
        raise forbidden()
    node = node_of(sheet.cycle, leaf.code)
    if not reason.strip():
        raise Refusal("cycle.reason_required")
    if points < node.min - 1e-9:
        raise Refusal("value.below_min", value=f"{points:g}", min=f"{node.min:g}", node=leaf.code)
    if node.max is not None and points > node.max + 1e-9:
        raise Refusal("value.above_max", value=f"{points:g}", max=f"{node.max:g}", node=leaf.code)
    leaf = LeafScore.objects.get(pk=leaf.pk)
    old = leaf.final_points
    leaf = update_leaf(actor, leaf, leaf.version, appraised_points=points)
    audit(actor, sheet.cycle, leaf, "correction", old, points, reason.strip())
    return leaf


@transaction.atomic
def set_ranked(actor: Any, sheet: ScoreSheet, ranked: bool, reason: str = "") -> ScoreSheet:
    """Mark a unit "assessed, not ranked" in a cycle (or ranked again): it keeps its scores
    and group but takes no rank, and the others' ranks close up."""
    if not policy.can_set_ranked(actor, sheet.cycle):
        raise forbidden()
    if sheet.cycle.state == Cycle.PUBLISHED and not reason.strip():
        raise Refusal("cycle.reason_required")
    old = sheet.ranked
    ScoreSheet.objects.filter(pk=sheet.pk).update(ranked=ranked)
    touch(sheet.pk)
    sheet.refresh_from_db()
    audit(actor, sheet.cycle, sheet, "ranked", old, ranked, reason.strip())
    return sheet


@transaction.atomic
def create_unit(actor: Any, code: str, name: str, kind: str) -> Unit:
    if not can_manage(actor):
        raise forbidden()
    code, name = code.strip(), nfc(" ".join(name.split()))
    if not code or not name:
        raise Refusal("cycle.unit_incomplete")
    if "/" in name or name in (".", ".."):
        # the name is the last part of its public address (/results/…/units/<name>/)
        raise Refusal("cycle.unit_bad_name", name=name)
    if Unit.objects.filter(code=code).exists():
        raise Refusal("cycle.unit_exists", code=code)
    unit = Unit.objects.create(code=code, name=name, kind=kind)
    audit(actor, None, unit, "created", None, f"{code} {name}")
    return unit
