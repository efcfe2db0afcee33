"""Writes to the mirrored reskontro: bulk upserts of customers, open items and transactions.

A sync hands over one page of rows at a time. Each function costs a fixed number of queries
per page, whatever its size: one read of the rows already stored under the page's keys, one
INSERT ... ON CONFLICT DO UPDATE for the rows that are new or differ. Rows that did not
change are not written, so a repeated page, a page served out of order or a rerun of an
interrupted sync leaves the mirror exactly as it was.

Everything here runs inside the organisation scope of the integration being synced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection
from django.utils import timezone

from kredin.clock import OSLO
from kredin.tenancy import current_organization_id
from ledger.customer_fields import CustomerFieldWriter
from ledger.models import (
    ChangeSource,
    Customer,
    ItemKind,
    ItemStatus,
    LedgerTransaction,
    OpenItem,
    TransactionKind,
)

ZERO = Decimal("0.00")


class CustomerRecord(Protocol):
    external_id: str
    customer_no: int
    name: str
    organization_number: str
    address_line1: str
    address_line2: str
    post_code: str
    city: str
    email: str
    phone: str
    changed_at: str
    raw: dict[str, Any]


class EntryRecord(Protocol):
    external_id: str
    customer_external_id: str
    invoice_no: str
    voucher_no: int | None
    voucher_date: date | None
    due_date: date | None
    kid: str
    text: str
    amount: Decimal
    outstanding: Decimal
    changed_at: str

    @property
    def is_credit_note(self) -> bool: ...


@dataclass
class UpsertCount:
    created: int = 0
    updated: int = 0
    # external_id of every row written (new or changed), for follow-up work on them.
    written: list[str] = field(default_factory=list)


def _changed_at(value: str) -> datetime | None:
    """Accounting systems stamp changes in Norwegian wall-clock time, without a zone."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=OSLO)


def _upsert_rows(
    model, columns: Sequence[str], rows: list[tuple], compare: Sequence[str]
) -> UpsertCount:
    """Insert or update the rows that are new or differ from what is stored, keyed on
    external_id; plain tuples in `columns` order (the attnames of `model`).

    On PostgreSQL the read and the write go straight to psycopg with one array per column
    (`= ANY(%s)`, `INSERT ... SELECT FROM unnest(...)`): building thousands of model
    instances and a statement with a parameter per value costs more than the database work.
    """
    key = columns.index("external_id")
    by_id = {row[key]: row for row in rows}  # a page may carry a row twice
    positions = [columns.index(name) for name in compare]
    stored = _stored(model, list(by_id), compare)
    count = UpsertCount()
    write = []
    for external_id, row in by_id.items():
        old = stored.get(external_id)
        if old is None:
            count.created += 1
        elif old != tuple(row[i] for i in positions):
            count.updated += 1
        else:
            continue
        write.append(row)
    if write:
        _write(model, columns, write)
        count.written = [row[key] for row in write]
    return count


def _stored(model, external_ids: list[str], compare: Sequence[str]) -> dict[str, tuple]:
    if connection.vendor != "postgresql":
        rows = model.objects.filter(external_id__in=external_ids).values_list(
            "external_id", *compare
        )
        return {row[0]: row[1:] for row in rows}
    meta = model._meta
    columns = ", ".join(f'"{meta.get_field(name).column}"' for name in compare)
    sql = (
        f'SELECT "external_id", {columns} FROM "{meta.db_table}" '  # noqa: S608 - model names
        'WHERE "organization_id" = %s AND "external_id" = ANY(%s)'
    )
    with _raw_cursor() as cursor:
        cursor.execute(sql, [current_organization_id(), external_ids])
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def _write(model, columns: Sequence[str], rows: list[tuple]) -> None:
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows],
            update_conflicts=True,
            unique_fields=["organization", "external_id"],
            update_fields=[f.name for f in fields if f.name not in ("organization", "external_id")],
        )
        return
    names = [f'"{f.column}"' for f in fields]
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    updates = ", ".join(
        f"{name} = EXCLUDED.{name}"
        for name in names
        if name not in ('"organization_id"', '"external_id"')
    )
    sql = (
        f'INSERT INTO "{meta.db_table}" ({", ".join(names)}) SELECT * FROM unnest({arrays}) '  # noqa: S608
        f'ON CONFLICT ("organization_id", "external_id") DO UPDATE SET {updates}'
    )
    with _raw_cursor() as cursor:
        cursor.execute(sql, [list(values) for values in zip(*rows, strict=True)])


def _raw_cursor():
    """A psycopg cursor on Django's connection (same transaction), binding on the server.

    Django's own cursors bind on the client, quoting every array element into the SQL text.
    """
    import psycopg

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    # Wrapped as Django wraps its own, so query logging and execute wrappers still see it.
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


# --- customers -----------------------------------------------------------------------------

# What the ledger says about a customer that a person may also see and change; changes to
# these go through the field writer (history, overrides). The rest is bookkeeping.
_LEDGER_PROFILE_FIELDS = (
    "name",
    "organization_number",
    "address_line1",
    "address_line2",
    "post_code",
    "city",
    "email",
    "phone",
)
_LEDGER_BOOKKEEPING_FIELDS = (
    "integration",
    "customer_no",
    "ledger_data",
    "source_changed_at",
    "synced_at",
)


def customers_upsert(*, integration_id: int, records: Iterable[CustomerRecord]) -> UpsertCount:
    """Store customers as the ledger describes them.

    New customers are inserted as they are. For known ones, only a change in what the ledger
    says (`ledger_data`) changes their fields, and then through the field writer: the
    change is kept in the history, and a field set by hand keeps the person's value.
    """
    organization_id = current_organization_id()
    now = timezone.now()
    fresh = {
        r.external_id: Customer(
            organization_id=organization_id,
            integration_id=integration_id,
            external_id=r.external_id,
            customer_no=r.customer_no,
            name=r.name[:255] or f"Kunde {r.customer_no}",
            organization_number=r.organization_number[:32],
            address_line1=r.address_line1[:255],
            address_line2=r.address_line2[:255],
            post_code=r.post_code[:20],
            city=r.city[:100],
            email=r.email[:254],
            phone=r.phone[:50],
            ledger_data=r.raw,
            source_changed_at=_changed_at(r.changed_at),
            synced_at=now,
        )
        for r in records  # a page may carry a customer twice: the last one counts
    }
    stored = {c.external_id: c for c in Customer.objects.filter(external_id__in=list(fresh))}
    count = UpsertCount()
    new = [customer for key, customer in fresh.items() if key not in stored]
    if new:
        Customer.objects.bulk_create(new, batch_size=1000)
        count.created = len(new)
    changed = [
        (stored[key], customer)
        for key, customer in fresh.items()
        if key in stored
        and (stored[key].integration_id, stored[key].ledger_data)
        != (customer.integration_id, customer.ledger_data)
    ]
    if changed:
        writer = CustomerFieldWriter.for_customers(
            organization_id=organization_id, customer_ids=[current.pk for current, _ in changed]
        )
        for current, customer in changed:
            for name in _LEDGER_PROFILE_FIELDS:
                writer.set(current, name, getattr(customer, name), source=ChangeSource.LEDGER)
            for name in _LEDGER_BOOKKEEPING_FIELDS:
                setattr(current, name, getattr(customer, name))
            writer.touch(current, *_LEDGER_BOOKKEEPING_FIELDS)
        writer.flush()
        count.updated = len(changed)
    count.written = [customer.external_id for customer in new] + [c.external_id for c, _ in changed]
    return count


def customer_ids(external_ids: Iterable[str] | None = None) -> dict[str, int]:
    """external_id → pk, for all customers of the organisation or for the ones named."""
    rows = Customer.objects.all()
    if external_ids is not None:
        rows = rows.filter(external_id__in=list(external_ids))
    return dict(rows.values_list("external_id", "pk"))


def customers_ensure(
    *, integration_id: int, external_ids: Iterable[str], known: dict[str, int]
) -> dict[str, int]:
    """Make sure every customer an entry points at exists; add the missing ones to `known`.

    An entry can name a customer the customer pages did not (yet) deliver. A placeholder
    with an empty `ledger_data` stands in until the customer arrives and fills it.
    """
    missing = {e for e in external_ids if e not in known}
    if not missing:
        return known
    known.update(customer_ids(missing))
    missing -= known.keys()
    if missing:
        organization_id = current_organization_id()
        Customer.objects.bulk_create(
            [
                Customer(
                    organization_id=organization_id,
                    integration_id=integration_id,
                    external_id=e,
                    customer_no=int(e) if e.lstrip("-").isdigit() else None,
                    name=f"Kunde {e}",
                )
                for e in sorted(missing)
            ],
            ignore_conflicts=True,
        )
        known.update(customer_ids(missing))
    return known


# --- open items ----------------------------------------------------------------------------

_ITEM_COLUMNS = (
    "organization_id",
    "external_id",
    "integration_id",
    "customer_id",
    "kind",
    "invoice_no",
    "voucher_no",
    "voucher_date",
    "due_date",
    "kid",
    "currency",
    "amount",
    "outstanding",
    "status",
    "settled_at",
    "text",
    "source_changed_at",
    "synced_at",
)
_ITEM_COMPARE = (
    "integration_id",
    "customer_id",
    "kind",
    "invoice_no",
    "voucher_no",
    "voucher_date",
    "due_date",
    "kid",
    "amount",
    "outstanding",
    "status",
    "text",
    "source_changed_at",
)


def open_items_upsert(
    *,
    integration_id: int,
    entries: Iterable[EntryRecord],
    customers: dict[str, int],
    status: str = ItemStatus.OPEN,
) -> UpsertCount:
    """Store open entries as open items (or, with `status`, as out of the selection).

    `customers` must hold every entry's customer (see `customers_ensure`).
    """
    organization_id = current_organization_id()
    now = timezone.now()
    rows = [
        (
            organization_id,
            e.external_id,
            integration_id,
            customers[e.customer_external_id],
            ItemKind.CREDIT_NOTE.value if e.amount < 0 else ItemKind.INVOICE.value,
            e.invoice_no[:64],
            e.voucher_no,
            e.voucher_date,
            e.due_date,
            e.kid[:25],
            "NOK",
            e.amount,
            e.outstanding,
            str(status),
            None,
            e.text[:255],
            _changed_at(e.changed_at),
            now,
        )
        for e in entries
    ]
    return _upsert_rows(OpenItem, _ITEM_COLUMNS, rows, _ITEM_COMPARE)


def open_items_settle(*, external_ids: Iterable[str], settled_at: datetime | None = None) -> int:
    """Mark items paid in full (or gone from the ledger): outstanding 0, settled now."""
    ids = list(external_ids)
    if not ids:
        return 0
    return (
        OpenItem.objects.filter(external_id__in=ids)
        .exclude(status=ItemStatus.SETTLED)
        .update(
            status=ItemStatus.SETTLED,
            outstanding=ZERO,
            settled_at=settled_at or timezone.now(),
            synced_at=timezone.now(),
        )
    )


def open_items_unsettled(*, integration_id: int) -> list[tuple[str, str]]:
    """(external_id, invoice_no) of the integration's items that are not settled."""
    return list(
        OpenItem.objects.filter(integration_id=integration_id)
        .exclude(status=ItemStatus.SETTLED)
        .values_list("external_id", "invoice_no")
    )


def open_items_unsettled_for_invoices(
    *, integration_id: int, invoice_nos: Iterable[str]
) -> list[str]:
    return list(
        OpenItem.objects.filter(integration_id=integration_id, invoice_no__in=list(invoice_nos))
        .exclude(status=ItemStatus.SETTLED)
        .values_list("external_id", flat=True)
    )


def open_items_existing(external_ids: Iterable[str]) -> set[str]:
    return set(
        OpenItem.objects.filter(external_id__in=list(external_ids)).values_list(
            "external_id", flat=True
        )
    )


# --- transactions --------------------------------------------------------------------------

_TX_COLUMNS = (
    "organization_id",
    "external_id",
    "integration_id",
    "customer_id",
    "kind",
    "invoice_no",
    "voucher_no",
    "voucher_date",
    "due_date",
    "amount",
    "outstanding",
    "currency",
    "text",
    "source_changed_at",
    "synced_at",
)
_TX_COMPARE = (
    "integration_id",
    "customer_id",
    "kind",
    "invoice_no",
    "voucher_no",
    "voucher_date",
    "due_date",
    "amount",
    "outstanding",
    "text",
    "source_changed_at",
)


def transaction_kind(entry: EntryRecord) -> str:
    if entry.amount > 0:
        return TransactionKind.INVOICE
    if entry.amount < 0:
        return TransactionKind.CREDIT_NOTE if entry.is_credit_note else TransactionKind.PAYMENT
    return TransactionKind.OTHER


def transactions_upsert(
    *,
    integration_id: int,
    entries: Iterable[EntryRecord],
    customers: dict[str, int],
) -> UpsertCount:
    organization_id = current_organization_id()
    now = timezone.now()
    rows = [
        (
            organization_id,
            e.external_id,
            integration_id,
            customers[e.customer_external_id],
            str(transaction_kind(e)),
            e.invoice_no[:64],
            e.voucher_no,
            e.voucher_date,
            e.due_date,
            e.amount,
            e.outstanding,
            "NOK",
            e.text[:255],
            _changed_at(e.changed_at),
            now,
        )
        for e in entries
    ]
    return _upsert_rows(LedgerTransaction, _TX_COLUMNS, rows, _TX_COMPARE)
