"""Roles: administrator, unit officer (for a unit), appraiser (for a unit in a cycle) and
council chair (for a cycle). A person may hold several."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.Model):
    ADMIN = "admin"
    OFFICER = "officer"
    APPRAISER = "appraiser"
    CHAIR = "chair"
    KINDS = [  # labels translated when shown (get_kind_display, the role form)
        (ADMIN, pgettext_lazy("role", "Quản trị")),
        (OFFICER, pgettext_lazy("role", "Cán bộ đơn vị")),
        (APPRAISER, pgettext_lazy("role", "Thành viên hội đồng thẩm định")),
        (CHAIR, pgettext_lazy("role", "Chủ tịch hội đồng")),
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(max_length=16, choices=KINDS)
    unit = models.ForeignKey("cycles.Unit", null=True, blank=True, on_delete=models.CASCADE)
    cycle = models.ForeignKey("cycles.Cycle", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "unit", "cycle"], name="one_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.unit or ''} {self.cycle or ''}".strip()
