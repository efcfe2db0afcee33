"""Selectors behind the reskontro: free-text resolution, summary arithmetic, customer rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kredin.page_extensions import customer_badges
from kredin.tenancy import organization_scope
from ledger import filters, selectors
from ledger.filters import ReskontroFilter, open_items_filtered, text_customer_ids
from ledger.models import OpenItem
from tests.ledger.helpers import flag_customer

pytestmark = pytest.mark.django_db


def invoice_numbers(queryset) -> set[str]:
    return set(queryset.values_list("invoice_no", flat=True))


def test_text_search_gives_same_items_with_or_without_resolved_customer_ids(
    alice_org, ledger, today
):
    with organization_scope(alice_org):
        resolved = ReskontroFilter(q="bre", q_customer_ids=text_customer_ids("bre"))
        subquery = ReskontroFilter(q="bre")
        items = OpenItem.objects.all()
        assert invoice_numbers(open_items_filtered(items, resolved, today=today)) == {
            "2001",
            "2002",
            "2003",
        }
        assert invoice_numbers(open_items_filtered(items, subquery, today=today)) == {
            "2001",
            "2002",
            "2003",
        }


def test_text_customer_ids_gives_up_above_the_limit(alice_org, ledger, monkeypatch):
    monkeypatch.setattr(filters, "TEXT_CUSTOMER_ID_LIMIT", 1)
    with organization_scope(alice_org):
        assert text_customer_ids("a") is None  # both "Fjord AS" and "Bre ASA"
        assert text_customer_ids("fjord") == (ledger["fjord"].pk,)


def test_text_customer_ids_stay_inside_the_organization(alice_org, charlie_org, ledger):
    with organization_scope(charlie_org):
        assert text_customer_ids("fjord") == ()


def test_summary_buckets_add_up_to_totals(alice_org, ledger, today):
    with organization_scope(alice_org):
        summary = selectors.reskontro_summary(flt=ReskontroFilter(), today=today)
    assert sum(b.outstanding for b in summary.buckets) == summary.total_outstanding
    assert sum(b.count for b in summary.buckets) == summary.item_count
    assert summary.overdue_outstanding == summary.total_outstanding - Decimal("700.00")


def test_summary_counts_items_without_due_date_as_not_due(alice_org, ledger, today):
    with organization_scope(alice_org):
        OpenItem.objects.filter(pk=ledger["bre_75"].pk).update(due_date=None)
        summary = selectors.reskontro_summary(flt=ReskontroFilter(), today=today)
    not_due = summary.buckets[0]
    assert (not_due.key, not_due.count, not_due.outstanding) == ("not_due", 2, Decimal("4700.00"))


def test_customer_totals_slice_by_name_and_by_amount(alice_org, ledger, today):
    with organization_scope(alice_org):
        by_name = selectors.customer_totals_list(flt=ReskontroFilter(), sort="-name", today=today)
        by_amount = selectors.customer_totals_list(
            flt=ReskontroFilter(), sort="outstanding", today=today
        )
        assert len(by_name) == 2
        assert [row["customer__name"] for row in by_name[0:2]] == ["Fjord AS", "Bre ASA"]
        assert by_amount[0]["customer__name"] == "Fjord AS"
        assert by_amount[1]["outstanding_total"] == Decimal("17045.67")


def test_customer_flags_returns_register_badges_for_the_page(alice_org, ledger):
    flag_customer(ledger["bre"], bankrupt=True)
    with organization_scope(alice_org):
        flags = customer_badges.badges([ledger["bre"].pk, ledger["fjord"].pk])
    badges = flags[ledger["bre"].pk]
    assert (badges[0].label, badges[0].css) == ("Konkurs", "bad")
    assert ledger["fjord"].pk not in flags
