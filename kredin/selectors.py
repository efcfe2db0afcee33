"""Reads about organisations and people."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Window
from django.http import Http404

from kredin.models import (
    AuditEvent,
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
    Organization,
    SupportNote,
    User,
    ViewAsMembership,
)
from kredin.permissions import Role
from kredin.tenancy import organization_scope
from kredin.view_as import view_as_for


def membership_get(*, user: User, organization_slug: str) -> Membership:
    """The user's membership in the organisation, or 404 for anyone else (never 403)."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organization")
        .filter(user=user, organization__slug=organization_slug)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def membership_for_request(*, request, organization_slug: str) -> Membership:
    """The membership a request acts with: the person's own, or, while a support agent
    views as a customer, a read-only stand-in in that one organisation (404 elsewhere)."""
    view_as = view_as_for(request)
    if view_as is None:
        return membership_get(user=request.user, organization_slug=organization_slug)
    if view_as.organization.slug != organization_slug:
        raise Http404
    return ViewAsMembership(
        user=request.user, organization=view_as.organization, role=Role.READ_ONLY
    )


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("organization")
        .filter(user=user)
        .order_by("organization__name")
    )


def organization_members(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("user")
        .filter(organization=organization)
        .order_by("user__email")
    )


def audit_events_for_organization(*, organization: Organization) -> QuerySet[AuditEvent]:
    """Only what happened in this organisation: members' log-ins and whatever they do
    elsewhere are theirs, not the owners' to read."""
    return (
        AuditEvent.objects.filter(organization=organization)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def audit_events_for_user(*, user: User, limit: int = 20) -> list[AuditEvent]:
    """The person's own account events (log-ins, password changes), for their account page."""
    return list(
        AuditEvent.objects.filter(organization__isnull=True, actor=user).order_by(
            "-created_at", "-id"
        )[:limit]
    )


def notifications_for_user(
    *, user: User, organization: Organization, unread_only: bool = False
) -> QuerySet[Notification]:
    """The person's own notifications in the organisation in scope, newest first."""
    notifications = Notification.objects.filter(organization=organization, user=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def notification_get(*, user: User, organization: Organization, notification_id: int):
    """One of the person's notifications, or 404 (someone else's is not there for them)."""
    notification = (
        notifications_for_user(user=user, organization=organization)
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        raise Http404
    return notification


@dataclass(frozen=True)
class Bell:
    unread: int
    latest: list[Notification]


def notification_bell(*, user: User, organization: Organization, latest: int = 5) -> Bell:
    """The unread count and the newest unread, in one query (the count is a window over
    all unread rows, taken before the limit)."""
    with organization_scope(organization):
        rows = list(
            notifications_for_user(user=user, organization=organization, unread_only=True).annotate(
                unread_total=Window(Count("pk"))
            )[:latest]
        )
    return Bell(unread=rows[0].unread_total if rows else 0, latest=rows)


def notification_preferences(*, user: User) -> dict[str, bool]:
    """Whether the person wants e-mail, per kind; a kind with no choice made means yes."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind.value: chosen.get(kind.value, True) for kind in NotificationKind}


def support_notes_for_organization(
    *, organization: Organization, limit: int = 20
) -> list[SupportNote]:
    """What the organisation's people shared with support, newest first (for the console)."""
    return list(
        SupportNote.objects.unscoped()
        .filter(organization=organization)
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )
