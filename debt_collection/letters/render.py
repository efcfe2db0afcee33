"""A letter as a PDF: laid out from the document's stored content, rendered once, kept.

`document_pdf` is the one entry point. The first call renders the letter and stores the
PDF with its SHA-256 on the document; every later call returns the stored bytes, after
checking them against the hash, so a letter downloaded or sent again is byte for byte the
one made the first time, even if WeasyPrint, a template or the logo has changed since.

Rendering only lays out what `Document.content` holds (debt_collection.documents); it
computes no amount of its own, but it does refuse a letter whose figures do not add up or
whose template leaves out an element its letter type requires (rules.content).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from debt_collection.letters.fetcher import LETTER_BASE_URL, MEDIA_PREFIX, LetterURLFetcher
from debt_collection.models import Document, DocumentStatus
from debt_collection.rules import FeeRule, Step, StepCode, catalogue_for
from debt_collection.rules.content import content_label
from debt_collection.selectors import collection_rules, collection_settings_get

# Letters are written in bokmål and stored once: the language of whoever happens to open
# the first download must not decide the language of what the debtor receives.
LETTER_LANGUAGE = "nb"
# The steps that are letters to the debtor, with the two notes sent after a payment;
# filings to courts and officers are not laid out here.
LETTER_STEPS = frozenset(
    {
        StepCode.FRIENDLY_REMINDER,
        StepCode.REMINDER,
        StepCode.COLLECTION_NOTICE,
        StepCode.PAYMENT_DEMAND,
        StepCode.FINAL_NOTICE_ENFORCEMENT,
        StepCode.FINAL_NOTICE_BANKRUPTCY,
        StepCode.DEMAND_LETTER,
        StepCode.REMAINDER_NOTE,
        StepCode.INTEREST_NOTE,
    }
)
# A proposal may still change before it is approved; only a letter that is (or was) going
# out is kept. Others are rendered for a look and thrown away.
KEPT_STATUSES = frozenset({DocumentStatus.READY, DocumentStatus.SENT})
_ELEMENT_MARK = re.compile(r'data-element="([a-z_]+)"')
_CENT = Decimal("0.01")
# What a payment went to, when the content says so (the claim ledger's payment parts).
PAYMENT_PARTS = ("costs", "interest", "principal", "overpaid")


class LetterError(Exception):
    """The letter cannot be made as it stands; the message says why."""


class LetterIncomplete(LetterError):
    """The letter would lack something the law asks of its type, or its sums disagree."""


class LetterTampered(LetterError):
    """The stored PDF no longer matches the hash recorded when it was made."""


@dataclass
class RenderedLetter:
    html: str
    pdf: bytes
    served: list = field(default_factory=list)
    refusals: list = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


# --- the entry point --------------------------------------------------------------------------


def document_pdf(*, document: Document) -> bytes:
    """The letter's PDF: rendered and stored on the first call, the stored bytes after.

    Runs in the document's organisation scope. Two first calls at once (a download while
    the dispatch task sends) render once: the second waits on the row lock and then reads
    what the first stored.
    """
    if document.pdf_sha256:
        return _stored_bytes(document)
    if document.status not in KEPT_STATUSES:
        return letter_render(document=document).pdf
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.pdf_sha256:
            pdf = _stored_bytes(locked)
        else:
            rendered = letter_render(document=locked)
            pdf = rendered.pdf
            # The file is written before the row names it; if the transaction is rolled
            # back later, an unnamed file is left behind, never a row naming a missing file.
            locked.pdf.save(_file_name(locked), ContentFile(pdf), save=False)
            locked.pdf_sha256 = rendered.sha256
            locked.save(update_fields=["pdf", "pdf_sha256"])
    document.pdf, document.pdf_sha256 = locked.pdf, locked.pdf_sha256
    return pdf


def _stored_bytes(document: Document) -> bytes:
    with document.pdf.open("rb") as handle:
        pdf = handle.read()
    if hashlib.sha256(pdf).hexdigest() != document.pdf_sha256:
        raise LetterTampered(
            f"The stored PDF of document {document.pk} does not match its SHA-256; "
            "it is not sent or shown again."
        )
    return pdf


def _file_name(document: Document) -> str:
    number = document.content.get("case_number", document.case_id)
    return f"{document.organization_id}/S{number}-{document.pk}-{document.step}.pdf"


# --- rendering ------------------------------------------------------------------------------


def letter_render(*, document: Document) -> RenderedLetter:
    """Lay the letter out and render it, storing nothing."""
    logo = _logo()
    html = letter_html(document=document, logo=logo)
    fetcher = LetterURLFetcher(logo=logo)
    pdf = html_to_pdf(html=html, fetcher=fetcher)
    return RenderedLetter(html=html, pdf=pdf, served=fetcher.served, refusals=fetcher.refusals)


def html_to_pdf(*, html: str, fetcher: LetterURLFetcher) -> bytes:
    """WeasyPrint with the letter's base URL and its restricted fetcher, nothing more."""
    return HTML(string=html, base_url=LETTER_BASE_URL, url_fetcher=fetcher).write_pdf()


def letter_html(*, document: Document, logo: FieldFile | None) -> str:
    """The letter's HTML, checked to carry every element its type requires."""
    step = _step(document)
    context = {"letter": letter_context(document=document, step=step, logo=logo)}
    with translation.override(LETTER_LANGUAGE):
        html = render_to_string(f"letters/{step.code.value}.html", context)
    _check_required_content(html=html, step=step)
    return html


def _logo() -> FieldFile | None:
    logo = collection_settings_get().logo
    return logo if logo else None


def _step(document: Document) -> Step:
    try:
        code = StepCode(document.step)
    except ValueError:
        raise LetterError(f"{document.step!r} is not a step") from None
    if code not in LETTER_STEPS:
        raise LetterError(f"{code.value} is a filing, not a letter to the debtor")
    step = catalogue_for(on=document.planned_for, rules=collection_rules()).step(code)
    if step is None:
        raise LetterError(f"{code.value} is not a step of the law in force on the letter's day")
    return step


def _check_required_content(*, html: str, step: Step) -> None:
    """Every element the letter type requires (and good practice adds) is in the layout.

    The templates mark each element where it is shown, and only when its data is there
    (a deadline, the interest periods), so a missing mark is a letter that must not go.
    """
    shown = set(_ELEMENT_MARK.findall(html))
    missing = [e for e in (*step.required_content, *step.practice_content) if e.value not in shown]
    if missing:
        labels = "; ".join(content_label(e, lang="nb") for e in missing)
        raise LetterIncomplete(f"{step.name_nb} mangler: {labels}")


# --- the context ----------------------------------------------------------------------------


def letter_context(*, document: Document, step: Step, logo: FieldFile | None) -> dict[str, Any]:
    """The stored content as the templates use it: dates as dates, money as Decimal, and
    the few things derived for layout (rate list, base of each interest line)."""
    content = document.content
    amounts = {key: Decimal(value) for key, value in content["amounts"].items()}
    items = [_item(item) for item in content["items"]]
    payments = [_payment(payment) for payment in content.get("payments", [])]
    _check_sums(amounts=amounts, items=items)
    _check_payments(amounts=amounts, payments=payments)
    periods = [period for item in items for period in item["periods"]]
    payment = content.get("payment", {})
    kids = list(dict.fromkeys(kid for kid in payment.get("kids", []) if kid))
    creditor = dict(content["creditor"])
    creditor["organization_number_display"] = _digits_grouped(
        creditor.get("organization_number", ""), (3, 3, 3)
    )
    debtor = dict(content["debtor"])
    debtor["organization_number_display"] = _digits_grouped(
        debtor.get("organization_number", ""), (3, 3, 3)
    )
    return {
        "step": step.code.value,
        "title": content.get("title") or step.name_nb,
        "case_number": content["case_number"],
        "date": date.fromisoformat(content["date"]),
        "deadline": date.fromisoformat(content["deadline"]) if content.get("deadline") else None,
        "creditor": creditor,
        "debtor": debtor,
        "items": items,
        "single_item": len(items) == 1,
        "amounts": amounts,
        # The fee line shows on letters that may carry a fee; the friendly reminder never.
        "shows_fee": step.fee_rule is not FeeRule.NONE or amounts["fee"] > 0,
        "periods": periods,
        "interest_from": min((p["from"] for p in periods), default=None),
        "interest_until": max((p["to"] for p in periods), default=None),
        "rates": _rates(periods),
        "account": payment.get("account", ""),
        "account_display": _digits_grouped(payment.get("account", ""), (4, 2, 5)),
        "kid": payment.get("kid", ""),
        "kids": kids,
        "payments": payments,
        "payments_covered": any(payment["covered"] for payment in payments),
        "logo_href": f"{MEDIA_PREFIX}{quote(logo.name)}" if logo else "",
    }


def _item(item: dict[str, Any]) -> dict[str, Any]:
    outstanding = Decimal(item["outstanding"])
    periods = [
        {
            "from": date.fromisoformat(period["from"]),
            "to": date.fromisoformat(period["to"]),
            "days": period["days"],
            "rate": Decimal(period["rate"]),
            "rate_display": period["rate"].replace(".", ","),
            "divisor": period["divisor"],
            "amount": Decimal(period["amount"]),
        }
        for period in item.get("interest_periods", [])
    ]
    # The content keeps each period's amount, not the base it was computed on; the letter
    # prints the outstanding amount as that base only where it reproduces every period to
    # the øre, so the printed calculation can always be done again by hand.
    base_shown = bool(periods) and all(
        abs(outstanding * p["rate"] * p["days"] / (100 * p["divisor"]) - p["amount"]) <= _CENT
        for p in periods
    )
    for period in periods:
        period["invoice_no"] = item["invoice_no"]
        period["base"] = outstanding if base_shown else None
    return {
        "invoice_no": item["invoice_no"],
        "due_date": date.fromisoformat(item["due_date"]),
        "kid": item.get("kid", ""),
        "outstanding": outstanding,
        "interest": Decimal(item.get("interest", "0")),
        "periods": periods,
    }


def _payment(payment: dict[str, Any]) -> dict[str, Any]:
    """A payment received: its day and amount, and what it covered if the content says."""
    covered = [
        {"part": part, "amount": Decimal(payment[part])}
        for part in PAYMENT_PARTS
        if Decimal(payment.get(part) or "0")
    ]
    return {
        "date": date.fromisoformat(payment["date"]),
        "amount": Decimal(payment["amount"]),
        "covered": covered,
    }


def _check_payments(*, amounts: dict[str, Decimal], payments: list[dict[str, Any]]) -> None:
    """Listed payments are the "paid" line in full, and each is split without remainder."""
    if not payments:
        return
    listed = sum((payment["amount"] for payment in payments), Decimal("0"))
    if listed != amounts["paid"]:
        raise LetterIncomplete(
            f"the payments listed add up to {listed}, the paid line says {amounts['paid']}"
        )
    for payment in payments:
        covered = sum((part["amount"] for part in payment["covered"]), Decimal("0"))
        if payment["covered"] and covered != payment["amount"]:
            raise LetterIncomplete(
                f"the payment of {payment['amount']} on {payment['date']} is split into {covered}"
            )


def _check_sums(*, amounts: dict[str, Decimal], items: list[dict[str, Any]]) -> None:
    """A letter whose lines do not add up to its total is not sent."""
    added = (
        amounts["principal"]
        + amounts["earlier_charges"]
        + amounts["fee"]
        + amounts["compensation"]
        + amounts["interest"]
        - amounts["paid"]
    )
    if added != amounts["total"]:
        raise LetterIncomplete(f"the lines add up to {added}, the total says {amounts['total']}")
    interest = sum((item["interest"] for item in items), Decimal("0"))
    by_period = sum((p["amount"] for item in items for p in item["periods"]), Decimal("0"))
    if not interest == by_period == amounts["interest"]:
        raise LetterIncomplete("the interest lines do not add up to the interest in the total")


def _rates(periods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each rate once, with the first day it applies in this letter, in date order."""
    first: dict[Decimal, dict[str, Any]] = {}
    for period in periods:
        seen = first.get(period["rate"])
        if seen is None or period["from"] < seen["from"]:
            first[period["rate"]] = {"rate_display": period["rate_display"], "from": period["from"]}
    return sorted(first.values(), key=lambda rate: rate["from"])


def _digits_grouped(value: str, groups: tuple[int, ...]) -> str:
    """923609016 -> 923 609 016, 15030012345 -> 1503 00 12345; anything else as it is."""
    if not value.isdigit() or len(value) != sum(groups):
        return value
    parts, start = [], 0
    for size in groups:
        parts.append(value[start : start + size])
        start += size
    return " ".join(parts)


__all__ = [
    "LetterError",
    "LetterIncomplete",
    "LetterTampered",
    "RenderedLetter",
    "document_pdf",
    "html_to_pdf",
    "letter_context",
    "letter_html",
    "letter_render",
]
