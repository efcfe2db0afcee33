"""Legal steps: the signers told once the § 4-18 deadline has passed, and the drafts (the
request for enforcement with its claim split and identifiers; the pre-suit notice for a
disputed claim)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from debt_collection.legal.models import LegalDocument, LegalStatus
from debt_collection.legal.services import LegalError, legal_draft_create
from debt_collection.models import CaseState
from debt_collection.rules import StepCode
from kredin.models import Membership, Notification, NotificationKind
from tests.debt_collection.legal_helpers import (
    COURT_FEE_2025,
    DUE,
    FEES,
    INTEREST_PER_DAY,
    NATIONAL_ID,
    PRINCIPAL,
    pdf_text,
    run_on,
    stored,
    walk_to_legal,
    walk_to_notice,
)
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _membership(user, organization) -> Membership:
    return Membership.objects.get(user=user, organization=organization)


def _person():
    return CustomerFactory(
        name="Per Hansen",
        customer_type="person",
        address_line1="Speilveien 9",
        post_code="9999",
        city="Speilby",
    )


def _money(value: Decimal) -> str:
    """1589.00 -> '1 589,00', as the PDF prints it."""
    whole, cents = f"{value:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{' '.join(groups)},{cents}"


def test_signers_are_told_after_the_notice_deadline_and_not_the_day_before(
    collections, alice, bob, dave
):
    case, notice = walk_to_notice(_person())

    run_on(notice.deadline)  # the § 4-18 notice's 14 days are not over
    case.refresh_from_db()
    assert case.state == CaseState.ACTIVE
    assert not Notification.objects.filter(kind=NotificationKind.LEGAL_STEP_POSSIBLE).exists()

    run_on(notice.deadline + timedelta(days=1))
    run_on(notice.deadline + timedelta(days=2))

    case.refresh_from_db()
    assert case.state == CaseState.LEGAL
    told = Notification.objects.filter(kind=NotificationKind.LEGAL_STEP_POSSIBLE)
    # Only the owner may sign here: bob (member) and dave (admin) have no "may sign".
    assert [n.user for n in told] == [alice]
    (note,) = told
    assert note.params == {
        "case": case.number,
        "debtor": "Per Hansen",
        "step": "enforcement_request",
        "step_label": "Begjæring om utlegg",
    }
    assert note.key == f"legal:{case.pk}:enforcement_request"
    assert note.url == reverse(
        "collections:case-detail", kwargs={"org_slug": collections.slug, "case_id": case.pk}
    )


def test_the_request_for_a_person_carries_the_claim_split_and_the_entered_identity(
    collections, alice, client_for
):
    case, notice, day = walk_to_legal(_person())
    url = reverse(
        "collections:legal-draft-create",
        kwargs={"org_slug": collections.slug, "case_id": case.pk},
    )
    client = client_for(alice)
    form = {
        "conciliation_if_objected": "yes",
        "national_id": "150385 10190",
        "address_line1": "Storgata 5",
        "post_code": "0155",
        "city": "Oslo",
    }

    with time_machine.travel(day):
        case_page = client.get(
            reverse(
                "collections:case-detail",
                kwargs={"org_slug": collections.slug, "case_id": case.pk},
            )
        )
        page = client.get(url)
        missing_choice = client.post(
            url, {k: v for k, v in form.items() if k != "conciliation_if_objected"}
        )
        wrong_number = client.post(url, {**form, "national_id": "15038510191"})
        made = client.post(url, form)

    assert "Rettslige skritt" in case_page.content.decode()
    assert "?step=enforcement_request" in case_page.content.decode()
    assert page.status_code == 200 and "fødselsnummer" in page.content.decode()
    assert "Speilveien" not in page.content.decode()  # the mirror's address is not offered
    assert missing_choice.status_code == 400 and wrong_number.status_code == 400
    document = LegalDocument.objects.get(case=case)
    assert made.status_code == 302 and made["Location"].endswith(f"/rettslig/{document.pk}/")
    assert document.status == LegalStatus.AWAITING_SIGNATURE
    awaited = Notification.objects.get(kind=NotificationKind.SIGNATURE_AWAITED)
    assert awaited.user == alice and awaited.params["document"] == "Begjæring om utlegg"
    # By hand: 60 days of interest at 2.50 kr; reminder 35 + inkassovarsel 35 + demand 105;
    # the court fee 1.21 R with R = 1 314 kr in 2025.
    days = (day - DUE).days
    interest = INTEREST_PER_DAY * days
    total = PRINCIPAL + interest + FEES + COURT_FEE_2025
    shown = ("principal", "interest", "fees", "costs", "court_fee", "total")
    assert {key: document.content["amounts"][key] for key in shown} == {
        "principal": "7300.00",
        "interest": f"{interest:.2f}",
        "fees": "175.00",
        "costs": "1589.00",
        "court_fee": "1589.00",
        "total": f"{total:.2f}",
    }
    text = pdf_text(stored(document.pdf))
    assert "Begjæring om utlegg" in text
    for figure in (PRINCIPAL, interest, FEES, COURT_FEE_2025, total):
        assert _money(figure) in text, figure
    assert "150385 10190" in text and "Fødselsnummer" in text
    assert "Storgata 5" in text and "0155 Oslo" in text
    assert "Speilveien" not in text
    assert "Ikke signert" in text
    assert notice.planned_for.strftime("%-d.") in text  # the § 4-18 notice and its date
    assert "forliksrådet" in text
    assert document.content["debtor"]["national_id"] == NATIONAL_ID
    titles = [a["title"] for a in document.content["attachments"]]
    assert (
        len(titles) == 2 and "Kopi av faktura" in titles[0] and "Betalingsoppfordring" in titles[1]
    )


def test_the_request_for_a_business_carries_its_organisation_number(collections, alice):
    customer = CustomerFactory(
        name="Bergen Bygg AS",
        customer_type="business",
        organization_number="NO 985 399 077 MVA",
        address_line1="Bryggen 1",
        post_code="5003",
        city="Bergen",
    )
    case, _notice, day = walk_to_legal(customer)

    with time_machine.travel(day):
        document = legal_draft_create(
            case=case,
            step=StepCode.ENFORCEMENT_REQUEST,
            membership=_membership(alice, collections),
            details={"conciliation_if_objected": False},
            on=day,
        )

    text = pdf_text(stored(document.pdf))
    assert "Org.nr." in text and "985 399 077" in text
    assert "Bryggen 1" in text and "5003 Bergen" in text
    assert "Fødselsnummer" not in text
    # A business also owes the § 3a compensation (470 kr in the first half of 2025).
    assert document.content["amounts"]["fees"] == str(FEES + Decimal("470.00"))


def test_an_objected_case_offers_the_pre_suit_notice_not_the_enforcement_request(
    collections, alice, client_for
):
    from debt_collection.services.objections import objection_register

    case, _notice, day = walk_to_legal(_person())
    membership = _membership(alice, collections)
    with time_machine.travel(day):
        objection_register(
            membership=membership,
            on=day,
            raised_on=day,
            received_via="email",
            text="Arbeidet ble aldri fullført.",
            case=case,
        )
        page = client_for(alice).get(
            reverse(
                "collections:case-detail", kwargs={"org_slug": collections.slug, "case_id": case.pk}
            )
        )
        with pytest.raises(LegalError, match="bestridt"):
            legal_draft_create(
                case=case,
                step=StepCode.ENFORCEMENT_REQUEST,
                membership=membership,
                details={"conciliation_if_objected": True, "national_id": NATIONAL_ID},
                on=day,
            )
        notice = legal_draft_create(
            case=case,
            step=StepCode.PRE_SUIT_NOTICE,
            membership=membership,
            details={"deadline": (day + timedelta(days=14)).isoformat(), "note": ""},
            on=day,
        )

    body = page.content.decode()
    assert "Rettslige skritt" in body and "Prosessvarsel" in body
    assert "step=pre_suit_notice" in body and "step=enforcement_request" not in body
    text = pdf_text(stored(notice.pdf))
    assert "Prosessvarsel" in text and "Arbeidet ble aldri fullført." in text
    assert "forliksklage" in text and "Ikke signert" in text
    assert not LegalDocument.objects.filter(step="enforcement_request").exists()


def test_a_business_on_the_bankruptcy_route_gets_the_bankruptcy_notice(collections, alice):
    from debt_collection.models import CollectionSettings

    CollectionSettings.objects.update(business_route="bankruptcy")
    customer = CustomerFactory(
        name="Bergen Bygg AS", customer_type="business", organization_number="985399077"
    )
    case, _notice, day = walk_to_legal(customer)
    membership = _membership(alice, collections)

    with time_machine.travel(day):
        with pytest.raises(LegalError):
            legal_draft_create(
                case=case,
                step=StepCode.ENFORCEMENT_REQUEST,
                membership=membership,
                details={"conciliation_if_objected": True},
                on=day,
            )
        document = legal_draft_create(
            case=case, step=StepCode.BANKRUPTCY_NOTICE, membership=membership, details={}, on=day
        )

    text = pdf_text(stored(document.pdf))
    assert "Konkursvarsel" in text and "konkursloven § 63" in text
    assert "to uker etter at dette påkravet er forkynt" in text
    assert "985 399 077" in text and "Ikke signert" in text
    # The service of the notice costs 0.4 R: 1 314 × 0.4 = 525.60, rounded down.
    assert document.content["amounts"]["court_fee"] == "525.00"


def test_the_complaint_follows_an_unanswered_pre_suit_notice(
    collections, alice, client_for, monkeypatch
):
    from debt_collection.services.objections import objection_register
    from debt_collection.tasks import document_dispatch_task
    from tests.conftest import PASSWORD

    monkeypatch.setattr(document_dispatch_task, "delay", lambda *args: None)
    case, _notice, day = walk_to_legal(_person())
    membership = _membership(alice, collections)
    deadline = day + timedelta(days=14)
    with time_machine.travel(day):
        objection_register(
            membership=membership,
            on=day,
            raised_on=day,
            received_via="letter",
            text="Jeg har aldri bestilt arbeidet.",
            case=case,
        )
        pre_suit = legal_draft_create(
            case=case,
            step=StepCode.PRE_SUIT_NOTICE,
            membership=membership,
            details={"deadline": deadline.isoformat()},
            on=day,
        )
        client_for(alice).post(
            reverse(
                "collections:legal-sign",
                kwargs={"org_slug": collections.slug, "document_id": pre_suit.pk},
            ),
            {"password": PASSWORD},
        )
    details = {
        "board": "Oslo",
        "statement": "Arbeidet ble bestilt skriftlig 2. januar og utført.",
        "address_line1": "Storgata 5",
        "post_code": "0155",
        "city": "Oslo",
    }

    # The pre-suit notice's deadline still runs on its last day.
    with time_machine.travel(deadline), pytest.raises(LegalError):
        legal_draft_create(
            case=case,
            step=StepCode.CONCILIATION_COMPLAINT,
            membership=membership,
            details=details,
            on=deadline,
        )
    after = deadline + timedelta(days=1)
    with time_machine.travel(after):
        complaint = legal_draft_create(
            case=case,
            step=StepCode.CONCILIATION_COMPLAINT,
            membership=membership,
            details=details,
            on=after,
        )

    text = pdf_text(stored(complaint.pdf))
    assert "Forliksklage" in text and "Til Oslo forliksråd" in text
    assert "Jeg har aldri bestilt arbeidet." in text and details["statement"] in text
    assert "Påstand" in text and "Prosessvarsel etter tvisteloven § 5-2 ble sendt" in text
    kinds = [a.kind for a in complaint.attachments.order_by("position")]
    assert kinds == ["invoice_copy", "pre_suit_notice"]
