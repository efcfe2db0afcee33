"""Reads of letters on their way: the Utsendelser list, the print queue, print batches."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from debt_collection.models import (
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Document,
    DocumentStatus,
    PrintBatch,
)

NEEDS_ATTENTION = (
    DeliveryStatus.FAILED,
    DeliveryStatus.BOUNCED,
    DeliveryStatus.RETURNED,
    DeliveryStatus.UNKNOWN,
    DeliveryStatus.HELD,
)


@dataclass(frozen=True)
class DeliveryFilter:
    status: str = ""  # a DeliveryStatus value, or "attention" for the ones to look at
    channel: str = ""
    q: str = ""


def delivery_list(*, flt: DeliveryFilter) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.select_related("document__case__customer")
    if flt.status == "attention":
        deliveries = deliveries.filter(status__in=NEEDS_ATTENTION)
    elif flt.status:
        deliveries = deliveries.filter(status=flt.status)
    if flt.channel:
        deliveries = deliveries.filter(channel=flt.channel)
    if flt.q:
        text = flt.q.strip()
        match = Q(recipient__icontains=text) | Q(document__case__customer__name__icontains=text)
        number = text.upper().removeprefix("S-")
        if number.isdigit():
            match |= Q(document__case__number=int(number))
        deliveries = deliveries.filter(match)
    return deliveries


def delivery_counts() -> dict[str, int]:
    """Deliveries per status, for the page's summary line."""
    rows = Delivery.objects.values("status").annotate(count=Count("pk")).order_by()
    return {row["status"]: row["count"] for row in rows}


def print_queue() -> QuerySet[Delivery]:
    """Letters handed to the print queue and not yet in a batch, oldest first."""
    return (
        Delivery.objects.filter(
            channel=DeliveryChannel.POST,
            provider="print_queue",
            status=DeliveryStatus.QUEUED,
            handed_over_at__isnull=False,
            print_batch__isnull=True,
        )
        .select_related("document__case__customer")
        .order_by("handed_over_at", "pk")
    )


def print_batches() -> QuerySet[PrintBatch]:
    return PrintBatch.objects.annotate(letters=Count("deliveries")).order_by("-created_at")[:20]


def letters_to_redispatch() -> list[tuple[int, int]]:
    """(organization_id, document_id) of letters, in every organisation, that the dispatch
    worker should run again: held because the ledger could not be checked; never
    dispatched or left queued (the task was lost); left "sending" by a worker that
    stopped, so that dispatch marks them for a person (it never sends those again)."""
    settled_before = timezone.now() - settings.KREDIN_DISPATCH_SENDING_TIMEOUT
    rows = (
        Document.objects.unscoped()
        .filter(status__in=(DocumentStatus.READY, DocumentStatus.SENT))
        .filter(
            Q(deliveries__status=DeliveryStatus.HELD)
            | Q(deliveries__isnull=True, created_at__lt=settled_before, status=DocumentStatus.READY)
            | Q(
                deliveries__status=DeliveryStatus.QUEUED,
                deliveries__handed_over_at__isnull=True,
                deliveries__created_at__lt=settled_before,
            )
            | Q(
                deliveries__status=DeliveryStatus.SENDING,
                deliveries__sending_at__lt=settled_before,
            )
        )
        .values_list("organization_id", "pk")
        .distinct()
        .order_by("pk")
    )
    return list(rows)
