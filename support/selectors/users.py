"""One person, as support sees them: their account and where they belong."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from kredin.models import Membership, PendingSignup, User
from kredin.selectors import memberships_for_user
from support.selectors.organization import with_role_labels


@dataclass(frozen=True)
class PersonOverview:
    person: User
    memberships: list[Membership]
    pending_signup: PendingSignup | None


def support_person_overview(*, user_id: int) -> PersonOverview:
    person = get_object_or_404(User.objects.select_related("pending_signup"), pk=user_id)
    try:
        pending = person.pending_signup
    except User.pending_signup.RelatedObjectDoesNotExist:
        pending = None
    return PersonOverview(
        person=person,
        memberships=with_role_labels(memberships_for_user(user=person)),
        pending_signup=pending,
    )
