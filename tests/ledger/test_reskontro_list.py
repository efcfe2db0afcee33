"""The reskontro page: each filter, sorting and pagination of the open-item list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kredin.tenancy import organization_scope
from tests.factories import CustomerFactory, OpenItemFactory
from tests.ledger.helpers import customer_ids, flag_customer, item_ids, page_url

pytestmark = pytest.mark.django_db


def ids(ledger, *names) -> set[int]:
    return {ledger[name].pk for name in names}


def get(client, **params):
    response = client.get(page_url("reskontro"), params)
    assert response.status_code == 200
    return response


def test_reskontro_lists_open_items_only_by_default(client_for, alice, ledger):
    response = get(client_for(alice))
    assert set(item_ids(response)) == ids(
        ledger, "fjord_10", "fjord_45", "bre_not_due", "bre_75", "bre_120"
    )


def test_reskontro_status_settled_shows_settled_items(client_for, alice, ledger):
    response = get(client_for(alice), status="settled")
    assert item_ids(response) == [ledger["fjord_settled"].pk]


def test_reskontro_status_all_shows_open_and_settled(client_for, alice, ledger):
    response = get(client_for(alice), status="all")
    assert len(item_ids(response)) == 6


def test_reskontro_filters_by_customer(client_for, alice, ledger):
    response = get(client_for(alice), customer=ledger["fjord"].pk)
    assert set(item_ids(response)) == ids(ledger, "fjord_10", "fjord_45")
    assert "Fjord AS" in response.content.decode()


@pytest.mark.parametrize(
    ("bucket", "expected"),
    [
        ("not_due", ["bre_not_due"]),
        ("d0_30", ["fjord_10"]),
        ("d31_60", ["fjord_45"]),
        ("d61_90", ["bre_75"]),
        ("d90_plus", ["bre_120"]),
    ],
)
def test_reskontro_filters_by_aging_bucket(client_for, alice, ledger, bucket, expected):
    response = get(client_for(alice), bucket=bucket)
    assert set(item_ids(response)) == ids(ledger, *expected)


def test_reskontro_overdue_filter_hides_items_not_yet_due(client_for, alice, ledger):
    response = get(client_for(alice), overdue="on")
    assert ledger["bre_not_due"].pk not in item_ids(response)
    assert len(item_ids(response)) == 4


def test_reskontro_filters_by_amount_range(client_for, alice, ledger):
    response = get(client_for(alice), amount_min="1000", amount_max="4000")
    assert set(item_ids(response)) == ids(ledger, "fjord_10", "fjord_45", "bre_75")


def test_reskontro_drops_an_invalid_filter_and_keeps_the_rest(client_for, alice, ledger):
    response = get(client_for(alice), amount_min="5000", amount_max="10")
    assert item_ids(response) == [ledger["bre_120"].pk]
    assert "ugyldige" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fjord", ["fjord_10", "fjord_45"]),
        ("2003", ["bre_120"]),
        ("000100112", ["fjord_10"]),
        ("974760673", ["bre_not_due", "bre_75", "bre_120"]),
        ("202", ["bre_not_due", "bre_75", "bre_120"]),
        ("rørarbeid", ["bre_120"]),
    ],
)
def test_reskontro_free_text_search(client_for, alice, ledger, text, expected):
    response = get(client_for(alice), q=text)
    assert set(item_ids(response)) == ids(ledger, *expected)


def test_reskontro_sorts_by_due_date_oldest_first_by_default(client_for, alice, ledger):
    response = get(client_for(alice))
    assert item_ids(response)[0] == ledger["bre_120"].pk
    assert item_ids(response)[-1] == ledger["bre_not_due"].pk


def test_reskontro_sorts_by_outstanding_descending(client_for, alice, ledger):
    response = get(client_for(alice), sort="-outstanding")
    assert item_ids(response)[:2] == [ledger["bre_120"].pk, ledger["bre_75"].pk]


def test_reskontro_sorts_by_customer_name(client_for, alice, ledger):
    response = get(client_for(alice), sort="customer")
    shown = item_ids(response)
    bre = ids(ledger, "bre_not_due", "bre_75", "bre_120")
    assert set(shown[:3]) == bre


def test_reskontro_sort_header_toggles_direction(client_for, alice, ledger):
    html = get(client_for(alice), sort="amount").content.decode()
    assert "sort=-amount" in html
    assert 'aria-sort="ascending"' in html


def test_reskontro_ignores_unknown_sort(client_for, alice, ledger):
    response = get(client_for(alice), sort="id;drop")
    assert item_ids(response)[0] == ledger["bre_120"].pk


def test_reskontro_paginates_fifty_per_page(client_for, alice, alice_org, ledger):
    with organization_scope(alice_org):
        customer = CustomerFactory(name="Mange AS")
        OpenItemFactory.create_batch(60, customer=customer, amount=Decimal("10.00"))
    client = client_for(alice)
    first = get(client, customer=customer.pk)
    second = get(client, customer=customer.pk, page=2)
    assert len(item_ids(first)) == 50
    assert len(item_ids(second)) == 10
    assert not set(item_ids(first)) & set(item_ids(second))
    assert "Side 1 av 2" in first.content.decode()


def test_reskontro_page_out_of_range_shows_last_page(client_for, alice, ledger):
    response = get(client_for(alice), page=99)
    assert len(item_ids(response)) == 5


def test_reskontro_customer_view_lists_customers_with_totals(client_for, alice, ledger):
    response = get(client_for(alice), view="customers")
    assert customer_ids(response) == [ledger["bre"].pk, ledger["fjord"].pk]
    html = response.content.decode()
    assert "17\xa0045,67\xa0kr" in html  # Bre ASA: 700 + 4 000 + 12 345,67
    assert "3\xa0500,50\xa0kr" in html  # Fjord AS: 1 000 + 2 500,50


def test_reskontro_customer_view_sorts_by_name(client_for, alice, ledger):
    response = get(client_for(alice), view="customers", sort="-name")
    assert customer_ids(response) == [ledger["fjord"].pk, ledger["bre"].pk]


def test_reskontro_customer_view_applies_filters(client_for, alice, ledger):
    response = get(client_for(alice), view="customers", bucket="d0_30")
    assert customer_ids(response) == [ledger["fjord"].pk]


def test_reskontro_shows_totals_cards(client_for, alice, ledger):
    html = get(client_for(alice)).content.decode()
    # 1 000 + 2 500,50 + 700 + 4 000 + 12 345,67
    assert 'data-total="outstanding">20\xa0546,17\xa0kr' in html
    assert 'data-total="overdue">19\xa0846,17\xa0kr' in html
    assert 'data-total="customers">2<' in html
    assert 'data-total="items">5<' in html


def test_reskontro_draws_aging_chart_with_accessible_numbers(client_for, alice, ledger):
    html = get(client_for(alice)).content.decode()
    assert '<svg viewBox="0 0 600 180" role="img"' in html
    assert html.count('<rect x="') == 5
    assert "Over 90 dager: 12\xa0345,67\xa0kr" in html  # the SVG description
    assert '<tr data-bucket="d61_90"><td>' in html


def test_reskontro_shows_register_flags_per_customer(client_for, alice, ledger):
    flag_customer(ledger["bre"], under_liquidation=True)
    html = get(client_for(alice)).content.decode()
    badge = '<span class="badge warn" data-flag="under_liquidation">Under avvikling</span>'
    assert html.count(badge) == 3


def test_reskontro_rows_show_register_problems_but_not_plain_matches(client_for, alice, ledger):
    flag_customer(ledger["bre"], bankrupt=True)
    flag_customer(ledger["fjord"])
    html = get(client_for(alice)).content.decode()
    assert html.count('<span class="badge bad" data-flag="bankrupt">Konkurs</span>') == 3
    assert "Treff i Brønnøysund" not in html


def test_reskontro_draws_the_aging_chart_with_its_description(client_for, alice, ledger):
    html = get(client_for(alice)).content.decode()
    assert html.count('<rect x="') == 5
    assert "Over 90 dager: 12\xa0345,67\xa0kr" in html  # the SVG description
    assert '<tr data-bucket="d61_90"><td>' in html
