"""Reads about organisations and people."""

from __future__ import annotations

from django.db.models import Q, QuerySet
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
    # Log-ins belong to a person, not an organisation, so they are stored without one;
    # an owner still sees those of the people who are members now.
    member_ids = Membership.objects.filter(organization=organization).values("user_id")
    personal = Q(organization__isnull=True, action__startswith="auth.", actor_id__in=member_ids)
    return (
        AuditEvent.objects.filter(Q(organization=organization) | personal)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
