"""Reads about organisations and people."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kredin.models import AuditEvent, Membership, Organization, User


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
