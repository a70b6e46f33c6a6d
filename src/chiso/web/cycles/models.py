"""What a cycle stores. Scores are numbers at full precision; the library computes everything
else when asked. Every change goes through the cycle's use cases (:mod:`.workflow`,
:mod:`.scores`, :mod:`.explanations`…), which write the audit trail
(:class:`chiso.web.core.models.AuditEntry`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Unit(models.Model):
    """An assessed body: a province, ministry, department, district or commune."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class FrameworkVersion(models.Model):
    """A province's own framework uploaded by an administrator, one row per version; a cycle
    keeps the version (and its text) it was opened with, so a later version never changes it."""

    code = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    yaml = models.TextField(help_text="the framework file, checked")
    sha256 = models.CharField(max_length=64)
    file_name = models.CharField(max_length=255, help_text="the uploaded file (YAML, DOCX, XLSX)")
    name = models.CharField(max_length=500)
    nodes = models.PositiveIntegerField()
    complete = models.BooleanField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="one_framework_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Cycle(models.Model):
    """One run of a framework over a set of units for a year."""

    DRAFT = "draft"
    SELF = "self_assessment"
    APPRAISAL = "appraisal"
    EXPLANATION = "explanation"
    FINALISED = "finalised"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    STATES = [
        # labels translated when shown (get_state_display in the reader's language)
        (DRAFT, pgettext_lazy("cycle state", "Chuẩn bị")),
        (SELF, pgettext_lazy("cycle state", "Tự đánh giá")),
        (APPRAISAL, pgettext_lazy("cycle state", "Thẩm định")),
        (EXPLANATION, pgettext_lazy("cycle state", "Giải trình")),
        (FINALISED, pgettext_lazy("cycle state", "Đã chốt")),
        (PUBLISHED, pgettext_lazy("cycle state", "Đã công bố")),
        (CANCELLED, pgettext_lazy("cycle state", "Đã hủy")),
    ]

    name = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    framework_code = models.CharField(max_length=64)
    framework_yaml = models.TextField(help_text="the framework as it was when the cycle opened")
    state = models.CharField(max_length=16, choices=STATES, default=DRAFT)
    units = models.ManyToManyField(Unit, related_name="cycles")
    self_assessment_ends = models.DateField(null=True, blank=True)
    appraisal_ends = models.DateField(null=True, blank=True)
    explanation_ends = models.DateField(null=True, blank=True)
    simulated = models.BooleanField(default=False, help_text="demo data, simulated")
    framework_version = models.ForeignKey(
        FrameworkVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="the uploaded version it was opened with (none for a built-in framework)",
    )
    cancel_reason = models.TextField(
        blank=True, help_text="why the administrator cancelled it (state cancelled)"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(
        default=0,
        help_text="moved on by every write to the cycle's audit trail, in its transaction: "
        "by every change in the cycle (chiso.web.cycles.pages)",
    )
    page_revision = models.PositiveIntegerField(
        default=0,
        help_text="moved on with the revision by every change the cycle's page shows before "
        "its results: all but a sheet's values, files, threads and explanations "
        "(chiso.web.cycles.pages)",
    )

    class Meta:
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A saved cycle writes every field but its revisions, which only the audit trail moves
        on: an older copy saved whole would set them back, and a page kept under a revision
        that came round again would be served for another state of the cycle."""
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if f.name not in ("id", "revision", "page_revision")
            ]
        super().save(*args, **kwargs)


class ScoreSheet(models.Model):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    STATES = [
        (DRAFT, pgettext_lazy("sheet state", "Đang nhập")),
        (SUBMITTED, pgettext_lazy("sheet state", "Đã nộp")),
    ]

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="sheets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="sheets")
    state = models.CharField(max_length=16, choices=STATES, default=DRAFT)
    ranked = models.BooleanField(default=True, help_text="False: assessed, not ranked")
    revision = models.PositiveIntegerField(
        default=0, help_text="bumped by every change of the sheet's scores, evidence or threads"
    )
    standard_errors = models.JSONField(
        default=dict,
        blank=True,
        help_text="{node code or 'total': standard error} of survey-sourced points, as imported",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="one_sheet")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.cycle}"


class LeafScore(models.Model):
    """A leaf of a unit's sheet: the self-assessed value, the appraised value and the reason.

    ``version`` makes saving optimistic: a save names the version it started from, and a
    concurrent save that got there first turns the second into a conflict, not a lost update.
    """

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="leaves")
    code = models.CharField(max_length=32)
    self_raw = models.CharField(max_length=200, blank=True)
    self_points = models.FloatField(null=True, blank=True)
    self_na = models.BooleanField(default=False)
    appraised_points = models.FloatField(null=True, blank=True)
    appraisal_reason = models.TextField(blank=True)
    appraised_na = models.BooleanField(
        default=False, help_text="the appraiser found the criterion not applicable to the unit"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "code"], name="one_leaf")]

    @property
    def final_points(self) -> float | None:
        if self.appraised_na:
            return None
        return self.appraised_points if self.appraised_points is not None else self.self_points

    @property
    def final_na(self) -> bool:
        """Not applicable in the results: as the appraiser found it, or as the unit said and
        the appraiser left it."""
        return self.appraised_na or (self.self_na and self.appraised_points is None)


class Evidence(models.Model):
    leaf = models.ForeignKey(LeafScore, on_delete=models.PROTECT, related_name="evidence")
    stored_name = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, blank=True, help_text="of the file, for chiso verify")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Message(models.Model):
    """The explanation thread of a leaf: an appraiser asks, the unit answers."""

    REQUEST = "request"
    ANSWER = "answer"

    leaf = models.ForeignKey(LeafScore, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    kind = models.CharField(
        max_length=8,
        choices=[
            (REQUEST, pgettext_lazy("message kind", "Yêu cầu")),
            (ANSWER, pgettext_lazy("message kind", "Giải trình")),
        ],
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Publication(models.Model):
    """A published, immutable snapshot of a cycle's results; a correction is a new revision."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="publications")
    revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    content = models.TextField(help_text="the results as canonical JSON")
    sha256 = models.CharField(max_length=64)
    reason = models.TextField(blank=True)
    decision_number = models.CharField(
        max_length=64, blank=True, help_text="the decision that publishes it: 1551/QĐ-UBND"
    )
    decision_date = models.DateField(null=True, blank=True)
    decision_body = models.CharField(max_length=200, blank=True, help_text="the issuing body")
    replaces_sha256 = models.CharField(
        max_length=64, blank=True, help_text="the SHA-256 of the revision this one corrects"
    )

    class Meta:
        ordering = ["cycle", "-revision"]
        constraints = [models.UniqueConstraint(fields=["cycle", "revision"], name="one_revision")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("a publication never changes; publish a new revision")
        super().save(*args, **kwargs)


class Explanation(models.Model):
    """A unit's explanation (giải trình) of a cut on one leaf, and the appraiser's answer.

    ``points_before`` keeps the appraised points the unit answered, so the unit's score before
    and after the loop can be shown; the answer restores the points wholly or partly (the
    leaf's appraised points change, in the audit trail) or keeps the cut with a reason."""

    PENDING = "pending"
    RESTORED = "restored"
    PARTLY = "partly"
    KEPT = "kept"
    OUTCOMES = [
        (PENDING, "Chờ xem xét"),
        (RESTORED, "Khôi phục toàn bộ"),
        (PARTLY, "Khôi phục một phần"),
        (KEPT, "Giữ nguyên"),
    ]

    leaf = models.OneToOneField(LeafScore, on_delete=models.CASCADE, related_name="explanation")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    points_before = models.FloatField(help_text="the appraised points the unit explained")
    cut_reason = models.TextField(
        blank=True, help_text="the appraiser's reason for the cut the unit explained"
    )
    outcome = models.CharField(max_length=10, choices=OUTCOMES, default=PENDING)
    points_after = models.FloatField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["leaf__sheet", "leaf__code"]

    @property
    def answered(self) -> bool:
        return self.outcome != self.PENDING


class UnitSuccession(models.Model):
    """A successor link: ``predecessor`` became (part of) ``successor`` on ``date`` — a
    district or commune of before 1 July 2025 and the commune that took its place. Loaded
    from a CSV by the administrator (:mod:`.lineage`); the portal shows the predecessors'
    results beside a commune's series, never inside it."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessions")
    date = models.DateField()

    class Meta:
        ordering = ["successor", "predecessor"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="one_succession")
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.date})"


class DeadlineExtension(models.Model):
    """An administrator moved a stage's closing date, for the whole cycle (``unit`` empty: the
    cycle's own date changes with it) or for one unit, always with a reason; the newest one
    for a unit and stage is the one in force (:mod:`.windows` reads them)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="extensions"
    )
    stage = models.CharField(max_length=16, help_text="the cycle state whose window it moves")
    ends = models.DateField(help_text="the new last day (the day itself still counts)")
    previous = models.DateField(null=True, blank=True, help_text="the last day before it")
    reason = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "-granted_at", "-id"]
