"""Ledger behaviour: posting batches and the sandbox-side switches tests use.

Conventions of the stand-in (Business NXT's own values are not public):
voucherType 1 = sales invoice, 2 = credit note, 3 = incoming payment, 0 = other;
paidStatus 0 = open, 2 = partly settled, 4 = settled. A new customer line carrying an invoiceNo
is matched against open lines of the opposite sign with the same customer and invoiceNo.

Posting a batch writes every side of every voucher line under the batch's one voucher journal
number: customer sides to customerTransaction, general-ledger sides to generalLedgerTransaction
(debit positive, credit negative). Real Visma Business also books customer sides to the
customers' collective account in the general ledger; the stand-in does not (not confirmed by
the public docs either way).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from stdnum import luhn

from sandbox.models import (
    Associate,
    Batch,
    CustomerTransaction,
    GeneralLedgerTransaction,
    VismaCompany,
)

VT_OTHER, VT_INVOICE, VT_CREDIT_NOTE, VT_PAYMENT = 0, 1, 2, 3
PAID_OPEN, PAID_PARTLY, PAID_SETTLED = 0, 2, 4
# debitAccountType / creditAccountType: 1 = customer, 2 = supplier, 3 = general ledger,
# 4 = capital asset ([3P] note citing Visma's Voucher user doc; not confirmed by the public docs).
ACCOUNT_TYPE_CUSTOMER, ACCOUNT_TYPE_SUPPLIER, ACCOUNT_TYPE_GL, ACCOUNT_TYPE_ASSET = 1, 2, 3, 4
BANK_ACCOUNT = 1920


class PostingError(Exception):
    """A voucher Business NXT would refuse; the GraphQL layer reports it in ``errors``."""

    def __init__(self, message: str, code: str, **extra):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra


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
    match: bool = True,
) -> CustomerTransaction:
    """One customer posting; with an invoiceNo (and ``match``) it is matched at once."""
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
    if invoice_no and match:
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


def is_customer_side(account_type: int, account_no: int, customer_no: int) -> bool:
    """A side is the customer's when typed so, or (untyped) when its account is the customerNo."""
    if account_type:
        return account_type == ACCOUNT_TYPE_CUSTOMER
    return bool(customer_no) and account_no == customer_no


def add_gl_line(
    company: VismaCompany,
    *,
    account_no: int,
    amount: Decimal,
    journal_no: int,
    voucher_date: int,
    voucher_no: int = 0,
    value_date: int = 0,
    voucher_type: int = 0,
    text: str = "",
    invoice_no: str = "",
    customer_no: int = 0,
    batch_no: int = 0,
) -> GeneralLedgerTransaction:
    """One general-ledger posting: ``amount`` > 0 debits the account, < 0 credits it."""
    now = timezone.now()
    amount = Decimal(amount).quantize(Decimal("0.01"))
    return GeneralLedgerTransaction.objects.create(
        company=company,
        voucher_journal_no=journal_no,
        audit_no=take_numbers(company, "next_audit_no"),
        account_no=account_no,
        batch_no=batch_no,
        voucher_no=voucher_no,
        voucher_date=voucher_date,
        value_date=value_date or voucher_date,
        voucher_type=voucher_type,
        text=text,
        invoice_no=invoice_no,
        customer_no=customer_no,
        amount_domestic=amount,
        amount_in_currency=amount,
        created_timestamp=now,
        changed_timestamp=now,
    )


def _side_amount(voucher) -> Decimal:
    """What a line contributes to its voucher's balance: 0 when it has both sides."""
    debit, credit = bool(voucher.debit_account_no), bool(voucher.credit_account_no)
    if debit == credit:
        return Decimal(0)
    return voucher.amount_domestic if debit else -voucher.amount_domestic


def check_balance(batch: Batch) -> None:
    """Every voucher (voucherNo) of the batch must balance, or the batch update refuses it.

    Lines with both a debit and a credit account balance by themselves; lines with one side
    must be offset by other lines of the same voucher. The message is the stand-in's own
    (not confirmed by the public docs).
    """
    totals: dict[int, Decimal] = {}
    for voucher in batch.vouchers.all():
        totals[voucher.voucher_no] = totals.get(voucher.voucher_no, Decimal(0)) + _side_amount(
            voucher
        )
    for voucher_no, difference in sorted(totals.items()):
        if difference:
            raise PostingError(
                f"Voucher {voucher_no} in batch {batch.batch_no} is not in balance "
                f"(difference {difference:.2f}).",
                "VOUCHER_NOT_IN_BALANCE",
                batchNo=batch.batch_no,
                voucherNo=voucher_no,
            )


@transaction.atomic
def post_batch(batch: Batch) -> int:
    """The batch update: every line's sides reach the ledgers; returns the journal number."""
    check_balance(batch)
    company = batch.company
    journal = take_numbers(company, "next_journal_no")
    for voucher in batch.vouchers.order_by("line_no"):
        common = {
            "invoice_no": voucher.invoice_no,
            "voucher_no": voucher.voucher_no,
            "voucher_date": voucher.voucher_date,
            "value_date": voucher.value_date,
            "text": voucher.text,
            "journal_no": journal,
        }
        sides = (
            (voucher.debit_account_type, voucher.debit_account_no, 1, VT_INVOICE),
            (voucher.credit_account_type, voucher.credit_account_no, -1, VT_PAYMENT),
        )
        for account_type, account_no, sign, default_type in sides:
            amount = sign * voucher.amount_domestic
            if is_customer_side(account_type, account_no, voucher.customer_no):
                add_customer_line(
                    company,
                    customer_no=voucher.customer_no or account_no,
                    amount=amount,
                    voucher_type=voucher.voucher_type or default_type,
                    due_date=voucher.due_date if sign > 0 else 0,
                    cid=voucher.cid,
                    **common,
                )
            elif account_no:
                add_gl_line(
                    company,
                    account_no=account_no,
                    amount=amount,
                    voucher_type=voucher.voucher_type,
                    customer_no=voucher.customer_no,
                    batch_no=batch.batch_no,
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


def _invoice_by_kid(company: VismaCompany, kid: str) -> CustomerTransaction:
    return CustomerTransaction.objects.filter(
        company=company, cid=kid, voucher_type=VT_INVOICE
    ).earliest("audit_no")


def register_payment(
    *,
    company_no: int,
    invoice_no: str | None = None,
    kid: str | None = None,
    amount: Decimal | None = None,
    on: date | None = None,
    bank_account: int = BANK_ACCOUNT,
) -> CustomerTransaction:
    """Pay an invoice in full (no amount), in part or more than in full; returns the payment's
    first customer line (see ``register_bank_payment``)."""
    return register_bank_payment(
        company_no=company_no,
        invoice_no=invoice_no,
        kid=kid,
        amount=amount,
        on=on,
        bank_account=bank_account,
    )[0]


@transaction.atomic
def register_bank_payment(
    *,
    company_no: int,
    invoice_no: str | None = None,
    kid: str | None = None,
    amount: Decimal | None = None,
    on: date | None = None,
    bank_account: int = BANK_ACCOUNT,
) -> list[CustomerTransaction]:
    """A bank payment matched by invoice number or KID, as Business NXT books it from the bank
    file; returns the customer lines it made (the payment first).

    No amount pays the outstanding amount exactly. Less leaves the invoice open with the rest.
    More closes the invoice and leaves the excess on the customer as an unmatched credit line
    (same KID and invoiceNo, outstanding = its amount), so the customer has a credit balance.
    Splitting the excess onto a line of its own is the stand-in's choice (not confirmed by the
    public docs). The bank side debits ``bank_account`` in the general ledger, same journal.
    """
    company = company_by_no(company_no)
    if kid:
        invoice = _invoice_by_kid(company, kid)
    elif invoice_no:
        invoice = _invoice(company, invoice_no)
    else:
        raise ValueError("Give invoice_no or kid.")
    # What is open under the invoice number: the invoice, less earlier payments and credit
    # notes, plus anything since debited to the customer under the same number (fees).
    net = CustomerTransaction.objects.filter(
        company=company, customer_no=invoice.customer_no, invoice_no=invoice.invoice_no
    ).aggregate(Sum("outstanding_amount_domestic"))["outstanding_amount_domestic__sum"]
    outstanding = max(net or Decimal(0), Decimal(0))
    paid = outstanding if amount is None else Decimal(amount).quantize(Decimal("0.01"))
    if paid <= 0:
        raise ValueError(f"The amount must be positive, not {paid}.")
    matched, excess = min(paid, outstanding), max(paid - outstanding, Decimal(0))
    day = date_int(on or timezone.localdate())
    journal = take_numbers(company, "next_journal_no")
    common = {
        "customer_no": invoice.customer_no,
        "voucher_type": VT_PAYMENT,
        "voucher_date": day,
        "invoice_no": invoice.invoice_no,
        "cid": invoice.cid,
        "journal_no": journal,
    }
    lines = []
    if matched:
        text = f"Innbetaling faktura {invoice.invoice_no}"
        lines.append(add_customer_line(company, amount=-matched, text=text, **common))
    if excess:
        text = f"Overbetaling faktura {invoice.invoice_no}"
        lines.append(add_customer_line(company, amount=-excess, text=text, match=False, **common))
    add_gl_line(
        company,
        account_no=bank_account,
        amount=paid,
        journal_no=journal,
        voucher_date=day,
        voucher_type=VT_PAYMENT,
        text=f"Innbetaling KID {invoice.cid}" if invoice.cid else "Innbetaling",
        invoice_no=invoice.invoice_no,
        customer_no=invoice.customer_no,
    )
    return lines


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
