"""Legal documents and their attachments as PDFs, laid out from the stored content.

The same WeasyPrint set-up as the letters (debt_collection.letters.render: the letter base
URL and its restricted fetcher). A document is laid out without a signature (the block
says "Ikke signert") or with the one being made; the template must show every element the
step's letter type requires (rules.content), or the PDF is refused.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from debt_collection.letters.fetcher import LetterURLFetcher
from debt_collection.letters.render import LETTER_LANGUAGE, LetterIncomplete, html_to_pdf
from debt_collection.rules import Step
from debt_collection.rules.content import content_label
from kredin.clock import OSLO
from ledger.templatetags.ledger_format import format_amount

_ELEMENT_MARK = re.compile(r'data-element="([a-z_]+)"')
AMOUNT_KEYS = ("principal", "interest", "interest_booked", "interest_since", "fees")
AMOUNT_KEYS += ("court_fees_booked", "costs", "paid", "total")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _grouped(value: str, groups: tuple[int, ...]) -> str:
    if not value or not value.isdigit() or len(value) != sum(groups):
        return value or ""
    parts, start = [], 0
    for size in groups:
        parts.append(value[start : start + size])
        start += size
    return " ".join(parts)


def _party(party: dict[str, Any]) -> dict[str, Any]:
    shown = dict(party)
    shown["organization_number_display"] = _grouped(party.get("organization_number", ""), (3, 3, 3))
    shown["national_id_display"] = _grouped(party.get("national_id", ""), (6, 5))
    shown["account_display"] = _grouped(party.get("bank_account", ""), (4, 2, 5))
    return shown


def _court_fee(court_fee: dict[str, Any]) -> dict[str, Any]:
    shown = dict(court_fee)
    shown["multiplier_display"] = str(court_fee.get("multiplier", "")).replace(".", ",")
    unit = court_fee.get("unit")
    shown["unit_display"] = format_amount(Decimal(unit)).removesuffix(",00") if unit else ""
    return shown


def legal_context(*, content: dict[str, Any], signature: dict[str, Any] | None) -> dict[str, Any]:
    """The stored content as the templates use it: dates as dates, money as Decimal."""
    amounts = {key: Decimal(content["amounts"][key]) for key in AMOUNT_KEYS}
    court_fee = content["amounts"].get("court_fee")
    items = []
    for item in content["items"]:
        items.append(
            {
                **item,
                "invoice_date": _day(item.get("invoice_date")),
                "due_date": _day(item.get("due_date")),
                "amount": Decimal(item["amount"]),
                "principal_due": Decimal(item["principal_due"]),
                "outstanding": Decimal(item["outstanding"]),
                "periods": [
                    {
                        **period,
                        "from": _day(period["from"]),
                        "to": _day(period["to"]),
                        "amount": Decimal(period["amount"]),
                        "base": Decimal(period["base"]),
                        "rate_display": period["rate"].replace(".", ","),
                    }
                    for period in item.get("interest_periods", [])
                ],
            }
        )
    interest = content.get("interest", {})
    notice = dict(content["notice"]) if content.get("notice") else None
    if notice:
        notice["date"], notice["deadline"] = _day(notice["date"]), _day(notice["deadline"])
    pre_suit = dict(content["pre_suit_notice"]) if content.get("pre_suit_notice") else None
    if pre_suit:
        pre_suit["date"], pre_suit["deadline"] = _day(pre_suit["date"]), _day(pre_suit["deadline"])
    payment = content.get("payment", {})
    return {
        **content,
        "date": _day(content["date"]),
        "deadline": _day(content.get("deadline")),
        "creditor": _party(content["creditor"]),
        "debtor": _party(content["debtor"]),
        "items": items,
        "amounts": {**amounts, "court_fee": Decimal(court_fee) if court_fee else None},
        "interest_until": _day(interest.get("until")),
        "interest_from": _day(interest.get("from")),
        "interest_booked_until": _day(interest.get("booked_until")),
        "rates": [
            {"rate_display": rate["rate"].replace(".", ","), "from": _day(rate["from"])}
            for rate in interest.get("rates", [])
        ],
        "periods": [period for item in items for period in item["periods"]],
        "notice": notice,
        "pre_suit_notice": pre_suit,
        "objections": [
            {"raised_on": _day(o["raised_on"]), "text": o["text"]}
            for o in content.get("objections", [])
        ],
        "account_display": _grouped(payment.get("account", ""), (4, 2, 5)),
        "court_fee": _court_fee(content.get("court_fee", {})),
        "signature": signature,
    }


def signature_block(*, name: str, email: str, signed_at: datetime) -> dict[str, Any]:
    return {"name": name, "email": email, "at": signed_at.astimezone(OSLO)}


def legal_html(*, content: dict[str, Any], step: Step, signature: dict[str, Any] | None) -> str:
    context = {"doc": legal_context(content=content, signature=signature)}
    with translation.override(LETTER_LANGUAGE):
        html = render_to_string(f"letters/legal/{step.code.value}.html", context)
    shown = set(_ELEMENT_MARK.findall(html))
    missing = [element for element in step.required_content if element.value not in shown]
    if missing:
        labels = "; ".join(content_label(element, lang="nb") for element in missing)
        raise LetterIncomplete(f"{step.name_nb} mangler: {labels}")
    return html


def legal_pdf(*, content: dict[str, Any], step: Step, signature: dict[str, Any] | None) -> bytes:
    html = legal_html(content=content, step=step, signature=signature)
    return html_to_pdf(html=html, fetcher=LetterURLFetcher(logo=None))


def invoice_copy_pdf(*, content: dict[str, Any], item: dict[str, Any]) -> bytes:
    """A copy of one invoice as the mirror holds it, titled as such: not the original."""
    doc = legal_context(content=content, signature=None)
    shown = next(row for row in doc["items"] if row["item_id"] == item["item_id"])
    context = {"doc": doc, "item": shown}
    with translation.override(LETTER_LANGUAGE):
        html = render_to_string("letters/legal/invoice_copy.html", context)
    return html_to_pdf(html=html, fetcher=LetterURLFetcher(logo=None))
