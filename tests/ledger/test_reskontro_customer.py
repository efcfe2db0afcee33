"""One customer: facts, totals, open items and the ledger history."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from kredin.tenancy import organization_scope
from tests.factories import LedgerTransactionFactory
from tests.ledger.helpers import flag_customer, item_ids, page_url

pytestmark = pytest.mark.django_db


def detail(client, customer, **params):
    response = client.get(page_url("customer-detail", customer_id=customer.pk), params)
    assert response.status_code == 200
    return response


def test_customer_detail_shows_open_items_of_that_customer_only(client_for, alice, ledger):
    response = detail(client_for(alice), ledger["fjord"])
    assert set(item_ids(response)) == {ledger["fjord_10"].pk, ledger["fjord_45"].pk}


def test_customer_detail_can_include_settled_items(client_for, alice, ledger):
    response = detail(client_for(alice), ledger["fjord"], status="all")
    assert ledger["fjord_settled"].pk in item_ids(response)


def test_customer_detail_shows_totals(client_for, alice, ledger):
    html = detail(client_for(alice), ledger["bre"]).content.decode()
    assert 'data-total="outstanding">17\xa0045,67\xa0kr' in html
    assert 'data-total="overdue">16\xa0345,67\xa0kr' in html


def test_customer_detail_lists_ledger_history_newest_first(
    client_for, alice, alice_org, ledger, today
):
    with organization_scope(alice_org):
        old = LedgerTransactionFactory(
            customer=ledger["fjord"],
            voucher_date=today - dt.timedelta(days=60),
            text="Faktura 1002",
        )
        new = LedgerTransactionFactory(
            customer=ledger["fjord"],
            kind="payment",
            voucher_date=today - dt.timedelta(days=2),
            amount=Decimal("-500.00"),
            text="Innbetaling",
        )
        LedgerTransactionFactory(customer=ledger["bre"], text="Ikke Fjord")
    html = detail(client_for(alice), ledger["fjord"]).content.decode()
    shown = [int(i) for i in re.findall(r'data-transaction-id="(\d+)"', html)]
    assert shown == [new.pk, old.pk]
    assert "Innbetaling" in html
    assert "−500,00" in html
    assert "Ikke Fjord" not in html


def test_customer_detail_links_back_to_filtered_reskontro(client_for, alice, ledger):
    html = detail(client_for(alice), ledger["fjord"]).content.decode()
    assert f"?customer={ledger['fjord'].pk}" in html


def test_customer_detail_shows_register_flags(client_for, alice, ledger):
    flag_customer(ledger["fjord"], bankrupt=True)
    html = detail(client_for(alice), ledger["fjord"]).content.decode()
    assert '<span class="badge bad">Konkurs</span>' in html


def test_customer_detail_shows_no_register_panel_before_enrichment(client_for, alice, ledger):
    response = detail(client_for(alice), ledger["fjord"])
    assert response.context["customer_flags"] == {}
