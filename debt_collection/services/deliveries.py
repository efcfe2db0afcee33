"""What a person does to letters on their way: print the post, record a return, decide
on a delivery whose outcome is unknown, and send a failed one again.

The print queue is the built-in postal provider: letters wait until someone downloads the
batch as one PDF, prints it and marks it printed. Sending again is always a person's
decision, never automatic (see debt_collection.dispatch).
"""

from __future__ import annotations

import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfWriter

from debt_collection.dispatch import delivery_mark_sent
from debt_collection.dispatch.outcomes import delivery_failed, document_mark
from debt_collection.models import (
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    DocumentStatus,
    PrintBatch,
)
from debt_collection.selectors.deliveries import print_queue
from kredin.audit import audit_record
from kredin.models import Membership, User
from kredin.permissions import Permission
from kredin.services import require_permission

SENDABLE_AGAIN = (DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN, DeliveryStatus.HELD)


class DeliveryError(Exception):
    """An action on a delivery that cannot be done; the message is for the person."""


def _require(membership: Membership) -> None:
    require_permission(membership, membership.organization, Permission.WORK_CASES)


@transaction.atomic
def print_batch_create(*, membership: Membership) -> PrintBatch:
    """Every letter waiting in the print queue, merged into one PDF in queue order."""
    _require(membership)
    waiting = list(print_queue().select_for_update(of=("self",)))
    if not waiting:
        raise DeliveryError(_("Ingen brev venter på utskrift."))
    writer = PdfWriter()
    for delivery in waiting:
        with delivery.document.pdf.open("rb") as letter:
            writer.append(io.BytesIO(letter.read()))
    merged = io.BytesIO()
    writer.write(merged)
    content = merged.getvalue()
    batch = PrintBatch.objects.create(
        created_by=membership.user,
        pdf_sha256=hashlib.sha256(content).hexdigest(),
        pdf=ContentFile(content, name=f"utskrift-{timezone.now():%Y%m%d-%H%M%S}.pdf"),
    )
    Delivery.objects.filter(pk__in=[d.pk for d in waiting]).update(print_batch=batch)
    audit_record(
        action="print_batch.created",
        organization=membership.organization,
        actor=membership.user,
        target=batch,
        details={"letters": len(waiting)},
    )
    return batch


@transaction.atomic
def print_batch_mark_printed(*, batch: PrintBatch, membership: Membership) -> int:
    """The batch is printed and posted: its letters count as sent from today."""
    _require(membership)
    batch = PrintBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.printed_at:
        raise DeliveryError(_("Denne utskriften er allerede merket som skrevet ut."))
    batch.printed_at = timezone.now()
    batch.save(update_fields=["printed_at"])
    deliveries = list(
        batch.deliveries.filter(status=DeliveryStatus.QUEUED).select_related("document")
    )
    for delivery in deliveries:
        delivery_mark_sent(delivery=delivery)
        document_mark(document=delivery.document)
    audit_record(
        action="print_batch.printed",
        organization=membership.organization,
        actor=membership.user,
        target=batch,
        details={"letters": len(deliveries)},
    )
    return len(deliveries)


@transaction.atomic
def delivery_return(*, delivery: Delivery, membership: Membership, reason: str) -> Delivery:
    """The letter came back (post) or was rejected by the recipient's mail server."""
    _require(membership)
    delivery = Delivery.objects.select_for_update().select_related("document").get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.SENT:
        raise DeliveryError(_("Bare et sendt brev kan meldes som returnert."))
    reason = reason.strip()
    if not reason:
        raise DeliveryError(_("Skriv hvorfor brevet kom i retur."))
    delivery.status = (
        DeliveryStatus.RETURNED
        if delivery.channel == DeliveryChannel.POST
        else DeliveryStatus.BOUNCED
    )
    delivery.return_reason, delivery.returned_at = reason[:300], timezone.now()
    delivery.error = reason[:500]
    delivery.save(update_fields=["status", "return_reason", "returned_at", "error"])
    delivery_failed(delivery=delivery)
    audit_record(
        action="delivery.returned",
        organization=membership.organization,
        actor=membership.user,
        target=delivery,
        details={"channel": delivery.channel},
    )
    return delivery


@transaction.atomic
def delivery_confirm_sent(*, delivery: Delivery, membership: Membership) -> Delivery:
    """A person checked (the mail server's log, the sent folder) that it did go out."""
    _require(membership)
    delivery = Delivery.objects.select_for_update().select_related("document").get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.UNKNOWN:
        raise DeliveryError(_("Bare en uavklart utsendelse kan bekreftes som sendt."))
    delivery_mark_sent(delivery=delivery)
    document_mark(document=delivery.document)
    audit_record(
        action="delivery.confirmed_sent",
        organization=membership.organization,
        actor=membership.user,
        target=delivery,
    )
    return delivery


def delivery_send_again(
    *,
    delivery: Delivery,
    membership: Membership | None = None,
    actor: User | None = None,
) -> Delivery:
    """Queue a failed, held or unknown delivery once more, as a new message.

    Kredin's support, who are no members, pass `actor` instead of `membership`: then the
    caller has checked the actor is staff and records its own audit event (with the
    reason), so none is written here.
    """
    from debt_collection.tasks import document_dispatch_task

    if membership is not None:
        _require(membership)
    elif actor is None:
        raise ValueError("delivery_send_again needs a membership or, for support, an actor")
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update().select_related("document").get(pk=delivery.pk)
        )
        if delivery.status not in SENDABLE_AGAIN:
            raise DeliveryError(_("Denne utsendelsen kan ikke sendes på nytt."))
        if delivery.document.status not in (DocumentStatus.READY, DocumentStatus.SENT):
            raise DeliveryError(
                _("Brevet teller ikke lenger i saken. Lag et nytt brev fra saken i stedet.")
            )
        delivery.status, delivery.error, delivery.message_id = DeliveryStatus.QUEUED, "", ""
        delivery.sending_at = delivery.handed_over_at = None
        delivery.save(
            update_fields=["status", "error", "message_id", "sending_at", "handed_over_at"]
        )
        if membership is not None:
            audit_record(
                action="delivery.send_again",
                organization=membership.organization,
                actor=membership.user,
                target=delivery,
            )
        organization_id, document_id = delivery.organization_id, delivery.document_id
        transaction.on_commit(lambda: document_dispatch_task.delay(organization_id, document_id))
    return delivery
