"""Fixtures for the reskontro: a read-only member and a small ledger for alice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kredin.models import Membership, User
from kredin.permissions import Role
from kredin.tenancy import organization_scope
from tests.conftest import make_user
from tests.factories import CustomerFactory, IntegrationFactory, OpenItemFactory


@pytest.fixture
def erin(alice_org) -> User:
    """Read-only in alice's organisation."""
    user = make_user("erin@example.no")
    Membership.objects.create(organization=alice_org, user=user, role=Role.READ_ONLY)
    return user


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def days_ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


@pytest.fixture
def ledger(alice_org, today):
    """Two customers in alice's organisation with items in every aging bucket.

    Fjord AS:  10 days overdue 1 000,00; 45 days overdue 2 500,50; settled 300,00
    Bre ASA:   due in 5 days 700,00; 75 days overdue 4 000,00; 120 days overdue 12 345,67
    """
    with organization_scope(alice_org):
        integration = IntegrationFactory()
        fjord = CustomerFactory(name="Fjord AS", organization_number="923609016", customer_no=101)
        bre = CustomerFactory(name="Bre ASA", organization_number="974760673", customer_no=202)
        items = {
            "fjord_10": OpenItemFactory(
                customer=fjord,
                invoice_no="1001",
                due_date=days_ago(today, 10),
                amount=Decimal("1000.00"),
                kid="000100112",
            ),
            "fjord_45": OpenItemFactory(
                customer=fjord,
                invoice_no="1002",
                due_date=days_ago(today, 45),
                amount=Decimal("2500.50"),
            ),
            "fjord_settled": OpenItemFactory(
                customer=fjord,
                invoice_no="1003",
                due_date=days_ago(today, 50),
                amount=Decimal("300.00"),
                outstanding=Decimal("0.00"),
                status="settled",
            ),
            "bre_not_due": OpenItemFactory(
                customer=bre,
                invoice_no="2001",
                due_date=days_ago(today, -5),
                amount=Decimal("700.00"),
            ),
            "bre_75": OpenItemFactory(
                customer=bre,
                invoice_no="2002",
                due_date=days_ago(today, 75),
                amount=Decimal("4000.00"),
            ),
            "bre_120": OpenItemFactory(
                customer=bre,
                invoice_no="2003",
                due_date=days_ago(today, 120),
                amount=Decimal("12345.67"),
                text="Rørarbeid vinter",
            ),
        }
    return {"integration": integration, "fjord": fjord, "bre": bre, **items}


@pytest.fixture
def sync_calls(monkeypatch):
    """Replace the sync service: record each request and queue a run without a worker."""
    import integrations.services
    from integrations.models import SyncRun

    calls = []

    def fake_sync_request(*, integration, kind, trigger, requested_by):
        calls.append(
            {
                "integration": integration,
                "kind": kind,
                "trigger": trigger,
                "requested_by": requested_by,
            }
        )
        return SyncRun.objects.create(
            integration=integration, kind=kind, trigger=trigger, requested_by=requested_by
        )

    monkeypatch.setattr(integrations.services, "sync_request", fake_sync_request)
    return calls
