"""A signed pre-suit notice reaches the debtor through the letter dispatch: the ledger is read
again from the sandbox's Business NXT, then a real SMTP server gets the signed PDF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from debt_collection.legal.models import LegalSignature, LegalStatus
from debt_collection.legal.services import legal_draft_create
from debt_collection.models import Channels, DeliveryStatus, DocumentStatus
from debt_collection.rules import StepCode
from debt_collection.services.objections import objection_register
from debt_collection.tasks import document_dispatch_task
from kredin.clock import today_in_norway
from kredin.models import Membership
from tests.conftest import PASSWORD
from tests.debt_collection.dispatching import collection_settings, letter_waiting, smtp_server
from tests.debt_collection.legal_helpers import pdf_text, stored

pytestmark = pytest.mark.django_db

DEBTOR = "regnskap@bergenbygg.example"


@pytest.fixture
def smtp(settings):
    settings.BRREG_API_URL = "http://127.0.0.1:9/enhetsregisteret/api"
    controller, log = smtp_server(settings)
    yield log
    controller.stop()


def test_the_signed_pre_suit_notice_is_e_mailed_with_the_signed_pdf(
    sandbox_integration, alice, client_for, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    queued: list[tuple] = []
    monkeypatch.setattr(document_dispatch_task, "delay", lambda *args: queued.append(args))
    organization = sandbox_integration.integration.organization
    collection_settings(organization=organization, channels=Channels.EMAIL)
    sandbox_integration.sync()
    membership = Membership.objects.get(user=alice, organization=organization)
    first = letter_waiting(
        membership=membership, company_no=sandbox_integration.company_no, debtor_email=DEBTOR
    )
    case, today = first.document.case, today_in_norway()
    objection_register(
        membership=membership,
        on=today,
        raised_on=today,
        received_via="email",
        text="Vi har reklamert på leveransen.",
        case=case,
    )
    document = legal_draft_create(
        case=case,
        step=StepCode.PRE_SUIT_NOTICE,
        membership=membership,
        details={"deadline": (today + timedelta(days=21)).isoformat()},
        on=today,
    )
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed = client_for(alice).post(
            reverse(
                "collections:legal-sign",
                kwargs={"org_slug": organization.slug, "document_id": document.pk},
            ),
            {"password": PASSWORD},
        )
    document.refresh_from_db()
    letter = document.letter

    assert signed.status_code == 302 and document.status == LegalStatus.SENT
    assert queued == [(organization.pk, letter.pk)]
    assert document_dispatch_task(organization.pk, letter.pk) == [DeliveryStatus.SENT]

    letter.refresh_from_db()
    assert letter.status == DocumentStatus.SENT
    (message,) = smtp.to(DEBTOR)
    assert "Prosessvarsel" in message["Subject"]
    (attachment,) = list(message.iter_attachments())
    pdf = attachment.get_content()
    assert pdf == stored(LegalSignature.objects.get().pdf)  # the signed bytes, as signed
    text = pdf_text(pdf)
    assert "Signert elektronisk i Kredin av alice" in text
    assert "Vi har reklamert på leveransen." in text
