"""``chiso remind``: find today's events, record a notice for each person concerned who has
not turned its kind off, and e-mail it.

Idempotent: a notice is recorded once per person and event (the unique key), in its own
transaction before its mail leaves, so a second run finds every event recorded and sends
nothing again. A mail that could not leave (the SMTP server down) keeps its error on the
notice and is tried again by the next run, still once at most per success."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from chiso.web.notifications import texts
from chiso.web.notifications.events import Event, events
from chiso.web.notifications.models import Muted, Notification

MAIL_LANGUAGES = ("vi", "en")
"""A mail says it in Vietnamese, then in English (a person's language is not known)."""


@dataclass
class Summary:
    recorded: int = 0
    emailed: int = 0
    failed: int = 0
    muted: int = 0


def _record(event: Event, user_id: int) -> Notification | None:
    """The notice of ``event`` for ``user_id``, newly recorded; None when it already was."""
    if Notification.objects.filter(recipient_id=user_id, key=event.key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient_id=user_id,
                kind=event.kind,
                key=event.key,
                object_type=event.object_type,
                object_id=event.object_id,
                params=event.params,
                link=event.link,
            )
    except IntegrityError:  # another run recorded it first
        return None


def _message(notice: Notification, address: str, site: str) -> EmailMessage:
    parts = [texts.in_language(lang, notice.kind, notice.params) for lang in MAIL_LANGUAGES]
    text = "\n\n".join(f"{body}\n{site}{notice.link}" for _subject, body in parts)
    footer = "\n\n-- \n" + " / ".join(_footer(lang) for lang in MAIL_LANGUAGES)
    footer += f"\n{site}{reverse('notifications:inbox')}"
    return EmailMessage(
        subject=" / ".join(dict.fromkeys(s for s, _b in parts)),
        body=text + footer,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )


def _footer(lang: str) -> str:
    with translation.override(lang):
        return gettext("Chọn loại thông báo bạn nhận tại")


def remind(today: datetime.date | None = None) -> Summary:
    """Record and send today's notices; returns how many."""
    today = today or timezone.localdate()
    summary = Summary()
    muted = set(Muted.objects.values_list("user_id", "kind"))
    fresh: list[Notification] = []
    for event in events(today):
        for user_id in sorted(event.people):
            if (user_id, event.kind) in muted:
                summary.muted += 1
                continue
            notice = _record(event, user_id)
            if notice is not None:
                summary.recorded += 1
                fresh.append(notice)
    unsent = Notification.objects.filter(sent_at=None).exclude(pk__in=[n.pk for n in fresh])
    _send(fresh + list(unsent.exclude(email_error="")), summary)
    return summary


def _send(notices: list[Notification], summary: Summary) -> None:
    if not notices:
        return
    addresses = dict(
        User.objects.filter(pk__in={n.recipient_id for n in notices}).values_list("pk", "email")
    )
    site = settings.SITE_URL
    connection = get_connection(fail_silently=False)
    for notice in notices:
        address = addresses.get(notice.recipient_id, "")
        if not address:
            continue  # in the inbox only: the person has no address
        try:
            connection.send_messages([_message(notice, address, site)])
        except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors
            notice.email_error = f"{type(exc).__name__}: {exc}"[:300]
            notice.save(update_fields=["email_error"])
            summary.failed += 1
            continue
        notice.sent_at = timezone.now()
        notice.email_error = ""
        notice.save(update_fields=["sent_at", "email_error"])
        summary.emailed += 1
    connection.close()
