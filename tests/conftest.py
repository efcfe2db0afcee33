"""Shared fixtures: alice and bob in one organisation, charlie in another (Healthchecks' trio)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from kredin.models import Membership, Organization, User
from kredin.permissions import Role
from kredin.tenancy import organization_scope

PASSWORD = "correct-horse-battery-staple"


def pytest_collection_modifyitems(config, items):
    """The SQLite pass (the demo's database) leaves out what only PostgreSQL can show."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and the webhook replay window must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_user(email: str) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, full_name=email.split("@")[0])


@pytest.fixture
def alice_org(db) -> Organization:
    # 923609016 and 974760673 are real, valid organisation numbers (MOD11).
    return Organization.objects.create(
        name="Alice Rørlegger AS", organization_number="923609016", slug="alice-ror"
    )


@pytest.fixture
def charlie_org(db) -> Organization:
    return Organization.objects.create(
        name="Charlie Bygg AS", organization_number="974760673", slug="charlie-bygg"
    )


@pytest.fixture
def alice(alice_org) -> User:
    user = make_user("alice@example.no")
    Membership.objects.create(organization=alice_org, user=user, role=Role.OWNER)
    return user


@pytest.fixture
def bob(alice_org) -> User:
    user = make_user("bob@example.no")
    Membership.objects.create(organization=alice_org, user=user, role=Role.MEMBER)
    return user


@pytest.fixture
def charlie(charlie_org) -> User:
    user = make_user("charlie@example.no")
    Membership.objects.create(organization=charlie_org, user=user, role=Role.OWNER)
    return user


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


@pytest.fixture
def client_for():
    def login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_client_for():
    def login(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


@pytest.fixture
def in_alice_scope(alice_org):
    with organization_scope(alice_org):
        yield alice_org
