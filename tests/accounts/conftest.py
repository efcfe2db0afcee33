"""Fixtures for people and organisations: more roles in alice's organisation."""

from __future__ import annotations

import pytest

from kredin.models import Membership, Organization, User
from kredin.permissions import Role
from tests.conftest import make_user


def membership_of(user: User, organization: Organization) -> Membership:
    return Membership.objects.get(user=user, organization=organization)


@pytest.fixture
def dave(alice_org) -> User:
    """An admin in alice's organisation."""
    user = make_user("dave@example.no")
    Membership.objects.create(organization=alice_org, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def erin(alice_org) -> User:
    """Read-only in alice's organisation."""
    user = make_user("erin@example.no")
    Membership.objects.create(organization=alice_org, user=user, role=Role.READ_ONLY)
    return user
