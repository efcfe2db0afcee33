"""The seeded book ages like a real small company's: mostly recent debt, a thin old tail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sandbox.models import CustomerTransaction
from sandbox.nxt.ledger import VT_INVOICE
from sandbox.seeding import LIMITATION_DAYS, seed_company

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
DEMO = {"customers": 40, "invoices": 200, "seed": 1}  # demo_setup's defaults
LARGE = {"customers": 200, "invoices": 3000, "seed": 1}


def _as_date(value: int) -> date:
    return date(value // 10000, value // 100 % 100, value % 100)


def _open_overdue(company) -> list[tuple[int, Decimal]]:
    """(days past due, outstanding) for every open invoice past its due date."""
    rows = CustomerTransaction.objects.filter(
        company=company, voucher_type=VT_INVOICE, outstanding_amount_domestic__gt=0
    ).values_list("due_date", "outstanding_amount_domestic")
    items = [((TODAY - _as_date(due)).days, amount) for due, amount in rows]
    return [(days, amount) for days, amount in items if days > 0]


def _share(items, keep) -> tuple[float, float]:
    """(share by count, share by value) of the items whose days past due pass `keep`."""
    chosen = [amount for days, amount in items if keep(days)]
    total = sum(amount for _d, amount in items)
    return len(chosen) / len(items), float(sum(chosen, Decimal(0)) / total)


@pytest.mark.parametrize("size", [DEMO, LARGE], ids=["demo", "large"])
def test_most_overdue_debt_is_under_sixty_days(size):
    items = _open_overdue(seed_company(**size, today=TODAY).company)
    assert len(items) >= 20
    by_count, by_value = _share(items, lambda days: days <= 60)
    assert by_count >= 0.6
    assert by_value >= 0.6


@pytest.mark.parametrize("size", [DEMO, LARGE], ids=["demo", "large"])
def test_old_tail_is_thin_and_a_few_items_are_time_barred(size):
    items = _open_overdue(seed_company(**size, today=TODAY).company)
    over_a_year, _ = _share(items, lambda days: days > 365)
    barred = [days for days, _a in items if days > LIMITATION_DAYS]
    assert 0 < over_a_year <= 0.1
    assert barred
    assert len(barred) / len(items) <= 0.05


def test_large_book_has_a_tail_out_to_three_years():
    items = _open_overdue(seed_company(**LARGE, today=TODAY).company)
    between = [days for days, _a in items if 365 < days <= LIMITATION_DAYS]
    barred = [days for days, _a in items if days > LIMITATION_DAYS]
    assert between
    assert 0.01 <= len(barred) / len(items) <= 0.03


def test_same_seed_gives_the_same_book():
    company = seed_company(**DEMO, today=TODAY).company
    fields = [
        "audit_no",
        "customer_no",
        "voucher_date",
        "due_date",
        "invoice_no",
        "cid",
        "amount_domestic",
        "outstanding_amount_domestic",
        "paid_status",
        "voucher_type",
        "paid_date",
        "credited_amount_domestic",
    ]
    first = list(
        CustomerTransaction.objects.filter(company=company)
        .order_by("audit_no")
        .values_list(*fields)
    )
    seed_company(**DEMO, today=TODAY)
    again = list(
        CustomerTransaction.objects.filter(company=company)
        .order_by("audit_no")
        .values_list(*fields)
    )
    assert again == first
