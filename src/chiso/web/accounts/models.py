"""Roles: administrator, unit officer (for a unit), appraiser (for a unit in a cycle),
council chair (for a cycle) and the province's leader (reads the progress of every cycle and
changes nothing). A person may hold several."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.Model):
    ADMIN = "admin"
    OFFICER = "officer"
    APPRAISER = "appraiser"
    CHAIR = "chair"
    LEADER = "leader"
    KINDS = [  # labels translated when shown (get_kind_display, the role form)
        (ADMIN, pgettext_lazy("role", "Quản trị")),
        (OFFICER, pgettext_lazy("role", "Cán bộ đơn vị")),
        (APPRAISER, pgettext_lazy("role", "Thành viên hội đồng thẩm định")),
        (CHAIR, pgettext_lazy("role", "Chủ tịch hội đồng")),
        (LEADER, pgettext_lazy("role", "Lãnh đạo tỉnh")),
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


class ApiToken(models.Model):
    """A key for a machine client (a Ministry system pulling results, a province's one-stop
    shop pushing points) acting as the person who made it, with the person's roles.

    Only the SHA-256 of the secret is kept (a token is 32 random bytes, so a fast hash is
    enough, unlike a password); ``prefix`` is the public part that finds the row and that the
    person's page shows. A token reads only, or reads and writes; it expires, and can be
    revoked at any time."""

    READ = "read"
    WRITE = "write"
    SCOPES = [(READ, "Chỉ đọc"), (WRITE, "Đọc và ghi")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    scope = models.CharField(max_length=8, choices=SCOPES, default=READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix} {self.scope}"


class Profile(models.Model):
    """What chiso keeps about a person beside Django's user: whether the password is a
    one-time one, given by an administrator or an import, which must be changed at the next
    sign-in before anything else (:mod:`chiso.web.accounts.one_time`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chiso_profile"
    )
    must_change_password = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user} {'one-time' if self.must_change_password else ''}".strip()
