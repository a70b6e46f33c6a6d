"""``chiso remind``: find today's events, record a notice for each person concerned who has
not turned its kind off, and e-mail it.

Idempotent: a notice is recorded once per person and event (the unique key), in its own
transaction before its mail leaves, so a second run finds every event recorded and sends
nothing again. A mail that could not leave (the SMTP server down) keeps its error on the
notice and is tried again by the next run, still once at most per success."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

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


def _record(wanted: list[tuple[Event, int]]) -> list[Notification]:
    """The notices of ``wanted`` (event, person) not recorded before, recorded now in one
    transaction; a concurrent run that recorded some first is met one by one."""
    keys = {event.key for event, _user in wanted}
    known = set(Notification.objects.filter(key__in=keys).values_list("recipient_id", "key"))
    new = [
        Notification(
            recipient_id=user_id,
            kind=event.kind,
            key=event.key,
            object_type=event.object_type,
            object_id=event.object_id,
            params=event.params,
            link=event.link,
        )
        for event, user_id in wanted
        if (user_id, event.key) not in known
    ]
    if not new:
        return []
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(new, batch_size=500)
    except IntegrityError:  # another run recorded some of them first
        made = []
        for notice in new:
            try:
                with transaction.atomic():
                    notice.pk = None
                    notice.save()
                made.append(notice)
            except IntegrityError:
                continue
        return made


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
    wanted: list[tuple[Event, int]] = []
    for event in events(today):
        for user_id in sorted(event.people):
            if (user_id, event.kind) in muted:
                summary.muted += 1
            else:
                wanted.append((event, user_id))
    fresh = _record(wanted)
    summary.recorded = len(fresh)
    retried = Notification.objects.filter(sent_at=None).exclude(email_error="")
    _send(fresh + list(retried.exclude(pk__in=[n.pk for n in fresh])), summary)
    return summary


def _send(notices: list[Notification], summary: Summary) -> None:
    """Mail each notice over one connection; the ones that left are marked sent together, a
    failure keeps its error for the next run."""
    if not notices:
        return
    addresses = dict(
        User.objects.filter(pk__in={n.recipient_id for n in notices}).values_list("pk", "email")
    )
    site = settings.SITE_URL
    sent: list[int] = []
    connection = get_connection(fail_silently=False)
    _open(connection)
    try:
        for notice in notices:
            address = addresses.get(notice.recipient_id, "")
            if not address:
                continue  # in the inbox only: the person has no address
            try:
                connection.send_messages([_message(notice, address, site)])
            except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors
                error = f"{type(exc).__name__}: {exc}"[:300]
                Notification.objects.filter(pk=notice.pk).update(email_error=error)
                summary.failed += 1
                connection.close()  # a broken connection is opened again for the next
                _open(connection)
                continue
            sent.append(notice.pk)
            if len(sent) % 200 == 0:
                _mark_sent(sent[-200:])
    finally:
        _mark_sent(sent[len(sent) - len(sent) % 200 :])
        connection.close()
    summary.emailed = len(sent)


def _open(connection: Any) -> None:
    """One connection for every mail of the run (Django's backend would otherwise open and
    close one per call); a server that does not answer leaves each send to fail by itself."""
    try:
        connection.open()
    except OSError:
        connection.close()


def _mark_sent(ids: list[int]) -> None:
    if ids:
        Notification.objects.filter(pk__in=ids).update(sent_at=timezone.now(), email_error="")
