"""What the improvement plans store: who answers for which criterion, the plans made from a
published cycle, their targets and their tasks. Every change goes through :mod:`.services`,
which writes the cycle's append-only audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chiso.web.cycles.models import Cycle, Publication, Unit


class Responsibility(models.Model):
    """Unit ``responsible`` answers, in ``unit``'s assessment under a framework, for criterion
    ``node_code`` and everything below it (the Department of Justice for legal documents…)."""

    framework_code = models.CharField(max_length=64)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    node_code = models.CharField(max_length=32)
    responsible = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="responsibilities")

    class Meta:
        ordering = ["framework_code", "unit", "node_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework_code", "unit", "node_code"], name="one_responsible"
            )
        ]


class ImprovementPlan(models.Model):
    """Next year's plan of one unit, made from a published cycle's snapshot."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="improvement_plans")
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="improvement_plans")
    year = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit", "year"], name="one_plan_a_year")
        ]


class Target(models.Model):
    INDEX = "index"
    RANK = "rank"
    UP = "up"
    GROUP = "group"
    SIPAS = "sipas"
    KINDS = [
        (INDEX, _("Chỉ số đạt")),
        (RANK, _("Xếp hạng")),
        (UP, _("Tăng bậc")),
        (GROUP, _("Nhóm")),
        (SIPAS, _("SIPAS đạt trên (%)")),
    ]

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=8, choices=KINDS)
    value = models.CharField(max_length=32)
    needed_total = models.FloatField(null=True, blank=True)
    probability = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]


class Task(models.Model):
    """A criterion to improve: from its points now towards a target, by a responsible unit,
    before a deadline, with evidence of completion."""

    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    STATUSES = [(TODO, _("Chưa thực hiện")), (DOING, _("Đang thực hiện")), (DONE, _("Hoàn thành"))]

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="tasks")
    node_code = models.CharField(max_length=32)
    responsible = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_tasks"
    )
    points_now = models.FloatField()
    points_max = models.FloatField()
    target_points = models.FloatField(null=True, blank=True)
    planned = models.BooleanField(
        default=False, help_text="chosen by the least-effort plan for the first target"
    )
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=STATUSES, default=TODO)
    evidence = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "-planned", "pk"]


class TaskEvidence(models.Model):
    """A file showing a task done (a decision, a report): kept like a sheet's evidence, under a
    generated name outside any web root, its type read from its content."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="files")
    stored_name = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, blank=True, help_text="of the file, for chiso verify")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)
