"""Customer-ledger behaviour: posting batches and the sandbox-side switches tests use.

Conventions of the stand-in (Business NXT's own values are not public):
voucherType 1 = sales invoice, 2 = credit note, 3 = incoming payment, 0 = other;
paidStatus 0 = open, 2 = partly settled, 4 = settled. A new customer line carrying an invoiceNo
is matched against open lines of the opposite sign with the same customer and invoiceNo.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from stdnum import luhn

from sandbox.models import Associate, Batch, CustomerTransaction, VismaCompany

VT_OTHER, VT_INVOICE, VT_CREDIT_NOTE, VT_PAYMENT = 0, 1, 2, 3
PAID_OPEN, PAID_PARTLY, PAID_SETTLED = 0, 2, 4
ACCOUNT_TYPE_CUSTOMER = 1


def date_int(value: date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


def kid_for(number: int | str) -> str:
    """A KID (MOD10/Luhn) built from a number, as Norwegian invoices carry."""
    base = str(number)
    return base + luhn.calc_check_digit(base)


def take_numbers(company: VismaCompany, field: str, count: int = 1) -> int:
    """Reserve ``count`` consecutive numbers from a company counter; returns the first."""
    locked = VismaCompany.objects.select_for_update().get(pk=company.pk)
    first = getattr(locked, field)
    setattr(locked, field, first + count)
    locked.save(update_fields=[field])
    return first


def _settle(row: CustomerTransaction, paid_on: int) -> None:
    row.outstanding_amount_in_currency = row.outstanding_amount_domestic
    if row.outstanding_amount_domestic == 0:
        row.paid_status = PAID_SETTLED
    elif row.outstanding_amount_domestic != row.amount_domestic:
        row.paid_status = PAID_PARTLY
    if row.outstanding_amount_domestic != row.amount_domestic:
        row.paid_date = paid_on


@transaction.atomic
def add_customer_line(
    company: VismaCompany,
    *,
    customer_no: int,
    amount: Decimal,
    voucher_type: int,
    voucher_date: int,
    invoice_no: str = "",
    voucher_no: int = 0,
    value_date: int = 0,
    due_date: int = 0,
    text: str = "",
    cid: str = "",
    journal_no: int | None = None,
) -> CustomerTransaction:
    now = timezone.now()
    amount = Decimal(amount).quantize(Decimal("0.01"))
    row = CustomerTransaction(
        company=company,
        voucher_journal_no=journal_no or take_numbers(company, "next_journal_no"),
        audit_no=take_numbers(company, "next_audit_no"),
        customer_no=customer_no,
        voucher_no=voucher_no,
        voucher_date=voucher_date,
        value_date=value_date or voucher_date,
        due_date=due_date,
        invoice_no=invoice_no,
        text=text,
        cid=cid,
        amount_domestic=amount,
        amount_in_currency=amount,
        outstanding_amount_domestic=amount,
        outstanding_amount_in_currency=amount,
        voucher_type=voucher_type,
        created_timestamp=now,
        changed_timestamp=now,
    )
    if invoice_no:
        _match(company, row, now)
    _settle(row, voucher_date)
    row.save()
    return row


def _match(company: VismaCompany, row: CustomerTransaction, now) -> None:
    opposite = {
        "outstanding_amount_domestic__gt"
        if row.amount_domestic < 0
        else "outstanding_amount_domestic__lt": 0
    }
    candidates = (
        CustomerTransaction.objects.select_for_update()
        .filter(company=company, customer_no=row.customer_no, invoice_no=row.invoice_no)
        .filter(**opposite)
        .order_by("audit_no")
    )
    for other in candidates:
        if row.outstanding_amount_domestic == 0:
            break
        applied = min(abs(row.outstanding_amount_domestic), abs(other.outstanding_amount_domestic))
        sign = 1 if row.outstanding_amount_domestic < 0 else -1
        row.outstanding_amount_domestic += sign * applied
        other.outstanding_amount_domestic -= sign * applied
        if row.voucher_type == VT_CREDIT_NOTE:
            other.credited_amount_domestic += applied
        _settle(other, row.voucher_date)
        other.changed_timestamp = now
        other.save()


def _is_customer(account_type: int, account_no: int, customer_no: int) -> bool:
    if account_type:
        return account_type == ACCOUNT_TYPE_CUSTOMER
    return bool(customer_no) and account_no == customer_no


@transaction.atomic
def post_batch(batch: Batch) -> int:
    """The batch update: customer lines reach customerTransaction; returns the journal number."""
    company = batch.company
    journal = take_numbers(company, "next_journal_no")
    for voucher in batch.vouchers.order_by("line_no"):
        common = {
            "invoice_no": voucher.invoice_no,
            "voucher_no": voucher.voucher_no,
            "voucher_date": voucher.voucher_date,
            "value_date": voucher.value_date,
            "text": voucher.text,
            "cid": voucher.cid,
            "journal_no": journal,
        }
        if _is_customer(voucher.debit_account_type, voucher.debit_account_no, voucher.customer_no):
            add_customer_line(
                company,
                customer_no=voucher.customer_no or voucher.debit_account_no,
                amount=voucher.amount_domestic,
                voucher_type=voucher.voucher_type or VT_INVOICE,
                due_date=voucher.due_date,
                **common,
            )
        if _is_customer(
            voucher.credit_account_type, voucher.credit_account_no, voucher.customer_no
        ):
            add_customer_line(
                company,
                customer_no=voucher.customer_no or voucher.credit_account_no,
                amount=-voucher.amount_domestic,
                voucher_type=voucher.voucher_type or VT_PAYMENT,
                **common,
            )
    batch.posted = True
    batch.voucher_journal_no = journal
    batch.changed_timestamp = timezone.now()
    batch.save(update_fields=["posted", "voucher_journal_no", "changed_timestamp"])
    return journal


# --- Sandbox-side switches (also exposed as JSON under /sandbox/businessnxt/_control/) ---------


def company_by_no(company_no: int) -> VismaCompany:
    return VismaCompany.objects.get(company_no=company_no)


def _invoice(company: VismaCompany, invoice_no: str) -> CustomerTransaction:
    return CustomerTransaction.objects.filter(
        company=company, invoice_no=invoice_no, voucher_type=VT_INVOICE
    ).earliest("audit_no")


def register_payment(
    *, company_no: int, invoice_no: str, amount: Decimal | None = None, on: date | None = None
) -> CustomerTransaction:
    """Pay an invoice in full (no amount) or in part, as a matched bank payment would."""
    company = company_by_no(company_no)
    invoice = _invoice(company, invoice_no)
    paid = invoice.outstanding_amount_domestic if amount is None else Decimal(amount)
    return add_customer_line(
        company,
        customer_no=invoice.customer_no,
        amount=-paid,
        voucher_type=VT_PAYMENT,
        voucher_date=date_int(on or timezone.localdate()),
        invoice_no=invoice_no,
        text=f"Innbetaling faktura {invoice_no}",
        cid=invoice.cid,
    )


def add_credit_note(
    *, company_no: int, invoice_no: str, amount: Decimal, on: date | None = None
) -> CustomerTransaction:
    company = company_by_no(company_no)
    invoice = _invoice(company, invoice_no)
    return add_customer_line(
        company,
        customer_no=invoice.customer_no,
        amount=-Decimal(amount),
        voucher_type=VT_CREDIT_NOTE,
        voucher_date=date_int(on or timezone.localdate()),
        invoice_no=invoice_no,
        text=f"Kreditnota faktura {invoice_no}",
    )


def add_invoice(
    *,
    company_no: int,
    customer_no: int,
    amount: Decimal,
    invoice_no: str | None = None,
    voucher_date: date | None = None,
    due_date: date | None = None,
    text: str = "",
) -> CustomerTransaction:
    company = company_by_no(company_no)
    if invoice_no is None:
        highest = CustomerTransaction.objects.filter(
            company=company, voucher_type=VT_INVOICE
        ).aggregate(Max("voucher_no"))["voucher_no__max"]
        invoice_no = str((highest or 10000) + 1)
    issued = voucher_date or timezone.localdate()
    due = due_date or issued
    return add_customer_line(
        company,
        customer_no=customer_no,
        amount=Decimal(amount),
        voucher_type=VT_INVOICE,
        voucher_date=date_int(issued),
        due_date=date_int(due),
        invoice_no=invoice_no,
        voucher_no=int(invoice_no) if invoice_no.isdigit() else 0,
        text=text or f"Faktura {invoice_no}",
        cid=kid_for(f"{customer_no:05d}{invoice_no}"),
    )


CHANGEABLE = {
    "associate": (Associate, "associate_no", "associateNo"),
    "customerTransaction": (CustomerTransaction, "audit_no", "auditNo"),
}


def change_row(*, company_no: int, table: str, key: int, values: dict) -> None:
    """Change columns (GraphQL names) of one row and stamp changedTimestamp, as an edit would."""
    from sandbox.nxt import tables

    model, key_attr, _ = CHANGEABLE[table]
    spec = next(t for t in tables.TABLES if t.query_field == table)
    company = company_by_no(company_no)
    row = model.objects.get(company=company, **{key_attr: key})
    for name, value in values.items():
        setattr(row, spec.column(name).attr, value)
    row.changed_timestamp = timezone.now()
    row.save()
