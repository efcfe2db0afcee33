"""Incremental sync: payments settle, credit notes reduce, new and newly due items arrive."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from integrations.models import SyncKind, SyncStatus
from ledger.models import ItemStatus, LedgerTransaction, OpenItem, TransactionKind
from sandbox.nxt import ledger as sandbox_ledger

pytestmark = pytest.mark.django_db(transaction=True)


def _open_invoice() -> OpenItem:
    return (
        OpenItem.objects.filter(status=ItemStatus.OPEN, kind="invoice", amount__gt=1000)
        .exclude(invoice_no="")
        .filter(outstanding=models_f("amount"))
        .order_by("external_id")
        .first()
    )


def models_f(name):
    from django.db.models import F

    return F(name)


def test_item_paid_in_the_sandbox_is_settled_after_the_next_sync(sandbox_integration):
    sandbox_integration.sync()
    item = _open_invoice()
    sandbox_ledger.register_payment(
        company_no=sandbox_integration.company_no, invoice_no=item.invoice_no
    )
    run = sandbox_integration.sync(kind=SyncKind.INCREMENTAL)
    assert run.status == SyncStatus.SUCCEEDED, run.error
    item.refresh_from_db()
    assert item.status == ItemStatus.SETTLED
    assert item.outstanding == Decimal("0.00")
    assert item.settled_at is not None
    assert run.items_settled == 1
    assert LedgerTransaction.objects.filter(
        invoice_no=item.invoice_no, kind=TransactionKind.PAYMENT, amount=-item.amount
    ).exists()


def test_item_paid_is_settled_by_a_full_sync_too(sandbox_integration):
    sandbox_integration.sync()
    item = _open_invoice()
    sandbox_ledger.register_payment(
        company_no=sandbox_integration.company_no, invoice_no=item.invoice_no
    )
    run = sandbox_integration.sync(kind=SyncKind.FULL)
    item.refresh_from_db()
    assert (item.status, item.outstanding, run.items_settled) == (
        ItemStatus.SETTLED,
        Decimal("0.00"),
        1,
    )


def test_credit_note_reduces_the_outstanding_amount(sandbox_integration):
    sandbox_integration.sync()
    item = _open_invoice()
    sandbox_ledger.add_credit_note(
        company_no=sandbox_integration.company_no,
        invoice_no=item.invoice_no,
        amount=Decimal("100.00"),
    )
    run = sandbox_integration.sync(kind=SyncKind.INCREMENTAL)
    assert run.status == SyncStatus.SUCCEEDED, run.error
    before = item.outstanding
    item.refresh_from_db()
    assert item.outstanding == before - Decimal("100.00")
    assert item.status == ItemStatus.OPEN
    credit = LedgerTransaction.objects.get(
        invoice_no=item.invoice_no, kind=TransactionKind.CREDIT_NOTE
    )
    assert credit.amount == Decimal("-100.00")


def test_partial_payment_keeps_the_item_open_with_the_rest(sandbox_integration):
    sandbox_integration.sync()
    item = _open_invoice()
    sandbox_ledger.register_payment(
        company_no=sandbox_integration.company_no,
        invoice_no=item.invoice_no,
        amount=Decimal("500.00"),
    )
    sandbox_integration.sync(kind=SyncKind.INCREMENTAL)
    before = item.outstanding
    item.refresh_from_db()
    assert (item.status, item.outstanding) == (ItemStatus.OPEN, before - Decimal("500.00"))


def test_new_overdue_invoice_arrives_and_a_future_one_does_not(sandbox_integration):
    sandbox_integration.sync()
    today = timezone.localdate()
    customer_no = int(OpenItem.objects.first().customer.external_id)
    overdue = sandbox_ledger.add_invoice(
        company_no=sandbox_integration.company_no,
        customer_no=customer_no,
        amount=Decimal("1234.00"),
        voucher_date=today - timedelta(days=20),
        due_date=today - timedelta(days=5),
    )
    future = sandbox_ledger.add_invoice(
        company_no=sandbox_integration.company_no,
        customer_no=customer_no,
        amount=Decimal("999.00"),
        voucher_date=today,
        due_date=today + timedelta(days=14),
    )
    run = sandbox_integration.sync(kind=SyncKind.INCREMENTAL)
    assert run.items_created == 1
    assert OpenItem.objects.filter(invoice_no=overdue.invoice_no, status=ItemStatus.OPEN).exists()
    assert not OpenItem.objects.filter(invoice_no=future.invoice_no).exists()
    assert LedgerTransaction.objects.filter(invoice_no=future.invoice_no).exists()


def test_incremental_picks_up_items_that_newly_passed_the_due_cutoff(sandbox_integration):
    integration = sandbox_integration.integration
    integration.days_past_due = 40
    integration.save(update_fields=["days_past_due"])
    sandbox_integration.sync()
    integration.refresh_from_db()
    count = OpenItem.objects.count()
    # As if the next sync ran 30 days later: lower days past due moves the cut-off forward.
    integration.days_past_due = 10
    integration.save(update_fields=["days_past_due"])
    incremental = sandbox_integration.sync(kind=SyncKind.INCREMENTAL)
    assert incremental.status == SyncStatus.SUCCEEDED
    after_incremental = sandbox_integration.mirror()["items"]
    assert len(after_incremental) > count
    sandbox_integration.sync(kind=SyncKind.FULL)
    assert sandbox_integration.mirror()["items"] == after_incremental


def test_incremental_without_changes_writes_nothing(sandbox_integration):
    sandbox_integration.sync()
    before = sandbox_integration.mirror()
    run = sandbox_integration.sync(kind=SyncKind.INCREMENTAL)
    assert run.status == SyncStatus.SUCCEEDED
    assert (run.items_created, run.items_updated, run.items_settled) == (0, 0, 0)
    assert sandbox_integration.mirror() == before


def test_incremental_without_a_watermark_runs_a_full_sync(sandbox_integration):
    run = sandbox_integration.sync(kind=SyncKind.INCREMENTAL)
    assert run.status == SyncStatus.SUCCEEDED
    assert run.items_created == OpenItem.objects.count() > 0
