"""Use cases of the improvement plans. Each asks the policy, validates with the library, changes
state in one transaction and writes the audit trail (:func:`chiso.web.core.audit.audit`)."""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext

from chiso.analysis.gaps import unit_gaps
from chiso.analysis.loaded import Loaded, load_document
from chiso.analysis.planner import UNIT_SOURCES, PlanResult, make_plan
from chiso.analysis.planner import Target as PlanTarget
from chiso.frameworks import Framework
from chiso.problems import ProblemReport, Refusal
from chiso.scoring.plan import ScoringPlan
from chiso.tables.sources import open_table
from chiso.vietnamese import sort_key
from chiso.web.core.audit import audit
from chiso.web.core.frameworks import framework_of, plan_of
from chiso.web.core.models import AuditEntry
from chiso.web.core.refusals import conflict, forbidden
from chiso.web.cycles.frameworks import framework_by_code
from chiso.web.cycles.models import Cycle, LeafScore, Unit
from chiso.web.cycles.policy import published_cycles
from chiso.web.cycles.publications import document, latest
from chiso.web.cycles.workflow import compute_results
from chiso.web.plans import policy
from chiso.web.plans.models import ImprovementPlan, Responsibility, Target, Task
from chiso.web.plans.responsibility import responsibility_map, responsible_for

PLANNED_KINDS = (Target.INDEX, Target.RANK, Target.UP, Target.GROUP)
SEED = 20  # a plan made twice from the same snapshot gives the same probabilities


@transaction.atomic
def assign(actor: Any, framework_code: str, unit: Unit, node_code: str, responsible: Unit) -> None:
    """Name ``responsible`` for criterion ``node_code`` of ``unit``'s assessment."""
    if not policy.can_manage_plans(actor):
        raise forbidden()
    fw = framework_by_code(framework_code)
    if node_code not in fw.codes:
        raise Refusal("cycle.unknown_node", node=node_code)
    row = Responsibility.objects.filter(
        framework_code=framework_code, unit=unit, node_code=node_code
    ).first()
    old = row.responsible.name if row else ""
    if row is None:
        row = Responsibility(framework_code=framework_code, unit=unit, node_code=node_code)
    row.responsible = responsible
    row.save()
    audit(actor, None, row, f"responsible {node_code}", old, responsible.name)


@transaction.atomic
def unassign(actor: Any, row: Responsibility) -> None:
    if not policy.can_manage_plans(actor):
        raise forbidden()
    audit(actor, None, row, f"responsible {row.node_code}", row.responsible.name, "")
    row.delete()


IMPORT_COLUMNS = {
    "framework": ("framework", "khung", "khung tiêu chí"),
    "unit": ("unit", "đơn vị", "đơn vị được đánh giá"),
    "node": ("node", "mã", "tiêu chí", "mã tiêu chí"),
    "responsible": ("responsible", "đơn vị chủ trì", "chủ trì"),
}


MAP_MAX_BYTES = 2 * 2**20
"""The largest responsibility map accepted: a province's 100 units × 200 criteria, one row
each, is about 1 MB as CSV and less as Excel."""
MAP_MAX_ROWS = 50_000
"""The most rows a map may have (100 units × 200 criteria is 20,000): a file beyond that is
not a responsibility map, and is refused before its rows are checked."""


def map_too_large() -> Refusal:
    """The refusal of a responsibility map above :data:`MAP_MAX_BYTES`."""
    return Refusal("cycle.file_too_large", limit=f"{MAP_MAX_BYTES / 2**20:g}")


@transaction.atomic
def import_map(actor: Any, content: bytes, filename: str) -> int:
    """A responsibility map from Excel or CSV (columns framework, unit, node, responsible;
    units by code or name): every row checked, every problem reported, all or nothing. A file
    above :data:`MAP_MAX_BYTES` or :data:`MAP_MAX_ROWS` is refused before its rows are read
    or checked."""
    if not policy.can_manage_plans(actor):
        raise forbidden()
    if len(content) > MAP_MAX_BYTES:
        raise map_too_large()
    suffix = Path(filename).suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            table = open_table(path)
            rows = list(itertools.islice(table.rows, MAP_MAX_ROWS + 1))
        except Refusal as exc:
            raise Refusal(exc.report.for_file(filename)) from None
    report = ProblemReport()
    if len(rows) > MAP_MAX_ROWS:
        report.add("plans.import_too_many_rows", filename, rows[-1][0], limit=MAP_MAX_ROWS)
        raise Refusal(report)
    keys = [h.strip().casefold() for h in table.header]
    col: dict[str, int] = {}
    for key, names in IMPORT_COLUMNS.items():
        found = next((i for i, k in enumerate(keys) if k in names), None)
        if found is None:
            report.add("plans.import_column", filename, 1, key, name=key)
        else:
            col[key] = found
    if report:
        raise Refusal(report)
    units = {u.code: u for u in Unit.objects.all()} | {u.name: u for u in Unit.objects.all()}
    frameworks: dict[str, Framework | None] = {}
    wanted: list[tuple[str, Unit, str, Unit]] = []
    for number, cells in rows:
        cells = cells + [None] * (len(table.header) - len(cells))

        def text(key: str, cells: list[Any] = cells) -> str:
            raw = cells[col[key]]
            if isinstance(raw, float):
                return str(int(raw)) if raw == int(raw) else repr(raw)
            return "" if raw is None else str(raw).strip()

        code, node = text("framework"), text("node")
        if not any((code, node, text("unit"), text("responsible"))):
            continue
        if code not in frameworks:
            try:
                frameworks[code] = framework_by_code(code)
            except Refusal:
                frameworks[code] = None
        fw = frameworks[code]
        if fw is None:
            report.add("plans.unknown_framework", filename, number, "framework", framework=code)
        elif node not in fw.codes:
            report.add("node.unknown", filename, number, "node", node=node, framework=code)
        unit, responsible = units.get(text("unit")), units.get(text("responsible"))
        for key, found in (("unit", unit), ("responsible", responsible)):
            if found is None:
                report.add("unit.unknown", filename, number, key, unit=text(key))
        if unit is not None and responsible is not None and fw is not None:
            wanted.append((code, unit, node, responsible))
    if report:
        raise Refusal(report)
    for code, unit, node, responsible in wanted:
        assign(actor, code, unit, node, responsible)
    return len(wanted)


@dataclass(frozen=True)
class TargetWanted:
    kind: str
    value: str


def _planner_target(t: TargetWanted) -> PlanTarget:
    value: float | str = t.value
    if t.kind == Target.INDEX:
        value = float(t.value)
    elif t.kind in (Target.RANK, Target.UP):
        value = int(float(t.value))
    return PlanTarget(t.kind, value)


def _movable(fw: Framework, code: str, plan: ScoringPlan) -> bool:
    node = fw.node(code)
    source = node.source or next(
        (fw.node(c).source for c in plan.above(code) if c in plan.positions), None
    )
    return source in UNIT_SOURCES


@transaction.atomic
def create_plan(
    actor: Any, cycle: Cycle, unit: Unit, year: int, targets: list[TargetWanted]
) -> ImprovementPlan:
    """Next year's plan of ``unit`` from ``cycle``'s newest snapshot: its targets (the total
    needed and, against other units, the probability), and one task per criterion the unit can
    improve itself that lost points, for the unit the map names; the least-effort plan for the
    first target marks the tasks it needs and their target points. Against other units, their
    changes between the earlier published cycles of the same framework move them too."""
    if not policy.can_manage_plans(actor):
        raise forbidden()
    if cycle.state != Cycle.PUBLISHED:
        raise Refusal("plans.not_published")
    if not cycle.units.filter(pk=unit.pk).exists():
        raise Refusal("plans.unit_not_in_cycle", unit=unit.name)
    if ImprovementPlan.objects.filter(cycle=cycle, unit=unit, year=year).exists():
        raise Refusal("plans.exists", unit=unit.name, year=year)
    publication = latest(cycle.pk)
    fw = framework_of(cycle)
    loaded: Loaded = load_document(document(publication), fw, cycle.name)
    # the other units' year-on-year changes: the earlier published cycles of this framework
    earlier = [
        document(latest(c.pk))
        for c in published_cycles()
        .filter(framework_code=cycle.framework_code, year__lt=cycle.year)
        .order_by("year", "pk")
    ]
    computed: list[tuple[TargetWanted, PlanResult | None]] = []
    for wanted in targets:
        result = None
        if wanted.kind in PLANNED_KINDS:
            target = _planner_target(wanted)
            result = make_plan(loaded, unit.name, target, None, earlier, 4000, SEED)
        computed.append((wanted, result))
    plan = ImprovementPlan.objects.create(
        cycle=cycle, publication=publication, unit=unit, year=year, created_by=actor
    )
    audit(actor, cycle, plan, "created", "", f"{unit.name} {year}")
    for wanted, result in computed:
        target = Target.objects.create(
            plan=plan,
            kind=wanted.kind,
            value=wanted.value,
            needed_total=None if result is None else result.needed_total,
            probability=None if result is None else result.probability,
        )
        audit(actor, cycle, target, "target", "", f"{wanted.kind} {wanted.value}")
    first = next((r for _, r in computed if r is not None), None)
    chosen = {a.node: a.end for a in first.actions} if first else {}
    mapping = responsibility_map(fw.code, unit)
    for gap in unit_gaps(loaded, unit.name):
        if not gap.is_leaf or not gap.lost or gap.lost <= 0 or gap.points is None:
            continue
        if not _movable(fw, gap.code, loaded.plan) and gap.code not in chosen:
            continue
        task = Task.objects.create(
            plan=plan,
            node_code=gap.code,
            responsible=responsible_for(mapping, loaded.plan, gap.code),
            points_now=gap.points,
            points_max=gap.max or 0.0,
            target_points=chosen.get(gap.code, gap.max),
            planned=gap.code in chosen,
        )
        audit(actor, cycle, task, "created", "", gap.code)
    return plan


@transaction.atomic
def update_task(
    actor: Any,
    task: Task,
    version: int,
    status: str,
    evidence: str,
    deadline: date | None = None,
    responsible: Unit | None = None,
    manage: bool = False,
) -> Task:
    """A responsible unit reports on its task (status, evidence); the administrator may also
    set its deadline and its responsible unit (``manage``). A save made from an old version of
    the task is a conflict, never a lost update."""
    task = Task.objects.select_for_update().select_related("plan__cycle").get(pk=task.pk)
    if not policy.can_update_task(actor, task) or (manage and not policy.can_manage_plans(actor)):
        raise forbidden()
    if version != task.version:
        raise conflict(task.version)
    if status == Task.DONE and not evidence.strip() and not task.files.exists():
        raise Refusal("plans.evidence_required")
    changes: dict[str, tuple[Any, Any]] = {}
    for name, new in (("status", status), ("evidence", evidence.strip())):
        old = getattr(task, name)
        if old != new:
            changes[name] = (old, new)
    if manage:
        if task.deadline != deadline:
            changes["deadline"] = (task.deadline, deadline)
        if task.responsible_id != (responsible.pk if responsible else None):
            before = task.responsible.name if task.responsible else ""
            changes["responsible"] = (before, responsible)
    for name, (old, new) in changes.items():
        setattr(task, name, new)
        shown = new.name if isinstance(new, Unit) else new
        audit(actor, task.plan.cycle, task, name, old, shown)
    if changes:
        task.version += 1
        task.save()
    return task


@dataclass(frozen=True)
class Progress:
    """Tasks done of all, and the points they aim at, done of all."""

    label: str
    tasks: int
    done: int
    points: float
    points_done: float

    @property
    def share(self) -> float:
        return self.done / self.tasks if self.tasks else 0.0


def progress(plan: ImprovementPlan, by: str, lang: str) -> list[Progress]:
    """Progress per responsible unit (``by="unit"``) or per domain (``by="domain"``)."""
    fw = framework_of(plan.cycle)
    tree = plan_of(plan.cycle)
    groups: dict[str, list[Task]] = {}
    for task in plan.tasks.select_related("responsible"):
        if by == "unit":
            key = task.responsible.name if task.responsible else gettext("Chưa phân công")
        else:
            code = task.node_code
            top = tree.domain_of(code) if code in tree.positions else code
            key = f"{top} {fw.node(top).name_in(lang)}" if top in fw.codes else top
        groups.setdefault(key, []).append(task)
    out = []
    for label, tasks in groups.items():
        aims = [(t.target_points or t.points_max) - t.points_now for t in tasks]
        out.append(
            Progress(
                label,
                len(tasks),
                sum(t.status == Task.DONE for t in tasks),
                sum(aims),
                sum(a for a, t in zip(aims, tasks, strict=True) if t.status == Task.DONE),
            )
        )
    return sorted(out, key=lambda p: (-p.points, p.label))


@dataclass(frozen=True)
class LostRow:
    responsible: str
    unit: str
    code: str
    name: str
    lost: float
    reason: str


def _reasons_at(cycle: Cycle, when: Any) -> dict[tuple[str, str], str]:
    """(unit name, code) → the reason of the leaf's last change of points at or before
    ``when`` (the appraisal, an explanation's answer, a correction), from the audit trail;
    the leaf's reason now where the trail has nothing for it."""
    leaves = {
        str(leaf.pk): leaf
        for leaf in LeafScore.objects.filter(sheet__cycle=cycle).select_related("sheet__unit")
    }
    then: dict[str, str] = {}
    for entry in AuditEntry.objects.filter(
        cycle=cycle,
        object_type="LeafScore",
        field__in=("appraised_points", "correction"),
        at__lte=when,
    ).order_by("at", "pk"):
        then[entry.object_id] = entry.reason
    return {
        (leaf.sheet.unit.name, leaf.code): then.get(pk, leaf.appraisal_reason)
        for pk, leaf in leaves.items()
    }


def responsibility_report(cycle: Cycle, lang: str) -> list[LostRow]:
    """Points lost per responsible unit and criterion over every unit of the cycle, with the
    appraisers' reasons: the leaves below their maximum. A published cycle is read from its
    newest snapshot (a correction not yet published does not show), with the reasons as they
    stood then; a finalised one from the results computed now."""
    fw = framework_of(cycle)
    units = [s.unit for s in cycle.sheets.select_related("unit").order_by("unit__code")]
    if cycle.state == Cycle.PUBLISHED:
        publication = latest(cycle.pk)
        loaded = load_document(document(publication), fw, cycle.name)
        reasons = _reasons_at(cycle, publication.created_at)
    else:
        computed = compute_results(cycle)
        res = computed.results
        ranked = np.array([s.ranked for s in computed.sheets], dtype=bool)
        loaded = Loaded(cycle.name, res, res.aggregates.given, res.aggregates.na, ranked)
        reasons = {
            (leaf.sheet.unit.name, leaf.code): leaf.appraisal_reason
            for leaf in LeafScore.objects.filter(sheet__cycle=cycle)
            .exclude(appraisal_reason="")
            .select_related("sheet__unit")
        }
    nobody = gettext("Chưa phân công")
    rows = []
    for unit in units:
        if unit.name not in loaded.results.units:
            continue
        mapping = responsibility_map(fw.code, unit)
        for gap in unit_gaps(loaded, unit.name):
            if not gap.is_leaf or not gap.lost or gap.lost <= 0:
                continue
            who = responsible_for(mapping, loaded.plan, gap.code)
            rows.append(
                LostRow(
                    who.name if who else nobody,
                    unit.name,
                    gap.code,
                    fw.node(gap.code).name_in(lang),
                    gap.lost,
                    reasons.get((unit.name, gap.code), ""),
                )
            )
    rows.sort(key=lambda r: (r.responsible == nobody, sort_key(r.responsible), -r.lost))
    return rows
