"""Utsendelser and the print queue as a person uses them, on letters made the way the demo
makes them: the sandbox mirrored over real HTTP, the autopilot in suggest mode, proposals
approved, letters out by e-mail and into the print queue."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from debt_collection.models import (
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Document,
    DocumentStatus,
    PrintBatch,
    Proposal,
    TimelineEvent,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _url(name, org, **kwargs):
    return reverse(f"collections:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture(autouse=True)
def _register_unreachable(settings):
    settings.BRREG_API_URL = "http://127.0.0.1:9/enhetsregisteret/api"


@pytest.fixture
def demo_letters(sandbox_integration, alice_org, alice, client_for):
    """What a demo user sees after the first sync: the autopilot's proposals, approved."""
    call_command("collections_demo_setup", "--org", alice_org.slug, "-v", "0")
    sandbox_integration.sync()
    call_command("run_autopilot", "--org", alice_org.slug, stdout=io.StringIO())
    assert Proposal.objects.exists()
    client = client_for(alice)
    response = client.post(_url("proposals", alice_org), {"decision": "approve"})
    assert response.status_code == 302
    assert Document.objects.filter(status__in=("ready", "sent")).exists()
    return client


def test_demo_letters_show_on_utsendelser_by_email_and_in_the_print_queue(demo_letters, alice_org):
    documents = Document.objects.filter(status__in=("ready", "sent"))
    emails = Delivery.objects.filter(channel=DeliveryChannel.EMAIL)
    assert emails.count() == documents.count()
    assert set(emails.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    sent_to = {address for message in mail.outbox for address in message.to}
    assert set(emails.values_list("recipient", flat=True)) <= sent_to

    page = demo_letters.get(_url("deliveries", alice_org)).content.decode()
    delivery = emails.first()
    assert f'data-delivery-id="{delivery.pk}"' in page and "Sendt" in page
    detail = demo_letters.get(_url("delivery-detail", alice_org, delivery_id=delivery.pk))
    assert delivery.subject in detail.content.decode()
    assert escape(delivery.message_id) in detail.content.decode()

    queue = demo_letters.get(_url("print-queue", alice_org)).content.decode()
    for post in Delivery.objects.filter(channel=DeliveryChannel.POST):
        assert post.status == DeliveryStatus.QUEUED
        assert f'data-delivery-id="{post.pk}"' in queue


def test_print_queue_merges_the_batch_marks_it_printed_and_records_a_return(
    demo_letters, alice_org, alice
):
    waiting = list(Delivery.objects.filter(channel=DeliveryChannel.POST).order_by("pk"))
    pages_expected = sum(len(PdfReader(d.document.pdf.open("rb")).pages) for d in waiting)

    demo_letters.post(_url("print-batch-create", alice_org))

    batch = PrintBatch.objects.get()
    download = demo_letters.get(_url("print-batch-pdf", alice_org, batch_id=batch.pk))
    merged = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert len(merged.pages) == pages_expected
    queue = demo_letters.get(_url("print-queue", alice_org)).content.decode()
    assert "0 brev venter på utskrift" in queue
    assert set(batch.deliveries.values_list("pk", flat=True)) == {d.pk for d in waiting}
    # A second batch has nothing to take: every letter is printed once.
    demo_letters.post(_url("print-batch-create", alice_org))
    assert PrintBatch.objects.count() == 1

    demo_letters.post(_url("print-batch-printed", alice_org, batch_id=batch.pk))
    assert set(batch.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}

    returned = waiting[0]
    demo_letters.post(
        _url("delivery-action", alice_org, delivery_id=returned.pk),
        {"action": "return", "reason": "Adressaten er ukjent"},
    )
    returned.refresh_from_db()
    assert returned.status == DeliveryStatus.RETURNED
    assert returned.return_reason == "Adressaten er ukjent"
    event = TimelineEvent.objects.get(kind="delivery_failed", case=returned.document.case)
    assert "Adressaten er ukjent" in event.params["error"]
    assert any("ikke levert" in m.subject.lower() or "Adressaten" in m.body for m in mail.outbox)
    # The e-mail reached the debtor, so the letter still counts.
    assert returned.document.status == DocumentStatus.SENT


def test_utsendelser_is_closed_to_other_organisations_and_read_only_members_cannot_act(
    demo_letters, alice_org, charlie, erin, client_for
):
    delivery = Delivery.objects.filter(channel=DeliveryChannel.POST).first()
    outsider, reader = client_for(charlie), client_for(erin)
    for name, kwargs in [
        ("deliveries", {}),
        ("delivery-detail", {"delivery_id": delivery.pk}),
        ("print-queue", {}),
    ]:
        assert outsider.get(_url(name, alice_org, **kwargs)).status_code == 404
        assert reader.get(_url(name, alice_org, **kwargs)).status_code == 200
    for name, kwargs in [
        ("delivery-action", {"delivery_id": delivery.pk}),
        ("print-batch-create", {}),
    ]:
        assert outsider.post(_url(name, alice_org, **kwargs)).status_code == 404
        refused = reader.post(_url(name, alice_org, **kwargs), {"action": "send-again"})
        assert refused.status_code == 403
    assert not PrintBatch.objects.exists()
