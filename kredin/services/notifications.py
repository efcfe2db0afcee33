"""Telling members what needs them: one row per recipient, e-mail after commit.

Who hears of a kind is decided here, from the memberships' permissions at the moment of
the call, so callers only say what happened. E-mail is the task's business
(`kredin/services/notification_email.py`); this module never talks to SMTP.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from kredin.models import (
    Membership,
    Notification,
    NotificationEmail,
    NotificationKind,
    NotificationPreference,
    Organization,
    User,
)
from kredin.permissions import Permission
from kredin.tasks import notification_emails_send_task
from kredin.tenancy import organization_scope

logger = logging.getLogger(__name__)

AUDIENCE: dict[NotificationKind, Permission] = {
    NotificationKind.LEGAL_STEP_POSSIBLE: Permission.SIGN_LEGAL_DOCUMENTS,
    NotificationKind.SIGNATURE_AWAITED: Permission.SIGN_LEGAL_DOCUMENTS,
    NotificationKind.LIMITATION_WARNING: Permission.SIGN_LEGAL_DOCUMENTS,
    # Owners and admins: the people who may change settings and integrations.
    NotificationKind.DELIVERY_FAILED: Permission.MANAGE_SETTINGS,
    NotificationKind.VOUCHER_FAILED: Permission.MANAGE_SETTINGS,
    NotificationKind.INTEGRATION_RECONNECT: Permission.MANAGE_SETTINGS,
    NotificationKind.SYNC_FAILING: Permission.MANAGE_SETTINGS,
    NotificationKind.REGISTER_FLAG: Permission.MANAGE_SETTINGS,
    NotificationKind.OBJECTION_RECEIVED: Permission.WORK_CASES,
}


def notification_audience(*, organization: Organization, kind: NotificationKind) -> list[User]:
    permission = AUDIENCE[NotificationKind(kind)]
    memberships = Membership.objects.filter(
        organization=organization, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships.order_by("user_id") if m.has(permission)]


def _email_wanted(*, users: list[User], kind: NotificationKind) -> set[int]:
    declined = set(
        NotificationPreference.objects.filter(user__in=users, kind=kind, email=False).values_list(
            "user_id", flat=True
        )
    )
    return {user.pk for user in users if user.pk not in declined}


def notify(
    *,
    organization: Organization,
    kind: NotificationKind,
    params: dict,
    url: str = "",
    key: str = "",
) -> int:
    """Tell the members the kind is for in-app and, per their preference, by e-mail (sent
    after commit by a Celery task, or in the daily digest). `params` is JSON (str/int
    only), `url` a site path, `key` dedupes: a second call with the same organisation,
    kind and key adds nothing. Returns how many users were told. Safe inside a transaction.
    """
    kind = NotificationKind(kind)
    if not all(value is None or isinstance(value, str | int) for value in params.values()):
        # Rows outlive code: a date or a model instance would not read back the same.
        raise TypeError("Notification params are str or int (or None) only.")
    with organization_scope(organization):
        if key and Notification.objects.filter(kind=kind, key=key).exists():
            return 0
        users = notification_audience(organization=organization, kind=kind)
        wanted = _email_wanted(users=users, kind=kind)
        now = timezone.now()
        created: list[Notification] = []
        for user in users:
            try:
                # A savepoint per row: a concurrent call with the same key wins quietly.
                with transaction.atomic():
                    notification = Notification.objects.create(
                        organization=organization,
                        user=user,
                        kind=kind,
                        params=params,
                        url=url,
                        key=key,
                        created_at=now,
                        email_state=(
                            NotificationEmail.PENDING
                            if user.pk in wanted
                            else NotificationEmail.SKIPPED
                        ),
                    )
            except IntegrityError:
                continue
            created.append(notification)
    to_email = [n.pk for n in created if n.email_state == NotificationEmail.PENDING]
    if to_email:
        organization_id = organization.pk
        transaction.on_commit(lambda: _enqueue_emails(organization_id, to_email))
    return len(created)


def _enqueue_emails(organization_id: int, notification_ids: list[int]) -> None:
    try:
        notification_emails_send_task.delay(organization_id, notification_ids)
    except Exception:
        # What happened is committed; the next digest takes e-mail nobody picked up.
        logger.warning("could not queue notification e-mail %s", notification_ids, exc_info=True)


def notification_mark_read(*, notification: Notification) -> Notification:
    """Only the row of the person who read it: each member reads their own."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, organization: Organization, user: User) -> int:
    with organization_scope(organization):
        return Notification.objects.filter(user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )


@transaction.atomic
def notification_preferences_set(*, user: User, email: dict[str, bool]) -> None:
    """Store the person's e-mail choice per kind (unknown kinds are refused)."""
    for kind, wanted in email.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=NotificationKind(kind), defaults={"email": bool(wanted)}
        )
