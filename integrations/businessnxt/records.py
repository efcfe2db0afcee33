"""What Kredin reads from Business NXT and the voucher lines it writes there, as plain typed
records (no Django models here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# The voucher type a standard Business NXT company (and the sandbox) gives credit notes.
CREDIT_NOTE_VOUCHER_TYPE = 2


@dataclass(frozen=True, slots=True)
class Company:
    company_no: int
    name: str
    customer_no: int


@dataclass(frozen=True, slots=True)
class CompanyInfo:
    name: str
    organization_number: str


@dataclass(frozen=True, slots=True)
class LedgerAccount:
    account_no: int
    name: str


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total_count: int
    end_cursor: str | None
    has_next: bool


@dataclass(frozen=True, slots=True)
class RemoteCustomer:
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
    raw: dict[str, Any] = field(repr=False)


@dataclass(frozen=True, slots=True)
class RemoteEntry:
    """One row of customerTransaction or openCustomerEntry."""

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
    voucher_type: int = 0

    @property
    def is_credit_note(self) -> bool:
        """A credit note, as opposed to a payment: both are negative postings.

        Business NXT's voucher types are configurable per company and not documented; the
        stand-in (and a default NXT setup) uses 2 for credit notes, so that decides. Rows
        without a voucher type (0) fall back to their text, which NXT fills from the
        voucher series name ("Kreditnota ...").
        """
        if self.voucher_type == CREDIT_NOTE_VOUCHER_TYPE:
            return True
        if self.voucher_type == 0 and self.amount < 0:
            return self.text.lower().startswith(("kreditnota", "credit note"))
        return False


def parse_date(value: Any) -> date | None:
    """Business NXT dates are yyyymmdd integers; 0 (or nonsense) means no date."""
    try:
        number = int(value or 0)
        if number <= 0:
            return None
        return date(number // 10000, number // 100 % 100, number % 100)
    except (TypeError, ValueError):
        return None


CENT = Decimal("0.01")


def parse_decimal(value: Any) -> Decimal:
    if value is None or value == "":
        return Decimal("0.00")
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(CENT)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def customer_from_row(row: dict[str, Any]) -> RemoteCustomer:
    return RemoteCustomer(
        external_id=str(row["customerNo"]),
        customer_no=int(row["customerNo"]),
        name=_text(row.get("name")),
        organization_number=_text(row.get("companyNo")),
        address_line1=_text(row.get("addressLine1")),
        address_line2=_text(row.get("addressLine2")),
        post_code=_text(row.get("postCode")),
        city=_text(row.get("postalArea")),
        email=_text(row.get("emailAddress")),
        phone=_text(row.get("phone")) or _text(row.get("mobilePhone")),
        changed_at=_text(row.get("changedTimestamp")),
        raw=row,
    )


def entry_from_row(row: dict[str, Any]) -> RemoteEntry:
    return RemoteEntry(
        external_id=f"{row['voucherJournalNo']}:{row['auditNo']}",
        customer_external_id=str(row["customerNo"]),
        invoice_no=_text(row.get("invoiceNo")),
        voucher_no=int(row["voucherNo"]) if row.get("voucherNo") else None,
        voucher_date=parse_date(row.get("voucherDate")),
        due_date=parse_date(row.get("dueDate")),
        kid=_text(row.get("cid")),
        text=_text(row.get("text")),
        amount=parse_decimal(row.get("amountDomestic")),
        outstanding=parse_decimal(row.get("outstandingAmountDomestic")),
        changed_at=_text(row.get("changedTimestamp")),
        voucher_type=int(row.get("voucherType") or 0),
    )


# --- voucher posting -------------------------------------------------------------------------
# A voucher line has a debit side, a credit side or both. Each side is an account number and
# an account type as Business NXT numbers them (1 customer, 3 general ledger; reference §3.6).
# A voucher balances when its single-sided lines add up: one customer debit of 158 against
# income credits of 38 and 120, all under one voucherNo.

ACCOUNT_TYPE_CUSTOMER = 1
ACCOUNT_TYPE_GENERAL_LEDGER = 3

CUSTOMER_TABLE = "customer"
GENERAL_LEDGER_TABLE = "general_ledger"


@dataclass(frozen=True, slots=True)
class VoucherLine:
    debit_account_no: int | None
    debit_account_type: int | None
    credit_account_no: int | None
    credit_account_type: int | None
    amount: Decimal
    customer_no: int | None
    invoice_no: str
    text: str

    @classmethod
    def customer_debit(
        cls, *, customer_no: int, amount: Decimal, invoice_no: str, text: str
    ) -> VoucherLine:
        """Debit the customer (their account number is the customerNo)."""
        return cls(
            debit_account_no=customer_no,
            debit_account_type=ACCOUNT_TYPE_CUSTOMER,
            credit_account_no=None,
            credit_account_type=None,
            amount=amount,
            customer_no=customer_no,
            invoice_no=invoice_no,
            text=text,
        )

    @classmethod
    def income_credit(
        cls,
        *,
        account_no: int,
        amount: Decimal,
        invoice_no: str,
        text: str,
        customer_no: int | None = None,
    ) -> VoucherLine:
        """Credit a general-ledger (income) account, optionally naming the customer."""
        return cls(
            debit_account_no=None,
            debit_account_type=None,
            credit_account_no=account_no,
            credit_account_type=ACCOUNT_TYPE_GENERAL_LEDGER,
            amount=amount,
            customer_no=customer_no,
            invoice_no=invoice_no,
            text=text,
        )

    def as_input(self, *, voucher_date: int, voucher_no: int | None = None) -> dict[str, Any]:
        """The line as a Voucher_Input. Empty fields are left out, so Business NXT suggests
        them (voucherNo from the batch's series). The order is deliberate: the docs stress
        that input order matters, so the accounts come before the customer, and the text
        comes last, after anything that could suggest a text of its own."""
        fields: dict[str, Any] = {
            "voucherNo": voucher_no,
            "voucherDate": voucher_date,
            "valueDate": voucher_date,
            "debitAccountType": self.debit_account_type,
            "debitAccountNo": self.debit_account_no,
            "creditAccountType": self.credit_account_type,
            "creditAccountNo": self.credit_account_no,
            "customerNo": self.customer_no,
            "invoiceNo": self.invoice_no or None,
            "amountDomestic": self.amount,
            "text": self.text or None,
        }
        return {name: value for name, value in fields.items() if value is not None}


@dataclass(frozen=True, slots=True)
class CreatedBatch:
    batch_no: int
    voucher_no: int


@dataclass(frozen=True, slots=True)
class OpenBatch:
    """A batch not yet updated (posted), as seen through its lines whose text holds the key."""

    batch_no: int
    voucher_nos: tuple[int, ...]
    texts: tuple[str, ...]
    # The voucher total: the sum of the lines' debit sides (a line with both sides once).
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PostedLine:
    journal_no: int
    voucher_no: int
    table: str  # CUSTOMER_TABLE or GENERAL_LEDGER_TABLE
    account_no: int | None  # general ledger only
    customer_no: int | None
    amount: Decimal  # signed: a debit > 0, a credit < 0
    invoice_no: str
    text: str


@dataclass(frozen=True, slots=True)
class VoucherSeries:
    series_no: int
    name: str
    next_voucher_no: int
    last_voucher_no: int  # the upper limit of the series, not the last number used


def _int_or_none(value: Any) -> int | None:
    number = int(value or 0)
    return number or None


def voucher_series_from_row(row: dict[str, Any]) -> VoucherSeries:
    return VoucherSeries(
        series_no=int(row["voucherSeriesNo"]),
        name=_text(row.get("name")),
        next_voucher_no=int(row.get("nextVoucherNo") or 0),
        last_voucher_no=int(row.get("lastVoucherNo") or 0),
    )


def customer_line_from_row(row: dict[str, Any]) -> PostedLine:
    return PostedLine(
        journal_no=int(row["voucherJournalNo"]),
        voucher_no=int(row.get("voucherNo") or 0),
        table=CUSTOMER_TABLE,
        account_no=None,
        customer_no=_int_or_none(row.get("customerNo")),
        amount=parse_decimal(row.get("amountDomestic")),
        invoice_no=_text(row.get("invoiceNo")),
        text=_text(row.get("text")),
    )


def general_ledger_line_from_row(row: dict[str, Any]) -> PostedLine:
    return PostedLine(
        journal_no=int(row["voucherJournalNo"]),
        voucher_no=int(row.get("voucherNo") or 0),
        table=GENERAL_LEDGER_TABLE,
        account_no=_int_or_none(row.get("accountNo")),
        customer_no=_int_or_none(row.get("customerNo")),
        amount=parse_decimal(row.get("amountDomestic")),
        invoice_no=_text(row.get("invoiceNo")),
        text=_text(row.get("text")),
    )


def open_batches_from_rows(rows: list[dict[str, Any]]) -> list[OpenBatch]:
    """Unposted voucher lines grouped by batch, in batch order."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(int(row["batchNo"]), []).append(row)
    batches = []
    for batch_no in sorted(grouped):
        lines = sorted(grouped[batch_no], key=lambda row: int(row.get("lineNo") or 0))
        batches.append(
            OpenBatch(
                batch_no=batch_no,
                voucher_nos=tuple(sorted({int(row.get("voucherNo") or 0) for row in lines})),
                texts=tuple(_text(row.get("text")) for row in lines),
                amount=sum(
                    (
                        parse_decimal(row.get("amountDomestic"))
                        for row in lines
                        if row.get("debitAccountNo")
                    ),
                    Decimal("0.00"),
                ),
            )
        )
    return batches


def text_has_key(text: str, key: str) -> bool:
    """The check behind a `_like` search: LIKE treats % and _ in the key as wildcards, so
    rows are kept only when the key really is in the text (case-insensitive, as LIKE)."""
    return key.casefold() in text.casefold()


def like_pattern(key: str) -> str:
    return f"%{key}%"
