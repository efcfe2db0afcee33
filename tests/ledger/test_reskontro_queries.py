"""A page costs the same number of SQL queries whether it shows 10 rows or 100."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kredin.tenancy import organization_scope
from ledger import views
from tests.factories import (
    CustomerFactory,
    LedgerTransactionFactory,
    OpenItemFactory,
    SyncRunFactory,
)
from tests.ledger.helpers import api_url, customer_ids, item_ids, page_url

pytestmark = pytest.mark.django_db


def grow(alice_org, ledger, *, customers: int, items_each: int) -> None:
    with organization_scope(alice_org):
        SyncRunFactory(integration=ledger["integration"])
        for _ in range(customers):
            customer = CustomerFactory()
            OpenItemFactory.create_batch(items_each, customer=customer, amount=Decimal("99.50"))
            LedgerTransactionFactory.create_batch(items_each, customer=ledger["fjord"])


def count_queries(client, url, params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


@pytest.fixture
def big_pages(monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 100)


def test_reskontro_item_list_query_count_is_constant(
    client_for, alice, alice_org, ledger, big_pages
):
    client = client_for(alice)
    grow(alice_org, ledger, customers=5, items_each=1)
    small, response = count_queries(client, page_url("reskontro"), {})
    assert len(item_ids(response)) == 10
    grow(alice_org, ledger, customers=30, items_each=3)
    large, response = count_queries(client, page_url("reskontro"), {})
    assert len(item_ids(response)) == 100
    assert small == large


def test_reskontro_customer_list_query_count_is_constant(
    client_for, alice, alice_org, ledger, big_pages
):
    client = client_for(alice)
    params = {"view": "customers"}
    grow(alice_org, ledger, customers=8, items_each=1)
    small, response = count_queries(client, page_url("reskontro"), params)
    assert len(customer_ids(response)) == 10
    grow(alice_org, ledger, customers=90, items_each=1)
    large, response = count_queries(client, page_url("reskontro"), params)
    assert len(customer_ids(response)) == 100
    assert small == large


def test_customer_detail_query_count_is_constant(client_for, alice, alice_org, ledger):
    client = client_for(alice)
    url = page_url("customer-detail", customer_id=ledger["fjord"].pk)
    with organization_scope(alice_org):
        LedgerTransactionFactory(customer=ledger["fjord"])
    small, _ = count_queries(client, url, {})
    grow(alice_org, ledger, customers=1, items_each=40)
    with organization_scope(alice_org):
        OpenItemFactory.create_batch(40, customer=ledger["fjord"])
    large, response = count_queries(client, url, {})
    assert len(item_ids(response)) == 42
    assert small == large


def test_reskontro_page_stays_within_a_small_query_budget(
    client_for, alice, django_assert_max_num_queries, ledger
):
    client = client_for(alice)
    with django_assert_max_num_queries(12):
        assert client.get(page_url("reskontro")).status_code == 200


@pytest.mark.parametrize("name", ["open-item-list", "customer-list"])
def test_api_list_query_count_is_constant(api_client_for, alice, alice_org, ledger, name):
    client = api_client_for(alice)
    grow(alice_org, ledger, customers=8, items_each=1)
    small, response = count_queries(client, api_url(name), {"page_size": 10})
    assert len(response.json()["results"]) == 10
    grow(alice_org, ledger, customers=90, items_each=1)
    large, response = count_queries(client, api_url(name), {"page_size": 100})
    assert len(response.json()["results"]) == 100
    assert small == large
