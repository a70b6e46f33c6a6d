"""Every notice chiso sends, recorded: to whom, of what kind, about which object, when, and
the key that makes sending it twice impossible; and the kinds each person turned off."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from chiso.web.notifications.kinds import KIND_CHOICES


class Notification(models.Model):
    """One notice to one person, shown in their inbox and sent by e-mail.

    ``key`` names the event (``deadline:3:12:self_assessment:5:2025-03-14:3``); a person has
    one notice per key, so ``chiso remind`` run again finds it recorded and sends nothing.
    ``params`` keep what the text needs, so the inbox shows it in the reader's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=KIND_CHOICES)
    key = models.CharField(max_length=200)
    object_type = models.CharField(max_length=24, help_text="cycle, sheet, explanation, task")
    object_id = models.PositiveBigIntegerField()
    params = models.JSONField(default=dict)
    link = models.CharField(max_length=300, help_text="the page it is about, from the site root")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="when the e-mail left")
    email_error = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notice_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.key}"


class Muted(models.Model):
    """A kind of notice a person turned off: neither sent nor shown."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_notices"
    )
    kind = models.CharField(max_length=24, choices=KIND_CHOICES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_mute_per_kind")]
