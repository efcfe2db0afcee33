"""What follows a send: the letter counts as sent, is stopped, or did not arrive.

Each outcome leaves a timeline event; a failure also reaches the organisation's admins.
A letter that reached no one is "undelivered": what it added to the claim comes off (as
reversing entries), and it does not count for a deadline (a § 4-18 notice that never
arrived starts none).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from debt_collection.models import (
    UNDELIVERED,
    ClaimEntry,
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Document,
    DocumentStatus,
    EntryKind,
    TimelineEvent,
)
from debt_collection.notifications import notify_admins_delivery
from integrations.models import Integration, IntegrationStatus
from integrations.services import IntegrationError, sync_request
from kredin.clock import today_in_norway
from ledger.models import OpenItem

CLAIMABLE = (DeliveryStatus.QUEUED, DeliveryStatus.HELD)


@transaction.atomic
def letter_stop(*, document: Document, changed: tuple[str, ...]) -> None:
    """The ledger changed under the letter: it does not go out, and what it would have
    added to the claim comes off again."""
    on = today_in_norway()
    document.status = DocumentStatus.CANCELLED
    document.save(update_fields=["status"])
    Delivery.objects.filter(document=document, status__in=CLAIMABLE).update(
        status=DeliveryStatus.STOPPED, error="ledger_changed"
    )
    letter_withdraw_from_claim(document=document, on=on, rule="letter_stopped")
    case = document.case
    TimelineEvent.objects.create(
        case=case,
        on=on,
        kind="letter_stopped",
        params={"step": document.step, "invoices": ", ".join(changed)},
    )
    transaction.on_commit(lambda: _sync_soon(document))


def _sync_soon(document: Document) -> None:
    """Ask for an incremental sync so the mirror (and the next plan) sees what changed."""
    item_ids = [item["item_id"] for item in document.content.get("items", [])]
    integration_ids = set(
        OpenItem.objects.filter(pk__in=item_ids).values_list("integration_id", flat=True)
    )
    for integration in Integration.objects.filter(
        pk__in=integration_ids, status=IntegrationStatus.ACTIVE
    ):
        try:
            sync_request(integration=integration)
        except IntegrationError:
            continue


def document_mark(*, document: Document) -> None:
    """The letter is sent once one channel delivered it; undelivered if none can."""
    statuses = set(Delivery.objects.filter(document=document).values_list("status", flat=True))
    if DeliveryStatus.SENT in statuses and document.status != DocumentStatus.SENT:
        document.status = DocumentStatus.SENT
        document.save(update_fields=["status"])
        TimelineEvent.objects.create(
            case=document.case,
            on=today_in_norway(),
            kind="letter_sent",
            params={
                "step": document.step,
                "channels": sorted(
                    Delivery.objects.filter(
                        document=document, status=DeliveryStatus.SENT
                    ).values_list("channel", flat=True)
                ),
            },
        )
    elif statuses and statuses <= UNDELIVERED:
        document_undelivered(document=document)


def letter_withdraw_from_claim(*, document: Document, on: date, rule: str) -> None:
    """The letter's fee and compensation come off the claim again, as reversing entries
    (the claim ledger is never edited), and the case's last step is the last letter that
    still counts. Interest stays: it runs by law from the due date, letter or not."""
    ClaimEntry.objects.bulk_create(
        [
            ClaimEntry(
                organization_id=entry.organization_id,
                case_id=entry.case_id,
                kind=entry.kind,
                entry_date=on,
                amount=-entry.amount,
                open_item_id=entry.open_item_id,
                document=document,
                rule=rule,
                source=f"reversal of {entry.rule}"[:300],
            )
            for entry in ClaimEntry.objects.filter(
                document=document, kind__in=(EntryKind.FEE, EntryKind.COMPENSATION)
            ).exclude(rule=rule)
        ]
    )
    case = document.case
    case.current_step = (
        Document.objects.filter(case=case, status__in=(DocumentStatus.READY, DocumentStatus.SENT))
        .exclude(pk=document.pk)
        .order_by("-planned_for", "-pk")
        .values_list("step", flat=True)
        .first()
        or ""
    )
    case.save(update_fields=["current_step"])


def document_undelivered(*, document: Document) -> None:
    """No channel reached the debtor: the letter does not count as sent (a § 4-18 notice
    that never arrived starts no deadline) and its fee is not claimed."""
    if document.status == DocumentStatus.UNDELIVERED:
        return
    document.status = DocumentStatus.UNDELIVERED
    document.save(update_fields=["status"])
    letter_withdraw_from_claim(document=document, on=today_in_norway(), rule="letter_undelivered")
    TimelineEvent.objects.create(
        case=document.case,
        on=today_in_norway(),
        kind="letter_undelivered",
        params={"step": document.step},
    )


def delivery_failed(*, delivery: Delivery, post_instead: bool = True) -> None:
    """Tell the case and the organisation's admins; an all-failed letter is undelivered."""
    document = delivery.document
    TimelineEvent.objects.create(
        case=document.case,
        on=today_in_norway(),
        kind="delivery_failed",
        params={
            "step": document.step,
            "channel": delivery.channel,
            "status": delivery.status,
            "error": delivery.error[:200],
        },
    )
    organization_id, delivery_id = delivery.organization_id, delivery.pk
    transaction.on_commit(
        lambda: notify_admins_delivery(organization_id=organization_id, delivery_id=delivery_id)
    )
    if post_instead and delivery.channel == DeliveryChannel.EMAIL:
        _post_instead(document)
    statuses = set(Delivery.objects.filter(document=document).values_list("status", flat=True))
    if statuses and statuses <= UNDELIVERED:
        document_undelivered(document=document)


def _post_instead(document: Document) -> None:
    """An e-mail that did not arrive: the letter goes by post as well (written notice by
    a channel that reaches the debtor is what counts)."""
    if document.status not in (DocumentStatus.READY, DocumentStatus.SENT):
        return
    from debt_collection.dispatch.postal import postal_provider
    from debt_collection.tasks import document_dispatch_task

    _row, created = Delivery.objects.get_or_create(
        document=document,
        channel=DeliveryChannel.POST,
        defaults={
            "organization_id": document.organization_id,
            "provider": postal_provider().name,
            "recipient": postal_address(document.content.get("debtor", {})),
        },
    )
    if created:
        organization_id, document_id = document.organization_id, document.pk
        transaction.on_commit(lambda: document_dispatch_task.delay(organization_id, document_id))


def postal_address(debtor: dict) -> str:
    lines = [
        debtor.get("name", ""),
        debtor.get("address_line1", ""),
        debtor.get("address_line2", ""),
        f"{debtor.get('post_code', '')} {debtor.get('city', '')}".strip(),
    ]
    return "\n".join(line for line in lines if line)[:500]


def delivery_unknown(*, delivery: Delivery) -> None:
    """Interrupted mid-send: the admins are asked to check; the letter is not resent."""
    document = delivery.document
    TimelineEvent.objects.create(
        case=document.case,
        on=today_in_norway(),
        kind="delivery_unknown",
        params={"step": document.step, "channel": delivery.channel},
    )
    organization_id, delivery_id = delivery.organization_id, delivery.pk
    transaction.on_commit(
        lambda: notify_admins_delivery(organization_id=organization_id, delivery_id=delivery_id)
    )
