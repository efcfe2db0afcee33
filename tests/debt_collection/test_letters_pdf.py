"""Letters as PDF: what each letter shows, read back from the PDF; rendered once and kept;
the logo; the address in the envelope window; the API and page downloads.

The letters are made by the autopilot over a moving clock (as in test_autopilot.py), so
their content is the real one: a business with two invoices (two KIDs, the § 3a
compensation) and a consumer with one, from the friendly reminder to the payment demand,
which crosses 1 January 2026 (a new rate and a new inkassosats).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from debt_collection.autopilot import run_day
from debt_collection.letters import render
from debt_collection.letters.render import (
    LetterIncomplete,
    LetterTampered,
    document_pdf,
    letter_html,
)
from debt_collection.models import CollectionSettings, Document, DocumentStatus
from debt_collection.rules import NEW_ACT_CATALOGUE, ContentElement, StepCode, format_date
from debt_collection.rules.catalogue import PAYMENT_DEMAND
from debt_collection.rules.content import content_label
from ledger.templatetags.ledger_format import format_amount
from tests.debt_collection.conftest import invoice
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

DUE = date(2025, 11, 20)
STEPS = ["friendly_reminder", "reminder", "collection_notice", "payment_demand"]
LOGO_SIZE = (300, 90)
OPENAPI_JSON = "application/vnd.oai.openapi+json"


# --- helpers ---------------------------------------------------------------------------------


def png(size=LOGO_SIZE, colour=(47, 72, 88)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text on one line per page run: non-breaking spaces and line breaks read as
    plain spaces, so a phrase matches wherever the layout wrapped it."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def kr(value: str | Decimal) -> str:
    return f"{format_amount(value, thousands=' ')} kr"


def rate(value: str) -> str:
    return f"{value.replace('.', ',')} %"


def dmy(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


def long_date(iso: str) -> str:
    return format_date(date.fromisoformat(iso), lang="nb")


def run_clock(start: date, end: date) -> None:
    day = start
    while day <= end:
        with time_machine.travel(day):
            run_day(on=day)
        day += timedelta(days=1)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def branded(collections, media):
    """Alice's settings with a telephone number and a logo."""
    row = CollectionSettings.objects.get()
    row.sender_phone = "22 33 44 55"
    row.logo.save("alice.png", ContentFile(png()), save=False)
    row.save()
    return row


@pytest.fixture
def letters(branded) -> dict[tuple[str, str], Document]:
    """(debtor, step) -> the letter the autopilot made, for both debtors and all four steps."""
    business = CustomerFactory(
        name="Bergen Bygg AS",
        customer_type="business",
        organization_number="974760673",
        address_line1="Bryggen 2",
        post_code="5003",
        city="Bergen",
    )
    consumer = CustomerFactory(
        name="Kari Nordmann",
        customer_type="person",
        address_line1="Storgata 5",
        address_line2="H0201",
        post_code="0155",
        city="Oslo",
    )
    invoice(customer=business, due=DUE, amount="10000.00", kid="1234567890")
    invoice(customer=business, due=DUE, amount="2500.00", kid="9876543210")
    invoice(customer=consumer, due=DUE, amount="4000.00", kid="5550001112")
    run_clock(DUE, date(2026, 1, 10))
    made = {
        (doc.case.customer.name, doc.step): doc
        for doc in Document.objects.select_related("case__customer")
    }
    assert set(made) == {(name, step) for name in (business.name, consumer.name) for step in STEPS}
    return made


# --- what each letter shows ----------------------------------------------------------------


def assert_shows_the_content(text: str, document: Document) -> None:
    """Everything issue #12 asks every letter to show, taken from the stored content."""
    content = document.content
    creditor, debtor, amounts = content["creditor"], content["debtor"], content["amounts"]
    for expected in (
        creditor["name"],
        creditor["address"],
        f"{creditor['post_code']} {creditor['city']}",
        "Org.nr. 923 609 016",
        f"E-post: {creditor['email']}",
        "Telefon: 22 33 44 55",
        debtor["name"],
        debtor["address_line1"],
        f"{debtor['post_code']} {debtor['city']}",
        f"Saksnummer S-{content['case_number']}",
        f"Dato {long_date(content['date'])}",
        f"Betalingsfrist {long_date(content['deadline'])}",
        f"Betales innen {long_date(content['deadline'])}",
        f"Hovedstol {kr(amounts['principal'])}",
        f"Å betale {kr(amounts['total'])}",
        f"Beløp {kr(amounts['total'])}",
        f"Forsinkelsesrente til og med {dmy(content['date'])} {kr(amounts['interest'])}",
        "Til konto 1503 00 12345",
        "Spørsmål om saken? Kontakt Alice Rørlegger AS, e-post post@alice.example, "
        f"telefon 22 33 44 55, og oppgi saksnummer S-{content['case_number']}",
    ):
        assert expected in text, expected
    if debtor["is_business"]:
        assert f"Deres org.nr. {debtor['organization_number'][:3]} " in text
    if Decimal(amounts["earlier_charges"]):
        assert f"tidligere brev {kr(amounts['earlier_charges'])}" in text
    if Decimal(amounts["compensation"]):
        assert f"(forsinkelsesrenteloven § 3a) {kr(amounts['compensation'])}" in text
    # Each invoice with its due date and KID; each rate period's calculation.
    for item in content["items"]:
        assert (
            f"Faktura {item['invoice_no']} {dmy(item['due_date'])} {item['kid']} "
            f"{kr(item['outstanding'])}"
        ) in text
        for period in item["interest_periods"]:
            line = (
                f"{item['invoice_no']} {dmy(period['from'])} {dmy(period['to'])} "
                f"{period['days']} {rate(period['rate'])} "
                f"{format_amount(item['outstanding'], thousands=' ')} × {rate(period['rate'])} "
                f"× {period['days']} ÷ {period['divisor']} {kr(period['amount'])}"
            )
            assert line in text, line
    first = content["items"][0]["interest_periods"][0]
    assert f"første gang {long_date(first['from'])}" in text
    assert f"{rate(first['rate'])} fra {long_date(first['from'])}" in text
    # One KID for the whole payment, or the one of each invoice.
    kids = content["payment"]["kids"]
    if content["payment"]["kid"]:
        assert f"KID {content['payment']['kid']}" in text
    else:
        assert len(set(kids)) > 1
        assert "Bruk KID-nummeret til hver faktura" in text
    # The right to object, on every letter.
    assert "stanser vi saken" in text


def test_every_letter_shows_parties_amounts_interest_deadline_account_and_kid(letters):
    for (debtor, step), document in letters.items():
        text = pdf_text(document_pdf(document=document))
        try:
            assert_shows_the_content(text, document)
        except AssertionError as error:
            raise AssertionError(f"{step} to {debtor}: {error}") from error


def test_the_figures_are_the_ones_the_law_gives(letters):
    """Independent of the stored content: the fees of 2025 and 2026, the § 3a compensation,
    and the interest on 10,000 kr at 12.25 % for 15 days (10 000 × 0.1225 × 15 / 365)."""
    reminder = pdf_text(document_pdf(document=letters["Bergen Bygg AS", "reminder"]))
    assert "Purregebyr (inkassoforskriften § 1-2) 35,00 kr" in reminder
    assert "(forsinkelsesrenteloven § 3a) 460,00 kr" in reminder
    assert "10 000,00 × 12,25 % × 15 ÷ 365 50,34 kr" in reminder
    consumer_reminder = pdf_text(document_pdf(document=letters["Kari Nordmann", "reminder"]))
    assert "§ 3a" not in consumer_reminder  # no compensation from a consumer
    assert "KID 5550001112" in consumer_reminder
    assert "H0201" in consumer_reminder

    document = letters["Bergen Bygg AS", "payment_demand"]
    demand = pdf_text(document_pdf(document=document))
    number = document.content["items"][0]["invoice_no"]
    assert "Gebyr for betalingsoppfordring (inkassoforskriften § 1-2) 113,00 kr" in demand
    # Interest split at 1 January 2026: 12.25 % to 31 December, 12.00 % after.
    assert f"{number} 21.11.2025 31.12.2025 41 12,25 %" in demand
    assert f"{number} 01.01.2026 04.01.2026 4 12,00 %" in demand
    assert "12,25 % fra 21. november 2025, 12,00 % fra 1. januar 2026" in demand


def test_each_letter_type_says_what_comes_next_in_its_own_words(letters):
    text = {step: pdf_text(document_pdf(document=letters["Kari Nordmann", step])) for step in STEPS}

    friendly = text["friendly_reminder"]
    assert friendly.startswith("Betalingspåminnelse") or "Betalingspåminnelse" in friendly
    assert "vennlig påminnelse" in friendly
    assert "Påminnelsen er uten gebyr" in friendly
    assert "Gebyr" not in friendly and " 0,00 kr" not in friendly, friendly  # no fee line
    assert "sender vi en purring" in friendly

    reminder = text["reminder"]
    assert "Purring" in reminder
    assert "sender vi et inkassovarsel etter inkassoloven § 9" in reminder
    assert "inkassoforskriften §§ 1-2 og 1-3" in reminder

    notice = text["collection_notice"]
    assert notice.startswith("Inkassovarsel") or "Inkassovarsel " in notice
    assert "inkassovarsel etter inkassoloven § 9" in notice
    assert "vil vi sette i gang inkasso" in notice
    assert "betalingsoppfordring etter inkassoloven § 10, med et nytt gebyr" in notice
    assert "Kostnadene ved inndrivingen kan da øke" in notice
    assert "mottatt betalingsoppdraget senest på fristdagen" in notice

    demand = text["payment_demand"]
    deadline = long_date(letters["Kari Nordmann", "payment_demand"].content["deadline"])
    assert "Betalingsoppfordring" in demand
    assert "betalingsoppfordring etter inkassoloven § 10" in demand
    assert f"betale kravet eller komme med innsigelser mot det innen {deadline}" in demand
    assert "flere kostnader for deg og til at kravet blir drevet inn ved rettslige skritt" in demand
    # The tvangsfullbyrdelsesloven § 4-18 notice: utlegg after 14 days from receipt, and the
    # right to object.
    assert "Varsel etter tvangsfullbyrdelsesloven § 4-18" in demand
    assert (
        "kan begjære utlegg hos namsmannen hvis kravet ikke er betalt innen 14 dager etter at "
        "du mottok dette brevet"
    ) in demand
    assert "tvangsfullbyrdelsesloven § 7-2 bokstav f" in demand
    assert "Du har rett til å komme med innsigelser mot kravet" in demand
    assert "Grunnlaget for kravet er faktura" in demand


# --- rendered once, the same bytes after -----------------------------------------------------


@pytest.fixture
def reminder(branded) -> Document:
    """A friendly reminder to a business, made by the autopilot a week after the due date."""
    customer = CustomerFactory(
        name="Voss Varme AS",
        customer_type="business",
        organization_number="974760673",
        address_line1="Vangsgata 10",
        post_code="5700",
        city="Voss",
    )
    invoice(customer=customer, due=DUE, amount="10000.00")
    run_clock(DUE + timedelta(days=7), DUE + timedelta(days=7))
    return Document.objects.get(step="friendly_reminder")


def test_a_letter_is_rendered_once_and_stored_with_its_hash(reminder, media, monkeypatch):
    first = document_pdf(document=reminder)

    stored = Document.objects.get(pk=reminder.pk)
    assert first.startswith(b"%PDF-")
    assert stored.pdf_sha256 == hashlib.sha256(first).hexdigest()
    assert stored.pdf.name.startswith(f"letters/{stored.organization_id}/S")
    assert (media / stored.pdf.name).read_bytes() == first

    def no_second_render(**kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(render, "html_to_pdf", no_second_render)
    assert document_pdf(document=stored) == first
    assert document_pdf(document=Document.objects.get(pk=reminder.pk)) == first
    # Even a stale instance that does not know the PDF exists gets the stored bytes.
    reminder.pdf_sha256, reminder.pdf = "", ""
    assert document_pdf(document=reminder) == first


def test_a_stored_pdf_that_changed_is_refused(reminder, media):
    document_pdf(document=reminder)
    stored = Document.objects.get(pk=reminder.pk)
    (media / stored.pdf.name).write_bytes(b"%PDF-1.7 something else")

    with pytest.raises(LetterTampered):
        document_pdf(document=stored)


def test_a_proposal_is_rendered_for_a_look_but_not_kept(reminder):
    Document.objects.filter(pk=reminder.pk).update(status=DocumentStatus.PROPOSED)
    proposal = Document.objects.get(pk=reminder.pk)

    assert document_pdf(document=proposal).startswith(b"%PDF-")
    assert Document.objects.get(pk=reminder.pk).pdf_sha256 == ""


def test_the_logo_appears_on_the_letter(reminder):
    page = PdfReader(io.BytesIO(document_pdf(document=reminder))).pages[0]

    assert [image.image.size for image in page.images] == [LOGO_SIZE]


def test_without_a_logo_the_letter_has_no_image(reminder):
    CollectionSettings.objects.update(logo="")
    page = PdfReader(io.BytesIO(document_pdf(document=reminder))).pages[0]

    assert list(page.images) == []
    assert "Alice Rørlegger AS" in pdf_text(document_pdf(document=reminder))


def test_the_address_sits_in_the_left_window_of_a_c5_envelope(reminder):
    """About 20 mm from the left; the return address from 45 mm, the recipient by 50 mm."""
    page = PdfReader(io.BytesIO(document_pdf(document=reminder))).pages[0]
    height = float(page.mediabox.height)
    lines: dict[str, tuple[float, float, float]] = {}

    def visit(text, cm, tm, font, size):
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        em = size * abs(cm[3] * tm[3]) / 72 * 25.4
        lines.setdefault(text.strip(), (x / 72 * 25.4, (height - y) / 72 * 25.4, em))

    page.extract_text(visitor_text=visit)
    debtor = reminder.content["debtor"]
    name = lines[debtor["name"]]
    postal = lines[f"{debtor['post_code']} {debtor['city']}"]
    back = next(pos for text, pos in lines.items() if text.startswith("Alice Rørlegger AS, "))
    for left, _baseline, _em in (name, postal, back):
        assert 19 <= left <= 21
    # The return address's line starts at the window's top edge (45 mm, give or take),
    # the recipient's first line (its baseline less one em) by 50 mm, the postal line well
    # inside a window of about 40 mm.
    assert 44 <= back[1] - back[2] < name[1] - name[2] <= 50
    assert postal[1] <= 80


# --- what the letter must show, by type ------------------------------------------------------


def test_a_letter_missing_a_required_element_is_refused():
    with pytest.raises(LetterIncomplete) as refused:
        render._check_required_content(
            html='<p data-element="amount"></p><p data-element="payment_deadline"></p>',
            step=PAYMENT_DEMAND,
        )

    message = str(refused.value)
    assert content_label(ContentElement.ENFORCEMENT_WARNING, lang="nb") in message
    assert content_label(ContentElement.PAY_OR_OBJECT, lang="nb") in message
    assert content_label(ContentElement.AMOUNT, lang="nb") not in message


def test_a_letter_whose_sums_disagree_is_refused(reminder):
    content = dict(reminder.content)
    content["amounts"] = {**content["amounts"], "total": "1.00"}
    Document.objects.filter(pk=reminder.pk).update(content=content)

    with pytest.raises(LetterIncomplete):
        document_pdf(document=Document.objects.get(pk=reminder.pk))
    assert Document.objects.get(pk=reminder.pk).pdf_sha256 == ""


# The restnota and rentenota list the payments they answer, which a reminder's content does
# not have: test_note_letters.py lays them out from a note's own content.
NOTES = frozenset({StepCode.REMAINDER_NOTE, StepCode.INTEREST_NOTE})


@pytest.mark.parametrize("step", sorted(render.LETTER_STEPS - NOTES))
def test_every_step_template_carries_what_its_letter_type_requires(reminder, step, monkeypatch):
    """A real letter's content laid out as each step's letter (the final notices and the new
    Act's kravbrev are not reached by the default sequence)."""
    if step == StepCode.DEMAND_LETTER:
        monkeypatch.setattr(render, "catalogue_for", lambda **kwargs: NEW_ACT_CATALOGUE)
    source = reminder
    document = Document(
        organization_id=source.organization_id,
        case=source.case,
        step=step.value,
        status=DocumentStatus.PROPOSED,
        planned_for=source.planned_for,
        deadline=source.deadline,
        content={**source.content, "step": step.value},
    )

    html = letter_html(document=document, logo=None)  # raises if an element is missing
    text = pdf_text(document_pdf(document=document))

    assert 'lang="nb"' in html
    assert f"Å betale {kr(source.content['amounts']['total'])}" in text


# --- downloads ---------------------------------------------------------------------------------


def api_url(document: Document, org_slug: str = "alice-ror") -> str:
    return reverse(
        "collections-api:document-pdf", kwargs={"org_slug": org_slug, "document_id": document.pk}
    )


def page_url(document: Document, org_slug: str = "alice-ror") -> str:
    return reverse(
        "collections:document-pdf",
        kwargs={"org_slug": org_slug, "case_id": document.case_id, "document_id": document.pk},
    )


def test_the_api_gives_the_same_pdf_every_time(api_client_for, bob, reminder):
    client = api_client_for(bob)

    first = client.get(api_url(reminder))
    second = client.get(api_url(reminder), HTTP_ACCEPT="application/pdf")

    assert first.status_code == 200 and second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first.content == second.content and first.content.startswith(b"%PDF-")
    sha = hashlib.sha256(first.content).hexdigest()
    assert first["ETag"] == f'"{sha}"'
    assert first["Content-Disposition"].startswith('attachment; filename="S')
    assert Document.objects.get(pk=reminder.pk).pdf_sha256 == sha


def test_the_api_answers_another_organisations_document_with_404(api_client_for, charlie, reminder):
    client = api_client_for(charlie)

    for path in (api_url(reminder), api_url(reminder, org_slug="charlie-bygg")):
        response = client.get(path, HTTP_ACCEPT="application/pdf")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"]["code"] == "not_found"
    assert Document.objects.get(pk=reminder.pk).pdf_sha256 == ""  # nothing was rendered


def test_the_schema_describes_the_pdf_as_binary(client_for, alice):
    response = client_for(alice).get(reverse("api-schema"), HTTP_ACCEPT=OPENAPI_JSON)

    operation = json.loads(response.content)["paths"][
        "/api/v1/orgs/{org_slug}/documents/{document_id}/pdf/"
    ]["get"]
    assert operation["operationId"] == "documents_pdf"
    assert operation["responses"]["200"]["content"] == {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
    }
    assert "application/json" in operation["responses"]["404"]["content"]


def test_the_case_page_download_is_the_same_pdf(client_for, api_client_for, bob, reminder):
    page = client_for(bob).get(page_url(reminder))
    api = api_client_for(bob).get(api_url(reminder))

    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert page.content == api.content


def test_the_page_download_is_404_for_charlie_and_for_a_document_of_another_case(
    client_for, alice, charlie, reminder
):
    assert client_for(charlie).get(page_url(reminder)).status_code == 404
    other_case = reverse(
        "collections:document-pdf",
        kwargs={"org_slug": "alice-ror", "case_id": reminder.case_id + 1000, "document_id": 1},
    )
    assert client_for(alice).get(other_case).status_code == 404


def test_anonymous_visitors_get_no_pdf(client, reminder):
    from rest_framework.test import APIClient

    assert APIClient().get(api_url(reminder)).status_code in (401, 403)
    page = client.get(page_url(reminder))
    assert page.status_code == 302 and "/logg-inn/" in page["Location"]
    assert Document.objects.get(pk=reminder.pk).pdf_sha256 == ""


def test_a_letter_that_cannot_be_made_is_409_in_the_api_and_a_message_on_the_page(
    api_client_for, client_for, bob, reminder, media
):
    document_pdf(document=reminder)
    stored = Document.objects.get(pk=reminder.pk)
    (media / stored.pdf.name).write_bytes(b"%PDF-1.7 changed")

    response = api_client_for(bob).get(api_url(reminder), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "letter_unavailable"

    page = client_for(bob).get(page_url(reminder), follow=True)
    assert page.redirect_chain[-1][0].endswith(f"/dokumenter/{reminder.pk}/")
    assert "Brevet kan ikke lages som PDF" in page.content.decode()
