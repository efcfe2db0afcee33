"""Bulk upserts behind the sync: a fixed number of queries per page, idempotent writes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger import services
from ledger.models import Customer, ItemKind, ItemStatus, LedgerTransaction, OpenItem
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Entry:
    external_id: str
    customer_external_id: str
    invoice_no: str = ""
    voucher_no: int | None = None
    voucher_date: date | None = date(2026, 1, 1)
    due_date: date | None = date(2026, 1, 15)
    kid: str = ""
    text: str = ""
    amount: Decimal = Decimal("100.00")
    outstanding: Decimal = Decimal("100.00")
    changed_at: str = "2026-01-01 10:00:00.000"
    is_credit_note: bool = False


@dataclass(frozen=True)
class Remote:
    external_id: str
    customer_no: int
    name: str = "Kunde AS"
    organization_number: str = ""
    address_line1: str = ""
    address_line2: str = ""
    post_code: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""
    changed_at: str = ""
    raw: dict | None = None


def _entries(n: int, start: int = 0) -> list[Entry]:
    return [
        Entry(external_id=f"1:{i}", customer_external_id=str(10000 + i % 7), invoice_no=str(i))
        for i in range(start, start + n)
    ]


@pytest.fixture
def integration(in_alice_scope):
    return IntegrationFactory()


@pytest.fixture
def customers(integration) -> dict[str, int]:
    return services.customers_ensure(
        integration_id=integration.pk, external_ids={str(10000 + i) for i in range(7)}, known={}
    )


@pytest.mark.postgres
def test_open_items_upsert_costs_two_queries_whatever_the_page_size(integration, customers):
    for size, start in ((10, 0), (500, 10)):
        with CaptureQueriesContext(connection) as queries:
            count = services.open_items_upsert(
                integration_id=integration.pk, entries=_entries(size, start), customers=customers
            )
        assert count.created == size
        assert len(queries) == 2


def test_repeated_page_writes_nothing(integration, customers):
    page = _entries(50)
    services.open_items_upsert(integration_id=integration.pk, entries=page, customers=customers)
    with CaptureQueriesContext(connection) as queries:
        count = services.open_items_upsert(
            integration_id=integration.pk, entries=page, customers=customers
        )
    assert (count.created, count.updated) == (0, 0)
    assert len(queries) == 1  # the read; no write
    assert OpenItem.objects.count() == 50


def test_changed_row_is_updated_in_place(integration, customers):
    page = _entries(3)
    services.open_items_upsert(integration_id=integration.pk, entries=page, customers=customers)
    changed = [replace(page[1], outstanding=Decimal("40.00"))]
    count = services.open_items_upsert(
        integration_id=integration.pk, entries=changed, customers=customers
    )
    assert (count.created, count.updated) == (0, 1)
    assert OpenItem.objects.get(external_id="1:1").outstanding == Decimal("40.00")


def test_negative_open_entry_is_a_credit_note(integration, customers):
    entry = Entry(
        external_id="2:1",
        customer_external_id="10000",
        amount=Decimal("-50.00"),
        outstanding=Decimal("-50.00"),
    )
    services.open_items_upsert(integration_id=integration.pk, entries=[entry], customers=customers)
    assert OpenItem.objects.get().kind == ItemKind.CREDIT_NOTE


def test_transaction_kinds_follow_sign_and_credit_note_flag(integration, customers):
    rows = [
        Entry(external_id="3:1", customer_external_id="10000"),
        Entry(external_id="3:2", customer_external_id="10000", amount=Decimal("-100.00")),
        Entry(
            external_id="3:3",
            customer_external_id="10000",
            amount=Decimal("-20.00"),
            is_credit_note=True,
        ),
    ]
    services.transactions_upsert(integration_id=integration.pk, entries=rows, customers=customers)
    assert dict(LedgerTransaction.objects.values_list("external_id", "kind")) == {
        "3:1": "invoice",
        "3:2": "payment",
        "3:3": "credit_note",
    }


def test_settle_sets_outstanding_zero_and_time(integration, customers):
    services.open_items_upsert(
        integration_id=integration.pk, entries=_entries(2), customers=customers
    )
    assert services.open_items_settle(external_ids=["1:0"]) == 1
    assert services.open_items_settle(external_ids=["1:0"]) == 0  # already settled
    item = OpenItem.objects.get(external_id="1:0")
    assert (item.status, item.outstanding) == (ItemStatus.SETTLED, Decimal("0.00"))
    assert item.settled_at is not None


def test_missing_customer_gets_a_placeholder_that_the_real_one_fills(integration):
    known = services.customers_ensure(
        integration_id=integration.pk, external_ids={"20001"}, known={}
    )
    assert Customer.objects.get(pk=known["20001"]).name == "Kunde 20001"
    count = services.customers_upsert(
        integration_id=integration.pk,
        records=[
            Remote(
                external_id="20001",
                customer_no=20001,
                name="Hansen AS",
                raw={"customerNo": 20001, "name": "Hansen AS"},
            )
        ],
    )
    assert (count.created, count.updated) == (0, 1)
    assert Customer.objects.get(pk=known["20001"]).name == "Hansen AS"


def test_enrichment_corrections_survive_an_unchanged_ledger_row(integration):
    remote = Remote(
        external_id="30001",
        customer_no=30001,
        address_line1="Ledgergata 1",
        raw={"customerNo": 30001, "addressLine1": "Ledgergata 1"},
    )
    services.customers_upsert(integration_id=integration.pk, records=[remote])
    Customer.objects.filter(external_id="30001").update(address_line1="Registerveien 2")
    services.customers_upsert(integration_id=integration.pk, records=[remote])
    assert Customer.objects.get(external_id="30001").address_line1 == "Registerveien 2"
