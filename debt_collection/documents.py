"""A letter's full content, computed once when it is planned and stored with the document.

Everything the letter must show is here, so rendering (PDF, e-mail) only lays it out and a
document can always be shown again exactly as it went out: creditor and debtor with their
identifiers, each invoice with its KID, principal and every addition separately, the
interest per invoice with its calculation by rate period, the deadline as a date, the
account to pay to. Amounts are strings of kroner and øre, dates ISO strings.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from debt_collection.models import CollectionSettings
from debt_collection.planning import ItemFacts, Letter
from debt_collection.rules import Rules, catalogue_for
from ledger.models import Customer

CONTENT_VERSION = 1


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def creditor_content(settings: CollectionSettings) -> dict[str, str]:
    """The sender as every letter and legal document prints it."""
    return {
        "name": settings.sender_name,
        "address": settings.sender_address,
        "post_code": settings.sender_post_code,
        "city": settings.sender_city,
        "organization_number": settings.sender_organization_number,
        "bank_account": settings.bank_account,
        "email": settings.sender_email,
        "phone": settings.sender_phone,
    }


def letter_content(
    *,
    letter: Letter,
    case_number: int,
    customer: Customer,
    letter_name: str,
    items: list[ItemFacts],
    settings: CollectionSettings,
    charges_before: Decimal,
    paid_before: Decimal,
    rules: Rules,
    payments: list[tuple[date, Decimal]] | None = None,
) -> dict[str, Any]:
    """The stored content of a letter of `letter.step` for the case as it stands.

    `charges_before` are the fees and compensation earlier letters added (interest is shown
    in full, from the due dates, on every letter); `paid_before` what the debtor has paid;
    `payments` the (day, amount) of each payment, for the letters that list them.
    """
    step = catalogue_for(on=letter.on, rules=rules).step(letter.step)
    interest_by_item = {row.item_id: row for row in letter.interest}
    principal = sum((row.principal for row in letter.interest), Decimal("0.00"))
    interest_total = sum((row.total for row in letter.interest), Decimal("0.00"))
    total = principal + charges_before + letter.fee + letter.compensation + interest_total
    kids = [item.kid for item in items if item.kid]
    return {
        "version": CONTENT_VERSION,
        "step": str(letter.step),
        "title": step.name_nb if step else str(letter.step),
        "letter_type": str(step.letter_type) if step else "",
        "legal_basis": step.legal_basis if step else "",
        "case_number": case_number,
        "date": letter.on.isoformat(),
        "deadline": letter.deadline.isoformat() if letter.deadline else None,
        "creditor": creditor_content(settings),
        "debtor": {
            "name": letter_name or customer.name,
            "customer_no": customer.customer_no,
            "organization_number": customer.organization_number,
            "is_business": customer.customer_type == "business",
            "address_line1": customer.address_line1,
            "address_line2": customer.address_line2,
            "post_code": customer.post_code,
            "city": customer.city,
            "country": customer.country,
            "email": customer.email,
        },
        "items": [_item(item, interest_by_item.get(item.item_id)) for item in items],
        "amounts": {
            "principal": _money(principal),
            "earlier_charges": _money(charges_before),
            "fee": _money(letter.fee),
            "compensation": _money(letter.compensation),
            "interest": _money(interest_total),
            "paid": _money(paid_before),
            "total": _money(total - paid_before),
        },
        "payment": {
            "account": settings.bank_account,
            "kid": kids[0] if len(set(kids)) == 1 else "",
            "kids": kids,
        },
        "notes": [reason.code for reason in letter.fee_notes],
        "payments": [
            {"date": day.isoformat(), "amount": _money(amount)} for day, amount in payments or ()
        ],
    }


def _item(item: ItemFacts, interest) -> dict[str, Any]:
    return {
        "item_id": item.item_id,
        "invoice_no": item.invoice_no,
        "due_date": item.due_date.isoformat(),
        "outstanding": _money(item.outstanding),
        "kid": item.kid,
        "interest": _money(interest.total) if interest else "0.00",
        "interest_periods": [
            {
                "from": period.first_day.isoformat(),
                "to": period.last_day.isoformat(),
                "days": period.days,
                "rate": str(period.rate_percent),
                "divisor": period.divisor,
                "amount": _money(period.amount),
            }
            for period in (interest.periods if interest else ())
        ],
    }
