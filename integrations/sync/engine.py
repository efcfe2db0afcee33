"""What a sync reads from the accounting system and how it lands in the mirror.

Full sync: customers → open items (due on or before the cut-off, from the fetch-from date)
→ transactions (history from the fetch-from date) → a check of the mirror's open items the
run did not see: paid ones are settled, ones still open but outside the settings leave the
open list (`ItemStatus.EXCLUDED`), ones the paging missed are brought back.

Incremental sync: rows changed since the watermark (minus an overlap), items that newly
passed the due cut-off, and a re-read of the open state of every invoice a new transaction
touched; an invoice missing from the open entries is settled.

Item kinds: a positive open entry is an invoice, a negative one a credit note. Among the
transactions a negative amount is a payment unless the row is a credit note (voucher type 2,
or no voucher type and a text starting with "Kreditnota"; see RemoteEntry.is_credit_note).

Paging is by offset cursors, as Business NXT offers. When open entries are settled while a
full sync pages through them, later rows move up and one may be skipped; the settle check
brings such a row back if the mirror held it, and otherwise the next change to it or the
next full sync does.

Each page is stored in its own transaction together with the run's progress, so the
wizard sees the run move and an interrupted run leaves only whole pages behind. Writes are
idempotent upserts, so rerunning gives the same mirror as one clean run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from typing import TypeVar

from django.db import transaction

from integrations.businessnxt.client import BusinessNxtClient, yyyymmdd
from integrations.businessnxt.records import Page, RemoteEntry
from integrations.models import Integration
from integrations.sync.progress import (
    PHASE_CHANGES,
    PHASE_CUSTOMERS,
    PHASE_OPEN_ITEMS,
    PHASE_SETTLE,
    PHASE_TRANSACTIONS,
    Progress,
)
from kredin.clock import OSLO, today_in_norway
from ledger import services as ledger
from ledger.models import ItemStatus

# Rows stamped just before the previous run's last page may commit after it was read.
# The stamps are wall-clock time without a zone: in the hour the clocks go back in October
# a stamp can repeat; a change made then may wait for the next full sync (nightly or on a
# settings change) if no later change to the same rows comes in.
OVERLAP = timedelta(minutes=10)
# Invoice numbers per `_in` filter: well inside any request-size limit.
CHUNK = 200
T = TypeVar("T")


def due_cutoff(integration: Integration, *, today: date | None = None) -> date:
    """Items due on or before this day are read in: today in Norway minus the days past due."""
    today = today or today_in_norway()
    return today - timedelta(days=integration.days_past_due)


def wall_clock(stamp: datetime) -> str:
    """The accounting system's changedTimestamp format: Norwegian local time, milliseconds."""
    return stamp.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def watermark_minus_overlap(watermark: str) -> str:
    return wall_clock(datetime.fromisoformat(watermark) - OVERLAP)


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class SyncContext:
    integration: Integration
    client: BusinessNxtClient
    progress: Progress
    cutoff: date
    customers: dict[str, int] = field(default_factory=dict)
    watermark: str = ""
    seen_items: set[str] = field(default_factory=set)
    started: str = field(default_factory=lambda: wall_clock(datetime.now(OSLO)))

    @property
    def company_no(self) -> int:
        return int(self.integration.visma_company_id)

    @property
    def fetch_from(self) -> date | None:
        return self.integration.fetch_from_date

    def note_changed(self, rows: Iterable) -> None:
        # Wall-clock stamps of one fixed format compare correctly as strings.
        latest = max((r.changed_at for r in rows), default="")
        if latest > self.watermark:
            self.watermark = latest

    def next_watermark(self) -> str:
        """The highest stamp seen, but never later than this run's start.

        A stamp from the future (a clock ahead of ours, or back-dated test data) would
        otherwise hide every change made before that moment from the following runs.
        """
        return min(self.watermark, self.started) if self.watermark else ""

    def within_settings(self, entry: RemoteEntry) -> bool:
        """The same test the open-entries filter applies on the server (no date counts as 0)."""
        if entry.outstanding == 0:
            return False
        due = yyyymmdd(entry.due_date) if entry.due_date else 0
        if due > yyyymmdd(self.cutoff):
            return False
        if self.fetch_from is None:
            return True
        voucher = yyyymmdd(entry.voucher_date) if entry.voucher_date else 0
        return voucher >= yyyymmdd(self.fetch_from)


# --- storing pages -------------------------------------------------------------------------


def store_customers(ctx: SyncContext, page: Page) -> None:
    with transaction.atomic():
        count = ledger.customers_upsert(integration_id=ctx.integration.pk, records=page.items)
        p = ctx.progress
        p.customers_seen += len(page.items)
        p.customers_created += count.created
        p.customers_updated += count.updated
        p.step(len(page.items))
        p.save()
    ctx.note_changed(page.items)


def _ensure_customers(ctx: SyncContext, entries: list[RemoteEntry]) -> None:
    ledger.customers_ensure(
        integration_id=ctx.integration.pk,
        external_ids={e.customer_external_id for e in entries},
        known=ctx.customers,
    )


def store_open_items(ctx: SyncContext, entries: list[RemoteEntry], *, status: str = "open") -> None:
    """Upsert entries as items; the caller saves progress inside the same transaction."""
    if not entries:
        return
    _ensure_customers(ctx, entries)
    count = ledger.open_items_upsert(
        integration_id=ctx.integration.pk, entries=entries, customers=ctx.customers, status=status
    )
    ctx.progress.items_created += count.created
    ctx.progress.items_updated += count.updated


def store_transactions(ctx: SyncContext, entries: list[RemoteEntry]) -> set[str]:
    """Upsert transactions; returns the external ids of the new or changed ones."""
    if not entries:
        return set()
    _ensure_customers(ctx, entries)
    count = ledger.transactions_upsert(
        integration_id=ctx.integration.pk, entries=entries, customers=ctx.customers
    )
    ctx.progress.transactions_created += count.created
    ctx.progress.transactions_updated += count.updated
    return set(count.written)


def store_item_states(ctx: SyncContext, entries: list[RemoteEntry]) -> None:
    """Bring items in line with fresh rows of either table.

    Paid in full → settled; open and within the settings → open (new ones too, so an item
    the paging missed comes in); open but outside them → out of the selection, for items the
    mirror already holds (others are not read in).
    """
    known = ledger.open_items_existing(e.external_id for e in entries)
    settle, keep_open, leave_out = [], [], []
    for entry in entries:
        if entry.outstanding == 0:
            if entry.external_id in known:
                settle.append(entry.external_id)
        elif ctx.within_settings(entry):
            keep_open.append(entry)
        elif entry.external_id in known:
            leave_out.append(entry)
    store_open_items(ctx, keep_open)
    store_open_items(ctx, leave_out, status=ItemStatus.EXCLUDED)
    ctx.progress.items_settled += ledger.open_items_settle(external_ids=settle)


# --- full sync -----------------------------------------------------------------------------


def full_sync(ctx: SyncContext) -> None:
    client, company, p = ctx.client, ctx.company_no, ctx.progress
    open_filter = {"due_on_or_before": ctx.cutoff, "voucher_date_from": ctx.fetch_from}
    tx_filter = {"voucher_date_from": ctx.fetch_from}
    p.add_steps(client.customers_count(company_no=company))
    p.add_steps(client.open_entries_count(company_no=company, **open_filter))
    p.add_steps(client.transactions_count(company_no=company, **tx_filter))

    p.start_phase(PHASE_CUSTOMERS)
    for page in client.customers(company_no=company):
        store_customers(ctx, page)
    ctx.customers = ledger.customer_ids()

    p.start_phase(PHASE_OPEN_ITEMS)
    for page in client.open_entries(company_no=company, **open_filter):
        with transaction.atomic():
            store_open_items(ctx, page.items)
            p.items_seen += len(page.items)
            p.step(len(page.items))
            p.save()
        ctx.seen_items.update(e.external_id for e in page.items)
        ctx.note_changed(page.items)

    p.start_phase(PHASE_TRANSACTIONS)
    for page in client.transactions(company_no=company, **tx_filter):
        with transaction.atomic():
            store_transactions(ctx, page.items)
            p.transactions_seen += len(page.items)
            p.step(len(page.items))
            p.save()
        ctx.note_changed(page.items)

    settle_unseen(ctx)


def settle_unseen(ctx: SyncContext) -> None:
    """Check the mirror's unsettled items that this full run did not see as open."""
    unseen = [
        (external_id, invoice_no)
        for external_id, invoice_no in ledger.open_items_unsettled(
            integration_id=ctx.integration.pk
        )
        if external_id not in ctx.seen_items
    ]
    p = ctx.progress
    p.add_steps(len(unseen))
    p.start_phase(PHASE_SETTLE)
    if not unseen:
        return
    by_invoice: dict[str, list[str]] = {}
    without_invoice: list[str] = []
    for external_id, invoice_no in unseen:
        if invoice_no:
            by_invoice.setdefault(invoice_no, []).append(external_id)
        else:
            without_invoice.append(external_id)
    lookups = [
        ({"invoice_nos": chunk}, [e for no in chunk for e in by_invoice[no]])
        for chunk in chunks(sorted(by_invoice))
    ] + [
        ({"audit_nos": [int(e.rsplit(":", 1)[1]) for e in chunk]}, chunk)
        for chunk in chunks(sorted(without_invoice))
    ]
    for narrow, wanted in lookups:
        rows: dict[str, RemoteEntry] = {}
        for page in ctx.client.transactions(company_no=ctx.company_no, **narrow):
            rows.update((e.external_id, e) for e in page.items)
        with transaction.atomic():
            history = [e for e in rows.values() if _in_history(ctx, e)]
            store_transactions(ctx, history)
            fresh = [rows[e] for e in wanted if e in rows]
            store_item_states(ctx, fresh)
            # Gone from the ledger altogether (deleted or renumbered): nothing is owed on it.
            p.items_settled += ledger.open_items_settle(
                external_ids=[e for e in wanted if e not in rows]
            )
            p.step(len(wanted))
            p.save()
        ctx.note_changed(rows.values())


def _in_history(ctx: SyncContext, entry: RemoteEntry) -> bool:
    return ctx.fetch_from is None or (
        entry.voucher_date is not None and entry.voucher_date >= ctx.fetch_from
    )


# --- incremental sync ----------------------------------------------------------------------


def incremental_sync(ctx: SyncContext, *, watermark: str, previous_cutoff: date) -> None:
    client, company, p = ctx.client, ctx.company_no, ctx.progress
    since = watermark_minus_overlap(watermark)
    ctx.watermark = watermark
    p.start_phase(PHASE_CHANGES)

    for page in client.customers(company_no=company, changed_since=since):
        p.add_steps(len(page.items))
        store_customers(ctx, page)

    touched: set[str] = set()
    for page in client.transactions(
        company_no=company, changed_since=since, voucher_date_from=ctx.fetch_from
    ):
        with transaction.atomic():
            written = store_transactions(ctx, page.items)
            store_item_states(ctx, page.items)
            p.transactions_seen += len(page.items)
            p.step(len(page.items))
            p.save()
        # Rows read again unchanged (the overlap) were followed up when they were new. An
        # invoice row that changed is itself among them and was just brought in line.
        touched.update(
            e.invoice_no for e in page.items if e.invoice_no and e.external_id in written
        )
        ctx.note_changed(page.items)

    open_filter = {"voucher_date_from": ctx.fetch_from}
    sources = [
        {"changed_since": since, "due_on_or_before": ctx.cutoff, **open_filter},
    ]
    if ctx.cutoff > previous_cutoff:
        sources.append(
            {"due_after": previous_cutoff, "due_on_or_before": ctx.cutoff, **open_filter}
        )
    for narrow in sources:
        for page in client.open_entries(company_no=company, **narrow):
            with transaction.atomic():
                store_open_items(ctx, page.items)
                p.items_seen += len(page.items)
                p.step(len(page.items))
                p.save()
            ctx.note_changed(page.items)

    recheck_invoices(ctx, touched)


def recheck_invoices(ctx: SyncContext, invoice_nos: set[str]) -> None:
    """Re-read the open state of invoices a transaction touched; gone from it → settled."""
    p = ctx.progress
    for chunk in chunks(sorted(invoice_nos)):
        rows: dict[str, RemoteEntry] = {}
        for page in ctx.client.open_entries(company_no=ctx.company_no, invoice_nos=chunk):
            rows.update((e.external_id, e) for e in page.items)
        with transaction.atomic():
            store_item_states(ctx, list(rows.values()))
            unsettled = ledger.open_items_unsettled_for_invoices(
                integration_id=ctx.integration.pk, invoice_nos=chunk
            )
            p.items_settled += ledger.open_items_settle(
                external_ids=[e for e in unsettled if e not in rows]
            )
            p.step(len(chunk))
            p.save()
        ctx.note_changed(rows.values())
