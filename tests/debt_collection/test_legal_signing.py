"""Signing legal documents: who may, what is checked, what is recorded, what voids it, and
the package for filing. Nothing legal is sent or packaged unsigned."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from debt_collection.legal.models import LegalDocument, LegalSignature, LegalStatus, VoidReason
from debt_collection.legal.services import legal_draft_create
from debt_collection.models import Document, DocumentStatus, TimelineEvent
from debt_collection.rules import StepCode
from kredin.models import AuditEvent, Membership
from tests.conftest import PASSWORD
from tests.debt_collection.legal_helpers import NATIONAL_ID, pdf_text, stored, walk_to_legal
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

DETAILS = {
    "conciliation_if_objected": True,
    "national_id": NATIONAL_ID,
    "address_line1": "Storgata 5",
    "post_code": "0155",
    "city": "Oslo",
}


@pytest.fixture
def drafted(collections, alice):
    """A request for enforcement awaiting signature, and the day it was drafted."""
    customer = CustomerFactory(name="Per Hansen", customer_type="person")
    case, _notice, day = walk_to_legal(customer)
    with time_machine.travel(day):
        document = legal_draft_create(
            case=case,
            step=StepCode.ENFORCEMENT_REQUEST,
            membership=Membership.objects.get(user=alice),
            details=DETAILS,
            on=day,
        )
    return document, day


def _url(name: str, slug: str, document: LegalDocument) -> str:
    return reverse(name, kwargs={"org_slug": slug, "document_id": document.pk})


def _api(name: str, slug: str, document: LegalDocument) -> str:
    return reverse(f"collections-api:{name}", kwargs={"org_slug": slug, "document_id": document.pk})


def _sign(client, slug, document, **data):
    return client.post(_url("collections:legal-sign", slug, document), data)


def test_a_wrong_password_is_refused_and_wrong_attempts_are_throttled(
    drafted, collections, alice, client_for
):
    document, day = drafted
    client = client_for(alice)

    with time_machine.travel(day):
        wrong = _sign(client, collections.slug, document, password="not-my-password")
        for _attempt in range(4):
            _sign(client, collections.slug, document, password="still-wrong")
        throttled = _sign(client, collections.slug, document, password=PASSWORD)

    assert wrong.status_code == 400 and "Feil passord" in wrong.content.decode()
    assert throttled.status_code == 429 and "For mange feil forsøk" in throttled.content.decode()
    assert not LegalSignature.objects.exists()
    document.refresh_from_db()
    assert document.status == LegalStatus.AWAITING_SIGNATURE
    refused = AuditEvent.objects.filter(action="collections.legal_sign_refused")
    assert refused.count() == 5
    assert all("password" not in str(event.details) for event in refused)


def test_a_wrong_one_time_code_is_refused_when_the_signer_has_an_authenticator(
    drafted, collections, alice, client_for
):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    document, day = drafted
    device = TOTPDevice.objects.create(user=alice, name="telefon", confirmed=True)
    client = client_for(alice)

    with time_machine.travel(day) as traveller:
        page = client.get(_url("collections:legal-document", collections.slug, document))
        no_code = _sign(client, collections.slug, document, password=PASSWORD)
        wrong_code = _sign(
            client, collections.slug, document, password=PASSWORD, otp_token="000000"
        )
        traveller.shift(timedelta(seconds=5))  # past the device's own pause after a failure
        device.refresh_from_db()
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        signed = _sign(
            client, collections.slug, document, password=PASSWORD, otp_token=f"{code:06d}"
        )

    assert 'name="otp_token"' in page.content.decode()
    assert no_code.status_code == 400 and "engangskoden" in no_code.content.decode()
    assert wrong_code.status_code == 400 and "Feil engangskode" in wrong_code.content.decode()
    assert signed.status_code == 302
    assert LegalSignature.objects.get().second_factor is True


def test_signing_records_the_hash_of_the_stored_pdf_and_the_signer(
    drafted, collections, alice, client_for
):
    document, day = drafted
    client = client_for(alice)

    with time_machine.travel(day):
        response = _sign(client, collections.slug, document, password=PASSWORD)
        signed_pdf = client.get(
            _url("collections:legal-pdf", collections.slug, document) + "?signed=1"
        )

    assert response.status_code == 302
    signature = LegalSignature.objects.get()
    data = stored(signature.pdf)
    assert signature.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert signed_pdf.status_code == 200 and signed_pdf.content == data
    assert (signature.signer, signature.signer_email, signature.version) == (alice, alice.email, 1)
    assert signature.ip_address == "127.0.0.1" and signature.second_factor is False
    text = pdf_text(data)
    assert "Signert elektronisk i Kredin av alice" in text and alice.email in text
    assert "Ikke signert" not in text
    assert "Ikke signert" in pdf_text(stored(document.pdf))  # the draft stays as it was
    document.refresh_from_db()
    assert document.status == LegalStatus.SIGNED
    assert TimelineEvent.objects.filter(case=document.case, kind="legal_signed").exists()
    audit = AuditEvent.objects.get(action="collections.legal_signed")
    assert audit.details["pdf_sha256"] == signature.pdf_sha256 and audit.actor == alice


def test_editing_the_details_after_signing_voids_the_signature(
    drafted, collections, alice, client_for
):
    document, day = drafted
    client = client_for(alice)
    edit = _url("collections:legal-document-edit", collections.slug, document)

    with time_machine.travel(day):
        _sign(client, collections.slug, document, password=PASSWORD)
        form = client.get(edit)
        changed = client.post(edit, {**DETAILS, "conciliation_if_objected": "no"})
        package = client.get(_url("collections:legal-package", collections.slug, document))

    assert "signaturen ugyldig" in form.content.decode()
    assert changed.status_code == 302
    signature = LegalSignature.objects.get()
    assert signature.voided_at is not None and signature.void_reason == VoidReason.EDITED
    document.refresh_from_db()
    assert document.status == LegalStatus.AWAITING_SIGNATURE and document.version == 2
    assert document.content["conciliation_if_objected"] is False
    assert TimelineEvent.objects.filter(kind="legal_voided_edited").exists()
    assert package.status_code == 302 and package["Content-Type"] != "application/zip"


def test_a_stored_pdf_that_no_longer_matches_shows_void_and_is_not_given_out(
    drafted, collections, alice, client_for, api_client_for
):
    document, day = drafted
    client = client_for(alice)
    with time_machine.travel(day):
        _sign(client, collections.slug, document, password=PASSWORD)
    signature = LegalSignature.objects.get()
    with signature.pdf.open("rb") as handle:
        original = handle.read()
    name = signature.pdf.name
    signature.pdf.storage.delete(name)
    signature.pdf.storage.save(name, ContentFile(original.replace(b"%%EOF", b"%%EOF\n% x")))

    with time_machine.travel(day):
        page = client.get(_url("collections:legal-document", collections.slug, document))
        signed_pdf = client.get(
            _url("collections:legal-pdf", collections.slug, document) + "?signed=1"
        )
        package = client.get(_url("collections:legal-package", collections.slug, document))
        api_package = api_client_for(alice).get(_api("legal-package", collections.slug, document))
        api_detail = api_client_for(alice).get(_api("legal-document", collections.slug, document))

    assert "Signaturen er ugyldig" in page.content.decode()
    assert signed_pdf.status_code == 302
    assert package.status_code == 302
    assert api_package.status_code == 409
    assert api_detail.json()["signature"] | {"signed_at": None} == {
        **api_detail.json()["signature"],
        "valid": False,
        "problem": "pdf_changed",
        "signed_at": None,
    }


def test_a_member_without_may_sign_cannot_sign_by_any_route(
    drafted, collections, bob, client_for, api_client_for
):
    document, day = drafted
    with time_machine.travel(day):
        awaiting = client_for(bob).get(
            reverse("collections:legal-awaiting", kwargs={"org_slug": collections.slug})
        )
        page = client_for(bob).get(_url("collections:legal-document", collections.slug, document))
        web = _sign(client_for(bob), collections.slug, document, password=PASSWORD)
        api = api_client_for(bob).post(
            _api("legal-sign", collections.slug, document), {"password": PASSWORD}, format="json"
        )
        package = client_for(bob).get(_url("collections:legal-package", collections.slug, document))
        api_package = api_client_for(bob).get(_api("legal-package", collections.slug, document))

    assert _url("collections:legal-document", collections.slug, document) in (
        awaiting.content.decode()
    )
    assert "Du kan ikke signere selv" in awaiting.content.decode()
    assert page.status_code == 200 and 'name="password"' not in page.content.decode()
    assert web.status_code == 403
    assert api.status_code == 403
    assert package.status_code == 302 and package["Content-Type"] != "application/zip"
    assert api_package.status_code == 409
    assert api_package.json()["error"]["message"] == "Dokumentet er ikke signert."
    assert not LegalSignature.objects.exists()


def test_signing_through_the_api_with_the_same_checks(drafted, collections, alice, api_client_for):
    document, day = drafted
    client = api_client_for(alice)
    awaiting = client.get(
        reverse("collections-api:legal-awaiting", kwargs={"org_slug": collections.slug})
    )

    with time_machine.travel(day):
        wrong = client.post(
            _api("legal-sign", collections.slug, document), {"password": "nope"}, format="json"
        )
        signed = client.post(
            _api("legal-sign", collections.slug, document), {"password": PASSWORD}, format="json"
        )

    assert [row["id"] for row in awaiting.json()] == [document.pk]
    assert NATIONAL_ID not in awaiting.content.decode()
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "signing_refused"
    assert "nope" not in wrong.content.decode()
    assert signed.status_code == 200
    body = signed.json()
    assert body["signature"]["valid"] is True and body["status"] == "signed"
    assert body["signature"]["pdf_sha256"] == LegalSignature.objects.get().pdf_sha256
    assert "password" not in signed.content.decode()


def test_the_package_holds_the_signed_pdf_the_attachments_and_the_manifest(
    drafted, collections, alice, client_for, api_client_for
):
    document, day = drafted
    client = client_for(alice)
    with time_machine.travel(day):
        _sign(client, collections.slug, document, password=PASSWORD)
        response = client.get(_url("collections:legal-package", collections.slug, document))
        again = api_client_for(alice).get(_api("legal-package", collections.slug, document))

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert again.content == response.content  # the same bytes every time
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    signature = LegalSignature.objects.get()
    assert names[0].endswith("-signert.pdf") and names[-1] == "manifest.txt"
    assert archive.read(names[0]) == stored(signature.pdf)
    attachments = list(document.attachments.order_by("position"))
    assert [a.file_name for a in attachments] == names[1:-1] and len(attachments) == 2
    assert "Fakturakopi" in pdf_text(archive.read(names[1]))
    assert "Betalingsoppfordring" in pdf_text(archive.read(names[2]))
    manifest = archive.read("manifest.txt").decode()
    for name in names[:-1]:
        assert f"{hashlib.sha256(archive.read(name)).hexdigest()}" in manifest
        assert name in manifest
    assert signature.signer_email in manifest and "127.0.0.1" in manifest
    assert signature.pdf_sha256 in manifest


def test_another_organisation_gets_404_on_every_legal_route(
    drafted, collections, charlie, client_for, api_client_for
):
    document, _day = drafted
    slug = collections.slug
    pages = [
        _url(name, slug, document)
        for name in (
            "collections:legal-document",
            "collections:legal-document-edit",
            "collections:legal-sign",
            "collections:legal-pdf",
            "collections:legal-package",
        )
    ] + [
        reverse("collections:legal-awaiting", kwargs={"org_slug": slug}),
        reverse(
            "collections:legal-draft-create",
            kwargs={"org_slug": slug, "case_id": document.case_id},
        ),
    ]
    apis = [
        _api(name, slug, document) for name in ("legal-document", "legal-sign", "legal-package")
    ]
    apis.append(reverse("collections-api:legal-awaiting", kwargs={"org_slug": slug}))
    web, api = client_for(charlie), api_client_for(charlie)
    for path in pages:
        assert web.get(path).status_code == 404, path
        assert web.post(path, {"password": PASSWORD}).status_code == 404, path
    for path in apis:
        assert api.get(path).status_code == 404, path
        assert api.post(path, {"password": PASSWORD}, format="json").status_code in (404, 405)


def test_a_signed_pre_suit_notice_goes_to_the_debtor_as_a_letter(
    collections, alice, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    from debt_collection.services.objections import objection_register
    from debt_collection.tasks import document_dispatch_task

    queued = []
    monkeypatch.setattr(document_dispatch_task, "delay", lambda *args: queued.append(args))
    customer = CustomerFactory(
        name="Per Hansen",
        customer_type="person",
        email="per@example.no",
        address_line1="Speilveien 9",
        post_code="9999",
        city="Speilby",
    )
    case, _notice, day = walk_to_legal(customer)
    membership = Membership.objects.get(user=alice)
    with time_machine.travel(day):
        objection_register(
            membership=membership,
            on=day,
            raised_on=day,
            received_via="phone",
            text="Fakturaen er for høy.",
            case=case,
        )
        document = legal_draft_create(
            case=case,
            step=StepCode.PRE_SUIT_NOTICE,
            membership=membership,
            details={"deadline": (day + timedelta(days=14)).isoformat()},
            on=day,
        )
        assert not Document.objects.filter(step="pre_suit_notice").exists()  # not unsigned
        with django_capture_on_commit_callbacks(execute=True):
            _sign(client_for(alice), collections.slug, document, password=PASSWORD)

    document.refresh_from_db()
    letter = Document.objects.get(step="pre_suit_notice")
    signature = LegalSignature.objects.get()
    assert document.status == LegalStatus.SENT and document.letter == letter
    assert letter.status == DocumentStatus.READY and letter.deadline == day + timedelta(days=14)
    assert stored(letter.pdf) == stored(signature.pdf)
    assert letter.pdf_sha256 == signature.pdf_sha256
    assert letter.content["debtor"]["address_line1"] == "Speilveien 9"
    assert queued == [(collections.pk, letter.pk)]


def test_the_schema_lists_the_legal_paths(client, alice):
    import json

    from tests.platform.test_api_docs import OPENAPI_JSON

    client.force_login(alice)
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT=OPENAPI_JSON)
    paths = json.loads(schema.content)["paths"]

    prefix = "/api/v1/orgs/{org_slug}/legal-documents/"
    assert paths[f"{prefix}awaiting/"]["get"]["operationId"] == "legal_documents_awaiting"
    assert paths[prefix + "{document_id}/sign/"]["post"]["operationId"] == "legal_documents_sign"
    sign = paths[prefix + "{document_id}/sign/"]["post"]
    assert {"400", "403", "404", "409", "429"} <= set(sign["responses"])
    package = paths[prefix + "{document_id}/package/"]["get"]
    assert "application/zip" in package["responses"]["200"]["content"]
