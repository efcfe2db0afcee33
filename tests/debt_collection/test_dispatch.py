"""Letters on their way, against the sandbox over real HTTP and a real SMTP server: e-mail
with the PDF, the ledger checked at the last moment, held when it cannot be, nothing sent
twice when a worker dies, a refused address falling back to post."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from debt_collection.models import (
    Channels,
    ClaimEntry,
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    DocumentStatus,
    EntryKind,
    TimelineEvent,
)
from debt_collection.selectors.deliveries import print_queue
from debt_collection.tasks import dispatch_pending_task, document_dispatch_task
from integrations.models import SyncRun
from kredin.models import Membership
from sandbox.nxt import faults
from sandbox.nxt.ledger import register_payment
from tests.debt_collection.dispatching import (
    REFUSED_DOMAIN,
    collection_settings,
    letter_waiting,
    smtp_server,
)

DEBTOR = "regnskap@bergenbygg.example"


@pytest.fixture(autouse=True)
def _register_unreachable(settings):
    # The sync enriches customers from the register; these tests are not about it.
    settings.BRREG_API_URL = "http://127.0.0.1:9/enhetsregisteret/api"


@pytest.fixture
def smtp(settings):
    controller, log = smtp_server(settings)
    yield log
    controller.stop()


@pytest.fixture
def enqueued(monkeypatch):
    """Dispatch tasks asked for, kept instead of run, so a test decides when the worker runs."""
    calls: list[tuple] = []
    monkeypatch.setattr(document_dispatch_task, "delay", lambda *args: calls.append(args))
    return calls


def _letter(sandbox_integration, alice, *, channels=Channels.EMAIL, debtor_email=DEBTOR):
    organization = sandbox_integration.integration.organization
    collection_settings(organization=organization, channels=channels)
    sandbox_integration.sync()
    membership = Membership.objects.get(user=alice, organization=organization)
    return letter_waiting(
        membership=membership, company_no=sandbox_integration.company_no, debtor_email=debtor_email
    )


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _fees(document) -> list:
    return sorted(
        ClaimEntry.objects.filter(document=document, kind=EntryKind.FEE).values_list(
            "amount", flat=True
        )
    )


def test_starting_a_case_queues_its_letter_for_the_dispatch_worker(
    sandbox_integration, alice, smtp, enqueued
):
    letter = _letter(sandbox_integration, alice)

    assert enqueued == [(letter.document.organization_id, letter.document.pk)]
    assert smtp.messages == []
    assert document_dispatch_task.queue == "dispatch"


def test_the_letter_reaches_a_real_smtp_server_with_its_pdf(
    sandbox_integration, alice, smtp, enqueued
):
    letter = _letter(sandbox_integration, alice)

    assert letter.dispatch() == [DeliveryStatus.SENT]

    delivery = Delivery.objects.get(document=letter.document)
    (message,) = smtp.to(DEBTOR)
    assert message["Message-ID"] == delivery.message_id
    assert message["Reply-To"] == "post@alice.example"
    assert message["Subject"].strip() == delivery.subject
    assert "Alice Rørlegger AS" in message.get_body(("plain",)).get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    pdf = attachment.get_content()
    assert pdf == letter.refresh().pdf.open("rb").read()
    text = _pdf_text(pdf)
    for item in letter.items:
        assert item.invoice_no in text
    assert "1503 00 12345" in text  # the account number, grouped as on a giro
    assert letter.document.status == DocumentStatus.SENT
    assert delivery.status == DeliveryStatus.SENT and delivery.sent_at
    assert TimelineEvent.objects.filter(case=letter.document.case, kind="letter_sent").exists()


def test_an_invoice_paid_at_the_last_moment_stops_the_letter(
    sandbox_integration, alice, smtp, enqueued
):
    letter = _letter(sandbox_integration, alice)
    fees_before = _fees(letter.document)
    paid = letter.items[0]
    register_payment(company_no=letter.company_no, invoice_no=paid.invoice_no)
    runs_before = SyncRun.objects.count()

    assert letter.dispatch() == [DeliveryStatus.STOPPED]

    assert smtp.to(DEBTOR) == []
    assert letter.refresh().status == DocumentStatus.CANCELLED
    assert not letter.document.pdf
    event = TimelineEvent.objects.get(case=letter.document.case, kind="letter_stopped")
    assert paid.invoice_no in event.params["invoices"]
    # The letter's fee came off the claim again; the mirror is asked to catch up.
    assert sum(_fees(letter.document)) == 0 and (not fees_before or fees_before[-1] > 0)
    assert SyncRun.objects.count() == runs_before + 1
    # A second run of the same task does nothing more.
    assert letter.dispatch() == [DeliveryStatus.STOPPED]
    assert smtp.to(DEBTOR) == []


def test_an_unreachable_ledger_holds_the_letter_until_it_can_be_checked(
    sandbox_integration, alice, smtp, enqueued
):
    letter = _letter(sandbox_integration, alice)
    faults.set_fault(company_no=letter.company_no, kind="http_500", count=50)

    assert letter.dispatch() == [DeliveryStatus.HELD]

    delivery = Delivery.objects.get(document=letter.document)
    assert delivery.error and smtp.to(DEBTOR) == []
    assert letter.refresh().status == DocumentStatus.READY
    faults.clear_faults(company_no=letter.company_no)
    enqueued.clear()

    assert dispatch_pending_task() == 1
    assert enqueued == [(letter.document.organization_id, letter.document.pk)]
    assert letter.dispatch() == [DeliveryStatus.SENT]
    assert len(smtp.to(DEBTOR)) == 1


def test_a_worker_killed_between_send_and_mark_sends_nothing_twice(
    sandbox_integration, alice, smtp, enqueued, monkeypatch
):
    letter = _letter(sandbox_integration, alice)

    def die(*, delivery):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patched, pytest.raises(SystemExit):
        patched.setattr("debt_collection.dispatch.delivery_mark_sent", die)
        letter.dispatch()
    delivery = Delivery.objects.get(document=letter.document)
    assert delivery.status == DeliveryStatus.SENDING and delivery.message_id

    assert letter.dispatch() == [DeliveryStatus.SENDING]  # retried at once: left alone
    enqueued.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert dispatch_pending_task() == 1  # the beat finds the stale "sending"
        assert enqueued == [(letter.document.organization_id, letter.document.pk)]
        assert letter.dispatch() == [DeliveryStatus.UNKNOWN]  # a person decides
        assert letter.dispatch() == [DeliveryStatus.UNKNOWN]
        assert dispatch_pending_task() == 0

    assert len(smtp.with_message_id(delivery.message_id)) == 1
    assert len(smtp.to(DEBTOR)) == 1
    assert TimelineEvent.objects.filter(case=letter.document.case, kind="delivery_unknown").exists()
    assert smtp.to("alice@example.no"), "the owner is told to check"


def test_a_refused_address_fails_the_email_and_the_letter_goes_by_post(
    sandbox_integration, alice, smtp, enqueued
):
    letter = _letter(sandbox_integration, alice, debtor_email=f"post@{REFUSED_DOMAIN}")

    letter.dispatch()

    email = Delivery.objects.get(document=letter.document, channel=DeliveryChannel.EMAIL)
    assert email.status == DeliveryStatus.FAILED and "550" in email.error
    post = Delivery.objects.get(document=letter.document, channel=DeliveryChannel.POST)
    assert enqueued[-1] == (letter.document.organization_id, letter.document.pk)
    letter.dispatch()
    post.refresh_from_db()
    assert post.status == DeliveryStatus.QUEUED and post.handed_over_at
    assert letter.refresh().status == DocumentStatus.READY  # counts once printed and posted
    event = TimelineEvent.objects.get(case=letter.document.case, kind="delivery_failed")
    assert event.params["channel"] == DeliveryChannel.EMAIL
    assert smtp.to("alice@example.no")


def test_a_letter_by_post_dispatched_twice_is_in_the_print_queue_once(
    sandbox_integration, alice, smtp, enqueued
):
    letter = _letter(sandbox_integration, alice, channels=Channels.POST)

    assert letter.dispatch() == [DeliveryStatus.QUEUED]
    assert letter.dispatch() == [DeliveryStatus.QUEUED]  # the task delivered twice

    (post,) = print_queue()
    assert post.document_id == letter.document.pk
    assert post.recipient.startswith(letter.items[0].customer.name)
    assert letter.refresh().status == DocumentStatus.READY  # sent once printed
