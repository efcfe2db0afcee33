"""Full sync against the Business NXT stand-in: what lands in the mirror, and the run's record."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from integrations.businessnxt.records import parse_date
from integrations.models import SyncStatus
from integrations.sync.engine import due_cutoff
from ledger.models import Customer, ItemKind, ItemStatus, LedgerTransaction, OpenItem
from sandbox.models import Associate, CustomerTransaction

pytestmark = pytest.mark.django_db(transaction=True)


def _date(value: int):
    return parse_date(value)


def test_first_sync_stores_exactly_the_items_under_the_settings(sandbox_integration):
    integration = sandbox_integration.integration
    run = sandbox_integration.sync()
    assert run.status == SyncStatus.SUCCEEDED, run.error

    cutoff = due_cutoff(integration)
    expected = {
        f"{row.voucher_journal_no}:{row.audit_no}": row
        for row in CustomerTransaction.objects.filter(
            company__company_no=integration.visma_company_id
        )
        if row.outstanding_amount_domestic != 0
        and row.customer_no > 0
        and _date(row.due_date) is not None
        and _date(row.due_date) <= cutoff
        and row.voucher_date >= int(integration.fetch_from_date.strftime("%Y%m%d"))
    }
    stored = {item.external_id: item for item in OpenItem.objects.all()}
    assert set(stored) == set(expected)
    assert expected, "the seed should leave some overdue items"
    for external_id, row in expected.items():
        item = stored[external_id]
        assert item.outstanding == row.outstanding_amount_domestic
        assert item.amount == row.amount_domestic
        assert item.status == ItemStatus.OPEN
        assert item.kind == (ItemKind.INVOICE if row.amount_domestic > 0 else ItemKind.CREDIT_NOTE)
        assert item.customer.external_id == str(row.customer_no)


def test_first_sync_mirrors_customers_and_the_history_since_the_fetch_date(sandbox_integration):
    integration = sandbox_integration.integration
    sandbox_integration.sync()
    customers = Associate.objects.filter(
        company__company_no=integration.visma_company_id, customer_no__gt=0
    )
    assert set(Customer.objects.values_list("external_id", flat=True)) == {
        str(c.customer_no) for c in customers
    }
    since = int(integration.fetch_from_date.strftime("%Y%m%d"))
    history = CustomerTransaction.objects.filter(
        company__company_no=integration.visma_company_id, voucher_date__gte=since
    )
    assert LedgerTransaction.objects.count() == history.count()
    kinds = dict(LedgerTransaction.objects.values_list("external_id", "kind"))
    for row in history:
        expected = {1: "invoice", 2: "credit_note", 3: "payment"}[row.voucher_type]
        assert kinds[f"{row.voucher_journal_no}:{row.audit_no}"] == expected


def test_sync_records_progress_watermark_and_cutoff(sandbox_integration):
    run = sandbox_integration.sync()
    integration = sandbox_integration.integration
    assert run.items_seen == OpenItem.objects.count()
    assert run.items_created == run.items_seen
    assert run.customers_seen == Customer.objects.count()
    assert run.transactions_seen == LedgerTransaction.objects.count()
    assert run.done_steps == run.total_steps > 0
    assert run.started_at and run.finished_at
    assert integration.last_synced_at is not None
    assert integration.synced_due_cutoff == due_cutoff(integration)
    latest = CustomerTransaction.objects.order_by("-changed_timestamp").first()
    local = timezone.localtime(latest.changed_timestamp).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    started, finished = (
        timezone.localtime(t).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        for t in (run.started_at, run.finished_at)
    )
    if local < started:
        assert integration.sync_watermark == local
    else:  # stamps from the future are capped at the run's start
        assert started <= integration.sync_watermark <= finished


def test_second_full_sync_changes_nothing(sandbox_integration):
    sandbox_integration.sync()
    before = sandbox_integration.mirror()
    run = sandbox_integration.sync()
    assert run.status == SyncStatus.SUCCEEDED
    assert (run.items_created, run.items_updated, run.items_settled) == (0, 0, 0)
    assert sandbox_integration.mirror() == before


def test_more_days_past_due_takes_items_off_the_open_list_without_deleting(sandbox_integration):
    integration = sandbox_integration.integration
    sandbox_integration.sync()
    count = OpenItem.objects.count()
    integration.days_past_due = 200
    integration.save(update_fields=["days_past_due"])
    run = sandbox_integration.sync()
    assert run.status == SyncStatus.SUCCEEDED
    cutoff = timezone.localdate() - timedelta(days=200)
    assert OpenItem.objects.count() == count
    late = OpenItem.objects.filter(due_date__gt=cutoff)
    assert late.exists()
    assert not late.filter(status=ItemStatus.OPEN).exists()
    assert (
        not OpenItem.objects.filter(due_date__lte=cutoff).exclude(status=ItemStatus.OPEN).exists()
    )
    assert all(item.outstanding != Decimal("0") for item in late)
