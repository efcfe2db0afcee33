"""Helpers for the account tests (the role fixtures dave and erin live in tests/conftest.py)."""

from __future__ import annotations

from kredin.models import Membership, Organization, User


def membership_of(user: User, organization: Organization) -> Membership:
    return Membership.objects.get(user=user, organization=organization)
