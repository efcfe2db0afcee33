"""A legal document's full content, computed once when it is drafted and stored with it.

As with letters (debt_collection.documents), rendering only lays out what is here:
creditor and debtor with their identifiers, the invoices, the claim split into principal,
interest to the draft's date, fees and costs, the enforcement basis with its § 4-18 notice,
the choices and texts the person entered. Amounts are strings of kroner and øre, dates ISO
strings. A person's national identity number and address come only from the draft form.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from brreg.models import CustomerEnrichment
from debt_collection.documents import creditor_content
from debt_collection.legal.claim import ClaimSplit
from debt_collection.models import CaseItem, Document, Objection
from debt_collection.rules import FigureUnknownError, Rules, Step, StepCode
from debt_collection.selectors import collection_settings_get
from kredin.identifiers import valid_organization_number
from ledger.models import Customer

CONTENT_VERSION = 1
S = StepCode
# Filings where a person is identified by what the form asks for, not by the mirror.
PERSON_FROM_FORM = frozenset({S.ENFORCEMENT_REQUEST, S.CONCILIATION_COMPLAINT})


def money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def legal_content(
    *,
    case,
    step: Step,
    on: date,
    details: dict[str, Any],
    split: ClaimSplit,
    rules: Rules,
    deadline: date | None,
    notice: Document | None = None,
    pre_suit_letter: Document | None = None,
) -> dict[str, Any]:
    settings = collection_settings_get()
    customer: Customer = case.customer
    links = list(
        CaseItem.objects.filter(case=case, released_on__isnull=True)
        .select_related("open_item")
        .order_by("open_item__due_date", "pk")
    )
    interest_by_item = {row.item_id: row for row in split.interest_new}
    periods = [p for row in split.interest_new for p in row.periods if p.days]
    content: dict[str, Any] = {
        "version": CONTENT_VERSION,
        "step": str(step.code),
        "title": step.name_nb,
        "letter_type": str(step.letter_type),
        "legal_basis": step.legal_basis,
        "case_number": case.number,
        "date": on.isoformat(),
        "deadline": deadline.isoformat() if deadline else None,
        "creditor": creditor_content(settings),
        "debtor": _debtor(
            customer=customer, is_business=case.debtor_is_business, step=step, details=details
        ),
        "items": [
            _item(link, split.principal_by_item.get(link.open_item_id), interest_by_item)
            for link in links
        ],
        "amounts": {
            "principal": money(split.principal),
            "interest": money(split.interest),
            "interest_booked": money(split.interest_booked),
            "interest_since": money(split.interest_since),
            "fees": money(split.fees),
            "court_fees_booked": money(split.court_fees_booked),
            "court_fee": money(split.step_court_fee) if split.step_court_fee is not None else None,
            "costs": money(split.costs),
            "paid": money(split.paid),
            "total": money(split.total),
        },
        "interest": {
            "until": on.isoformat(),
            "from": min((p.first_day for p in periods), default=on).isoformat(),
            "booked_until": max(
                (row.booked_until for row in split.interest_new), default=on
            ).isoformat(),
            "rates": _rates(periods),
        },
        "court_fee": _court_fee(step, on, rules, split.step_court_fee),
        "payment": {
            "account": settings.bank_account,
            "kid": _single_kid(links),
            "kids": [link.open_item.kid for link in links if link.open_item.kid],
        },
        "attachments": [],
    }
    if step.code == S.ENFORCEMENT_REQUEST:
        content["conciliation_if_objected"] = bool(details.get("conciliation_if_objected"))
    if notice is not None:
        content["notice"] = {
            "document_id": notice.pk,
            "step": notice.step,
            "title": notice.content.get("title", ""),
            "date": notice.planned_for.isoformat(),
            "deadline": notice.deadline.isoformat() if notice.deadline else None,
        }
    if pre_suit_letter is not None:
        content["pre_suit_notice"] = {
            "document_id": pre_suit_letter.pk,
            "date": pre_suit_letter.planned_for.isoformat(),
            "deadline": pre_suit_letter.deadline.isoformat() if pre_suit_letter.deadline else None,
        }
    if step.code in (S.PRE_SUIT_NOTICE, S.CONCILIATION_COMPLAINT):
        content["objections"] = [
            {"raised_on": raised_on.isoformat(), "text": text}
            for raised_on, text in Objection.objects.filter(
                case=case, withdrawn_on__isnull=True
            ).values_list("raised_on", "text")
        ]
    for key in ("note", "statement", "board"):
        if details.get(key):
            content[key] = str(details[key])
    return content


def _debtor(
    *, customer: Customer, is_business: bool, step: Step, details: dict[str, Any]
) -> dict[str, Any]:
    enrichment = CustomerEnrichment.objects.filter(customer=customer).first()
    debtor: dict[str, Any] = {
        "name": (enrichment.letter_name if enrichment else "") or customer.name,
        "customer_no": customer.customer_no,
        "is_business": is_business,
        "email": customer.email,
        "country": customer.country,
        "organization_number": "",
        "national_id": "",
    }
    if is_business:
        debtor["organization_number"] = (
            valid_organization_number(customer.organization_number)
            or (valid_organization_number(enrichment.orgnr) if enrichment else None)
            or ""
        )
    if not is_business and step.code in PERSON_FROM_FORM:
        debtor["national_id"] = details.get("national_id", "")
        address = details
    else:
        address = {
            "address_line1": customer.address_line1,
            "address_line2": customer.address_line2,
            "post_code": customer.post_code,
            "city": customer.city,
        }
    for key in ("address_line1", "address_line2", "post_code", "city"):
        debtor[key] = str(address.get(key) or "")
    return debtor


def _item(link: CaseItem, principal_due: Decimal | None, interest_by_item) -> dict[str, Any]:
    item = link.open_item
    interest = interest_by_item.get(item.pk)
    return {
        "item_id": item.pk,
        "invoice_no": item.invoice_no,
        "invoice_date": item.voucher_date.isoformat() if item.voucher_date else None,
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "kid": item.kid,
        "text": item.text,
        "currency": item.currency,
        "amount": money(item.amount),
        "principal": money(link.principal),
        "principal_due": money(principal_due if principal_due is not None else Decimal("0")),
        # What the mirror shows open: a letter checks it against Business NXT before it goes.
        "outstanding": money(item.outstanding),
        "interest": money(interest.new) if interest else "0.00",
        "interest_periods": [
            {
                "from": p.first_day.isoformat(),
                "to": p.last_day.isoformat(),
                "days": p.days,
                "rate": str(p.rate_percent),
                "divisor": p.divisor,
                "amount": money(p.amount),
                "base": money(interest.base),
            }
            for p in (interest.periods if interest else ())
            if p.days
        ],
    }


def _single_kid(links: list[CaseItem]) -> str:
    kids = {link.open_item.kid for link in links if link.open_item.kid}
    return kids.pop() if len(kids) == 1 else ""


def _rates(periods) -> list[dict[str, str]]:
    first: dict[Decimal, date] = {}
    for period in periods:
        if period.rate_percent not in first or period.first_day < first[period.rate_percent]:
            first[period.rate_percent] = period.first_day
    return [
        {"rate": str(rate), "from": day.isoformat()}
        for rate, day in sorted(first.items(), key=lambda pair: pair[1])
    ]


def _court_fee(step: Step, on: date, rules: Rules, amount: Decimal | None) -> dict[str, Any]:
    """The step's court fee with what it is made of; `amount` None when a figure is missing."""
    if not step.court_fee_key:
        return {"key": "", "amount": "0.00"}
    found: dict[str, Any] = {"key": step.court_fee_key, "amount": None, "year": on.year}
    try:
        found["unit"] = str(rules.court_fee_unit(on))
        found["multiplier"] = str(rules.court_fee_multiplier(step.court_fee_key, on))
    except FigureUnknownError as error:
        found["missing"] = error.table
    if amount is not None:
        found["amount"] = money(amount)
    return found
