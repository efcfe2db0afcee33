"""Notification e-mail: one at a time up to a daily limit, the rest in a daily digest.

A row is marked `sending` (in a committed transaction) before SMTP is asked, and only a
`pending` or `digest` row is picked up, so nothing goes out twice; a row a crash leaves
`sending` stays so, for a person to look at, and is never resent by itself. A row still
`pending` an hour on was never picked up (the queue was down) and goes in the digest.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kredin.models import (
    Notification,
    NotificationEmail,
    NotificationPreference,
    User,
)
from kredin.notification_texts import notification_text

logger = logging.getLogger(__name__)

# More than this many single notification e-mails in 24 hours, and the rest wait for the digest.
SINGLE_EMAILS_PER_DAY = 3
# A row still pending this long was never picked up (the queue was down): the digest takes it.
UNCLAIMED_AFTER = timedelta(hours=1)


def _for_digest() -> Q:
    unclaimed = Q(
        email_state=NotificationEmail.PENDING, created_at__lt=timezone.now() - UNCLAIMED_AFTER
    )
    return Q(email_state=NotificationEmail.DIGEST) | unclaimed


def _absolute(path: str) -> str:
    if not path:
        return ""
    return settings.SITE_URL.rstrip("/") + path


def _preferences_link(notification: Notification) -> str:
    return _absolute(
        reverse(
            "notification-preferences",
            kwargs={"org_slug": notification.organization.slug},
        )
    )


def _single_emails_last_day(*, user: User) -> int:
    return (
        Notification.objects.unscoped()
        .filter(
            user=user,
            email_in_digest=False,
            email_at__gte=timezone.now() - timedelta(hours=24),
        )
        .exclude(email_state__in=[NotificationEmail.PENDING, NotificationEmail.DIGEST])
        .count()
    )


def _still_wanted(*, user: User, kind: str) -> bool:
    return (
        user.is_active
        and not NotificationPreference.objects.filter(user=user, kind=kind, email=False).exists()
    )


def _item(notification: Notification) -> dict:
    return {
        "text": notification_text(kind=notification.kind, params=notification.params),
        "kind": notification.kind,
        "params": notification.params,
        "link": _absolute(notification.url),
        "organization": notification.organization.name,
    }


def _deliver(*, rows: list[Notification], subject: str, body: str, to: str) -> None:
    """Hand one e-mail to SMTP and record the outcome; never retried after a failure,
    since SMTP may have taken the message before the error."""
    ids = [row.pk for row in rows]
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
    except Exception:
        logger.exception("Notification e-mail failed (notifications %s)", ids)
        Notification.objects.unscoped().filter(pk__in=ids).update(
            email_state=NotificationEmail.FAILED
        )
        return
    Notification.objects.unscoped().filter(pk__in=ids).update(email_state=NotificationEmail.SENT)


def notification_email_send(*, notification_id: int) -> None:
    """E-mail one notification now, or hold it for the digest if the person has had enough
    today. Runs in the notification's organisation scope."""
    user_id = (
        Notification.objects.filter(pk=notification_id).values_list("user_id", flat=True).first()
    )
    if user_id is None:
        return
    with transaction.atomic():
        # Locking the person serialises their e-mails, so two workers cannot both send
        # the third of the day.
        user = User.objects.select_for_update().get(pk=user_id)
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("organization")
            .filter(pk=notification_id, email_state=NotificationEmail.PENDING)
            .first()
        )
        if notification is None:
            return
        if not _still_wanted(user=user, kind=notification.kind):
            notification.email_state = NotificationEmail.SKIPPED
        elif _single_emails_last_day(user=user) >= SINGLE_EMAILS_PER_DAY:
            notification.email_state = NotificationEmail.DIGEST
        else:
            notification.email_state = NotificationEmail.SENDING
            notification.email_at = timezone.now()
        notification.save(update_fields=["email_state", "email_at"])
    if notification.email_state != NotificationEmail.SENDING:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            **_item(notification),
            "preferences_link": _preferences_link(notification),
        }
        subject = render_to_string("emails/notification_subject.txt", context).strip()
        body = render_to_string("emails/notification.txt", context)
    _deliver(rows=[notification], subject=subject, body=body, to=user.email)


def notification_digest_send(*, user_id: int) -> int:
    """One e-mail with everything held back for the person, across organisations.
    Returns how many notifications it listed."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        held = Notification.objects.unscoped().select_for_update(of=("self",))
        rows = list(
            held.select_related("organization")
            .filter(_for_digest(), user=user)
            .order_by("created_at", "id")
        )
        if not rows:
            return 0
        wanted = [row for row in rows if _still_wanted(user=user, kind=row.kind)]
        declined = [row.pk for row in rows if row not in wanted]
        Notification.objects.unscoped().filter(pk__in=declined).update(
            email_state=NotificationEmail.SKIPPED
        )
        Notification.objects.unscoped().filter(pk__in=[row.pk for row in wanted]).update(
            email_state=NotificationEmail.SENDING, email_at=timezone.now(), email_in_digest=True
        )
    if not wanted:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "items": [_item(row) for row in wanted],
            "count": len(wanted),
            "preferences_link": _preferences_link(wanted[0]),
        }
        subject = render_to_string("emails/notification_digest_subject.txt", context).strip()
        body = render_to_string("emails/notification_digest.txt", context)
    _deliver(rows=wanted, subject=subject, body=body, to=user.email)
    return len(wanted)


def notification_digests_send() -> int:
    """Every person's digest; returns how many e-mails went to SMTP."""
    user_ids = (
        Notification.objects.unscoped()
        .filter(_for_digest())
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(1 for user_id in sorted(set(user_ids)) if notification_digest_send(user_id=user_id))
