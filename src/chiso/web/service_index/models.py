"""The monthly service index: one row per month imported, and its indicator counts per unit,
per unit and field, per unit and procedure, and the points of its centrally assessed leaves.
A closed month is imported once and kept: adding a month never touches the months before it.
The current month is *provisional*: its counts are replaced as record files land
(``watch_service_month``) until the date the administrator set to close it."""

from __future__ import annotations

from django.db import models


class ServiceMonth(models.Model):
    framework = models.CharField(max_length=100)
    framework_text = models.TextField(help_text="the framework's YAML as it was when imported")
    period = models.CharField(max_length=7)  # YYYY-MM
    simulated = models.BooleanField(default=False)
    imported_at = models.DateTimeField(auto_now_add=True)
    provisional = models.BooleanField(default=False)
    closes_on = models.DateField(
        null=True, blank=True, help_text="the day a provisional month is closed"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period"]
        constraints = [
            # one index per month on the portal: its pages are addressed by the month alone
            models.UniqueConstraint(fields=["period"], name="service_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.period}"


class ServiceValue(models.Model):
    GROUPINGS = [("unit", "unit"), ("field", "field"), ("procedure", "procedure")]
    month = models.ForeignKey(ServiceMonth, on_delete=models.CASCADE, related_name="values")
    unit = models.CharField(max_length=200)
    grouping = models.CharField(max_length=10, choices=GROUPINGS, default="unit")
    key = models.CharField(max_length=100, blank=True, default="")
    node = models.CharField(max_length=50)
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "grouping", "unit"])]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "grouping", "unit", "key", "node"], name="service_value_once"
            )
        ]


class ServiceCentral(models.Model):
    """The points of a centrally assessed leaf (not computed from records) for one unit in
    one month, from a points file; null where given as not applicable."""

    month = models.ForeignKey(ServiceMonth, on_delete=models.CASCADE, related_name="central")
    unit = models.CharField(max_length=200)
    node = models.CharField(max_length=50)
    points = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "unit", "node"], name="service_central_once")
        ]
