"""What Kredin reads from Business NXT, as plain typed records (no Django models here)."""

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
