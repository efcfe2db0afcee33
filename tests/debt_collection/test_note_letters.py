"""The restnota and the rentenota as PDF letters: what each shows, read back from the PDF.

The content is made by `letter_content`, as the planner makes it, for a Letter of each
note (no fee, a 14-day deadline) and saved on a Document; `document_pdf` renders it. The
notes are not steps of the sequence, so the autopilot is not needed here.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from debt_collection.documents import letter_content
from debt_collection.letters import render
from debt_collection.letters.render import LetterIncomplete, document_pdf, letter_html
from debt_collection.models import Case, CollectionSettings, Document, DocumentStatus
from debt_collection.planning import ItemFacts, ItemInterest, Letter
from debt_collection.rules import (
    CURRENT_CATALOGUE,
    NEW_ACT_CATALOGUE,
    ContentElement,
    FeeRule,
    StepCode,
    default_rules,
    format_date,
    interest_breakdown,
)
from debt_collection.rules.content import content_label
from ledger.templatetags.ledger_format import format_amount
from tests.debt_collection.conftest import invoice
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

S = StepCode
ZERO = Decimal("0.00")
NOTE_DAYS = 14


# --- helpers ---------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of white space (and no-break spaces) as one space."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def kr(value: str | Decimal) -> str:
    return f"{format_amount(value, thousands=' ')} kr"


def dmy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def long_date(day: date) -> str:
    return format_date(day, lang="nb")


def periods_on(pieces: list[tuple[str, date, date]]) -> tuple:
    """Interest periods for a principal that goes down: (principal, after day, until day)."""
    rules = default_rules()
    return tuple(
        period
        for principal, after, until in pieces
        for period in interest_breakdown(Decimal(principal), after, until, rules=rules)
    )


def note_document(
    *,
    step: StepCode,
    customer,
    item,
    on: date,
    periods: tuple,
    charges_before: Decimal,
    payments: list[tuple[date, Decimal]],
    status: str = DocumentStatus.READY,
) -> Document:
    """A note's Document, its content from `letter_content` as the planner would make it."""
    principal = item.amount
    interest = sum((period.amount for period in periods), ZERO)
    letter = Letter(
        step=step,
        on=on,
        deadline=on + timedelta(days=NOTE_DAYS),
        fee=ZERO,
        compensation=ZERO,
        interest=(ItemInterest(item.pk, principal, interest, ZERO, periods),),
    )
    facts = ItemFacts(
        item_id=item.pk,
        customer_id=customer.pk,
        invoice_no=item.invoice_no,
        due_date=item.due_date,
        outstanding=item.outstanding,
        kid=item.kid,
    )
    case = Case.objects.create(
        number=Case.objects.count() + 101,
        customer=customer,
        debtor_is_business=customer.customer_type == "business",
        started_on=item.due_date + timedelta(days=7),
    )
    content = letter_content(
        letter=letter,
        case_number=case.number,
        customer=customer,
        letter_name="",
        items=[facts],
        settings=CollectionSettings.objects.get(),
        charges_before=charges_before,
        paid_before=sum((amount for _, amount in payments), ZERO),
        rules=default_rules(),
        payments=payments,
    )
    return Document.objects.create(
        case=case,
        step=step.value,
        status=status,
        planned_for=on,
        deadline=letter.deadline,
        content=content,
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


# A consumer paid 10 000 kr due 2026-01-10 in two parts; the restnota goes the day after the
# second. Interest runs on what was still unpaid: 10 000, then 7 500, then 3 000.
DUE = date(2026, 1, 10)
FIRST, SECOND, NOTE_ON = date(2026, 2, 2), date(2026, 2, 20), date(2026, 3, 2)


@pytest.fixture
def remainder_note(collections, media) -> Document:
    customer = CustomerFactory(
        name="Kari Nordmann",
        customer_type="person",
        address_line1="Storgata 5",
        post_code="0155",
        city="Oslo",
    )
    item = invoice(customer=customer, due=DUE, amount="10000.00", kid="5550001112")
    item.outstanding = Decimal("3000.00")
    item.save(update_fields=["outstanding"])
    periods = periods_on(
        [("10000", DUE, FIRST), ("7500", FIRST, SECOND), ("3000", SECOND, NOTE_ON)]
    )
    return note_document(
        step=S.REMAINDER_NOTE,
        customer=customer,
        item=item,
        on=NOTE_ON,
        periods=periods,
        charges_before=Decimal("38.00"),  # the reminder's fee, not yet paid
        payments=[(FIRST, Decimal("2500.00")), (SECOND, Decimal("4500.00"))],
    )


# A business paid the principal of an invoice due 2025-11-20 on 2026-01-15: the interest
# crosses 1 January 2026 (12.25 %, then 12.00 %), and the § 3a compensation an earlier
# letter claimed is still owed.
LATE_DUE, PAID_ON, INTEREST_NOTE_ON = date(2025, 11, 20), date(2026, 1, 15), date(2026, 1, 20)


@pytest.fixture
def interest_note(collections, media) -> Document:
    customer = CustomerFactory(
        name="Bergen Bygg AS",
        customer_type="business",
        organization_number="974760673",
        address_line1="Bryggen 2",
        post_code="5003",
        city="Bergen",
    )
    item = invoice(customer=customer, due=LATE_DUE, amount="10000.00", kid="1234567890")
    item.outstanding = ZERO
    item.save(update_fields=["outstanding"])
    return note_document(
        step=S.INTEREST_NOTE,
        customer=customer,
        item=item,
        on=INTEREST_NOTE_ON,
        periods=periods_on([("10000", LATE_DUE, PAID_ON)]),
        charges_before=Decimal("460.00"),
        payments=[(PAID_ON, Decimal("10000.00"))],
    )


# --- the restnota ------------------------------------------------------------------------------


def test_the_remainder_note_thanks_for_the_payments_and_lists_them(remainder_note):
    text = pdf_text(document_pdf(document=remainder_note))

    assert "Restnota" in text
    assert "Takk for innbetalingene. Vi har til sammen mottatt 7 000,00 kr" in text
    assert "Innbetalinger vi har mottatt" in text
    assert f"{dmy(FIRST)} 2 500,00 kr" in text
    assert f"{dmy(SECOND)} 4 500,00 kr" in text
    assert "Innbetalt i alt 7 000,00 kr" in text


def test_the_remainder_note_itemises_what_is_left_with_deadline_account_and_kid(remainder_note):
    content = remainder_note.content
    amounts = content["amounts"]
    deadline = NOTE_ON + timedelta(days=NOTE_DAYS)
    text = pdf_text(document_pdf(document=remainder_note))

    assert amounts["paid"] == "7000.00"
    assert Decimal(amounts["total"]) == (
        Decimal("10000.00") + Decimal("38.00") + Decimal(amounts["interest"]) - Decimal("7000.00")
    )
    for expected in (
        "Hovedstol 10 000,00 kr",
        "Gebyrer og kompensasjon fra tidligere brev 38,00 kr",
        f"Forsinkelsesrente til og med {dmy(NOTE_ON)} {kr(amounts['interest'])}",
        "Innbetalt −7 000,00 kr",
        f"Å betale {kr(amounts['total'])}",
        f"Betalingsfrist {long_date(deadline)}",
        f"Betales innen {long_date(deadline)}",
        "Til konto 1503 00 12345",
        "KID 5550001112",
        "Alice Rørlegger AS",
        f"Faktura {content['items'][0]['invoice_no']} {dmy(DUE)} 5550001112 3 000,00 kr",
        f"ikke betalt innen {long_date(deadline)}, fortsetter vi saken der den stod",
        "Restnota uten gebyr.",
    ):
        assert expected in text, expected
    # Interest on what was left after each payment, each period with its own base.
    number = content["items"][0]["invoice_no"]
    assert f"{number} 11.01.2026 02.02.2026 23 12,00 %" in text
    assert f"{number} 21.02.2026 02.03.2026 10 12,00 %" in text
    # No fee on a restnota: no fee line at all.
    assert "Gebyr for dette brevet" not in text
    assert "Gebyr " not in text


def test_the_remainder_note_shows_what_each_payment_covered_when_the_content_says(
    remainder_note,
):
    content = dict(remainder_note.content)
    content["payments"] = [
        {**content["payments"][0], "costs": "38.00", "interest": "90.00", "principal": "2372.00"},
        {**content["payments"][1], "principal": "4500.00"},
    ]
    remainder_note.content = content
    remainder_note.status = DocumentStatus.PROPOSED  # rendered for a look, not stored
    text = pdf_text(document_pdf(document=remainder_note))

    assert "Brukt til" in text
    assert (
        f"{dmy(FIRST)} gebyrer og kostnader 38,00 kr, renter 90,00 kr, hovedstol 2 372,00 kr "
        "2 500,00 kr"
    ) in text
    assert f"{dmy(SECOND)} hovedstol 4 500,00 kr 4 500,00 kr" in text
    assert "kan du spørre oss" not in text  # only said when the split is not shown


def test_without_the_split_the_remainder_note_offers_to_tell_it(remainder_note):
    text = pdf_text(document_pdf(document=remainder_note))

    assert "Brukt til" not in text
    assert "Vil du vite hvordan innbetalingene er fordelt" in text


def test_a_note_whose_payments_disagree_with_the_paid_line_is_refused(remainder_note):
    content = dict(remainder_note.content)
    content["payments"] = content["payments"][:1]
    Document.objects.filter(pk=remainder_note.pk).update(content=content)

    with pytest.raises(LetterIncomplete):
        document_pdf(document=Document.objects.get(pk=remainder_note.pk))
    assert Document.objects.get(pk=remainder_note.pk).pdf_sha256 == ""


def test_a_payment_split_that_does_not_add_up_is_refused(remainder_note):
    content = dict(remainder_note.content)
    content["payments"] = [{**content["payments"][0], "principal": "1.00"}, content["payments"][1]]
    remainder_note.content = content
    remainder_note.status = DocumentStatus.PROPOSED

    with pytest.raises(LetterIncomplete):
        document_pdf(document=remainder_note)


def test_a_note_without_its_payments_is_refused(remainder_note):
    content = {**remainder_note.content, "payments": []}
    remainder_note.content = content

    with pytest.raises(LetterIncomplete) as refused:
        letter_html(document=remainder_note, logo=None)

    assert content_label(ContentElement.PAYMENTS_RECEIVED, lang="nb") in str(refused.value)


# --- the rentenota -----------------------------------------------------------------------------


def test_the_interest_note_says_the_principal_came_late_and_shows_the_interest_by_period(
    interest_note,
):
    content = interest_note.content
    item = content["items"][0]
    amounts = content["amounts"]
    deadline = INTEREST_NOTE_ON + timedelta(days=NOTE_DAYS)
    text = pdf_text(document_pdf(document=interest_note))

    assert "Rentenota" in text
    assert "Takk for at du har betalt hovedstolen. Betalingen kom etter forfallsdatoen" in text
    assert "forsinkelsesrenteloven §§ 2 og 3" in text
    assert f"{dmy(PAID_ON)} 10 000,00 kr" in text  # the payment, with its day
    assert "Vil du vite hvordan innbetalingen er fordelt" in text
    # By rate period: 12.25 % to 31 December, 12.00 % from 1 January, to the payment day.
    periods = item["interest_periods"]
    assert [(p["from"], p["to"], p["rate"]) for p in periods] == [
        ("2025-11-21", "2025-12-31", "12.25"),
        ("2026-01-01", "2026-01-15", "12.00"),
    ]
    number = item["invoice_no"]
    assert f"{number} 21.11.2025 31.12.2025 41 12,25 %" in text
    assert f"{number} 01.01.2026 15.01.2026 15 12,00 %" in text
    for period in periods:
        assert kr(period["amount"]) in text
    assert "12,25 % fra 21. november 2025, 12,00 % fra 1. januar 2026" in text
    assert "første gang 21. november 2025" in text
    # The costs still owed, the total and the deadline.
    assert amounts["total"] == str(Decimal("460.00") + Decimal(amounts["interest"]))
    for expected in (
        f"Forsinkelsesrente til og med {dmy(PAID_ON)} {kr(amounts['interest'])}",
        "Gebyrer og kompensasjon fra tidligere brev 460,00 kr",
        "Hovedstol 10 000,00 kr",
        "Innbetalt −10 000,00 kr",
        f"Å betale {kr(amounts['total'])}",
        f"Betales innen {long_date(deadline)}",
        f"Betalingsfrist {long_date(deadline)}",
        "Til konto 1503 00 12345",
        "KID 1234567890",
        "Deres org.nr. 974 760 673",
        "det regnes ikke forsinkelsesrente av renter",
        "Rentenota uten gebyr.",
    ):
        assert expected in text, expected
    assert "Gebyr for dette brevet" not in text


# --- both notes --------------------------------------------------------------------------------


def test_both_notes_are_letters_with_no_fee_in_both_catalogues():
    assert {S.REMAINDER_NOTE, S.INTEREST_NOTE} <= render.LETTER_STEPS
    for catalogue in (CURRENT_CATALOGUE, NEW_ACT_CATALOGUE):
        for code, name in ((S.REMAINDER_NOTE, "Restnota"), (S.INTEREST_NOTE, "Rentenota")):
            step = catalogue.step(code)
            assert step.name_nb == name
            assert step.fee_rule is FeeRule.NONE and not step.fee_required and step.optional
            assert code not in catalogue.codes  # not a step of the sequence


@pytest.mark.parametrize("step", [S.REMAINDER_NOTE, S.INTEREST_NOTE])
def test_each_note_carries_what_its_letter_type_requires(remainder_note, step):
    """The restnota's content laid out as either note: each element is marked."""
    remainder_note.step = step.value
    remainder_note.content = {**remainder_note.content, "step": step.value}

    html = letter_html(document=remainder_note, logo=None)  # raises if an element is missing

    marked = set(re.findall(r'data-element="([a-z_]+)"', html))
    required = CURRENT_CATALOGUE.step(step).required_content
    assert {element.value for element in required} | {"payments_received"} <= marked
