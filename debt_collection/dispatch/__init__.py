"""Sending a letter: check the ledger, render once, e-mail and/or post, record each step.

`dispatch_document` is what the dispatch task runs; it is safe to run twice:

1. the deliveries (one per channel, unique per letter and channel) are written first;
2. a letter the debtor's standing objection holds is stopped (dispatch/objections.py);
   the invoices are read again from Business NXT: a change stops the letter (its fee and
   interest come off the claim, the case is planned again, the timeline says why); an
   unreachable Business NXT holds it for the next round;
3. the PDF is rendered once and kept (debt_collection.letters);
4. each delivery is claimed by moving it from queued/held to sending in one UPDATE (a
   second worker finds nothing to claim), then sent, then marked sent. A delivery still
   "sending" long after was interrupted mid-send: it is never sent again by itself but
   marked "unknown" for a person to check (debt_collection.services.deliveries).

What follows a send (sent, stopped, undelivered) is in debt_collection.dispatch.outcomes.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone

from debt_collection.dispatch.email import email_compose, email_send
from debt_collection.dispatch.freshness import letter_still_true
from debt_collection.dispatch.objections import letter_stop_for_objection, objection_holding
from debt_collection.dispatch.outcomes import (
    CLAIMABLE,
    delivery_failed,
    delivery_unknown,
    document_mark,
    letter_stop,
    postal_address,
)
from debt_collection.dispatch.postal import postal_provider
from debt_collection.letters.render import LetterError, document_pdf
from debt_collection.models import (
    Channels,
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Document,
    DocumentStatus,
)
from debt_collection.selectors import collection_settings_get
from kredin.clock import today_in_norway

logger = logging.getLogger(__name__)


def deliveries_plan(*, document: Document) -> list[Delivery]:
    """The letter's delivery rows: one per channel the organisation uses, written the
    first time only (a later change of channels does not resend an old letter)."""
    existing = _deliveries(document)
    if existing:
        return existing
    settings_row = collection_settings_get()
    debtor = document.content.get("debtor", {})
    email = (debtor.get("email") or "").strip()
    channels = []
    if settings_row.channels in (Channels.EMAIL, Channels.BOTH) and email:
        channels.append(DeliveryChannel.EMAIL)
    if settings_row.channels in (Channels.POST, Channels.BOTH) or not channels:
        # No e-mail address: the letter goes by post rather than not at all.
        channels.append(DeliveryChannel.POST)
    for channel in channels:
        Delivery.objects.get_or_create(
            document=document,
            channel=channel,
            defaults={
                "organization_id": document.organization_id,
                "provider": "smtp" if channel == DeliveryChannel.EMAIL else postal_provider().name,
                "recipient": email if channel == DeliveryChannel.EMAIL else postal_address(debtor),
            },
        )
    return _deliveries(document)


def _deliveries(document: Document) -> list[Delivery]:
    return list(Delivery.objects.filter(document=document).order_by("pk"))


def dispatch_document(*, document_id: int) -> list[Delivery]:
    document = Document.objects.select_related("case").filter(pk=document_id).first()
    if document is None:
        return []
    if document.status not in (DocumentStatus.READY, DocumentStatus.SENT):
        return _deliveries(document)  # stopped or undelivered: nothing more goes out
    deliveries = deliveries_plan(document=document)
    _interrupted(deliveries)
    waiting = [d for d in deliveries if d.status in CLAIMABLE and d.handed_over_at is None]
    if not waiting:
        return deliveries
    today = today_in_norway()
    objection = objection_holding(document=document, on=today)
    if objection is not None:
        letter_stop_for_objection(document=document, objection=objection, on=today)
        return _deliveries(document)
    fresh = letter_still_true(document=document)
    if not fresh.ok:
        if fresh.reachable:
            letter_stop(document=document, changed=fresh.changed)
        else:
            _hold(waiting, fresh.problem)
        return _deliveries(document)
    try:
        pdf = document_pdf(document=document)
    except LetterError as error:
        # A letter that cannot be laid out as the law wants it is not sent at all; the
        # admins see why (no other channel would do better).
        for delivery in waiting:
            delivery.status, delivery.error = DeliveryStatus.FAILED, f"letter: {error}"[:500]
            delivery.save(update_fields=["status", "error"])
            delivery_failed(delivery=delivery, post_instead=False)
        return _deliveries(document)
    for delivery in waiting:
        _deliver(document, delivery, pdf)
    document_mark(document=document)
    return _deliveries(document)


def _claim(delivery: Delivery) -> bool:
    """Move the delivery to "sending" unless someone else already did: one UPDATE."""
    claimed = Delivery.objects.filter(pk=delivery.pk, status__in=CLAIMABLE).update(
        status=DeliveryStatus.SENDING, sending_at=timezone.now(), error=""
    )
    delivery.refresh_from_db()
    return bool(claimed)


def _deliver(document: Document, delivery: Delivery, pdf: bytes) -> None:
    if not _claim(delivery):
        return
    try:
        if delivery.channel == DeliveryChannel.EMAIL:
            email_compose(document=document, delivery=delivery)
            email_send(document=document, delivery=delivery, pdf=pdf)
            delivery_mark_sent(delivery=delivery)
        else:
            postal_provider().submit(delivery=delivery, pdf=pdf)
    except Exception as exc:  # the outcome of this one delivery is recorded, not lost
        logger.warning("delivery %s failed: %s", delivery.pk, type(exc).__name__)
        delivery.status, delivery.error = (
            DeliveryStatus.FAILED,
            f"{type(exc).__name__}: {exc}"[:500],
        )
        delivery.save(update_fields=["status", "error"])
        delivery_failed(delivery=delivery)


def delivery_mark_sent(*, delivery: Delivery) -> None:
    delivery.status, delivery.sent_at = DeliveryStatus.SENT, timezone.now()
    delivery.save(update_fields=["status", "sent_at"])


def _interrupted(deliveries: list[Delivery]) -> None:
    """A delivery left "sending" by a task that died: never sent again automatically."""
    stale_before = timezone.now() - settings.KREDIN_DISPATCH_SENDING_TIMEOUT
    for delivery in deliveries:
        if (
            delivery.status == DeliveryStatus.SENDING
            and delivery.sending_at
            and (delivery.sending_at < stale_before)
        ):
            claimed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.UNKNOWN, error="interrupted"
            )
            delivery.refresh_from_db()
            if claimed:
                delivery_unknown(delivery=delivery)


def _hold(deliveries: list[Delivery], problem: str) -> None:
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=DeliveryStatus.HELD, error=problem[:500]
    )
