"""A letter that never reached the debtor does not count: a returned betalingsoppfordring
starts no legal deadline, its fee comes off the claim, and the autopilot sends it again."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from debt_collection.dispatch import deliveries_plan
from debt_collection.models import (
    Case,
    CaseState,
    ClaimEntry,
    DeliveryStatus,
    Document,
    DocumentStatus,
    EntryKind,
    TimelineEvent,
)
from debt_collection.services.deliveries import delivery_return
from kredin.models import Membership
from tests.debt_collection.conftest import invoice
from tests.debt_collection.test_autopilot import DUE, _run_until

pytestmark = pytest.mark.django_db


def _print_and_return(document: Document, membership: Membership, on: date) -> None:
    (delivery,) = deliveries_plan(document=document)  # no e-mail address: by post
    delivery.status = DeliveryStatus.SENT  # printed and posted
    delivery.save(update_fields=["status"])
    with time_machine.travel(on):
        delivery_return(delivery=delivery, membership=membership, reason="Ukjent adresse")


def test_a_returned_payment_demand_starts_no_deadline_and_is_sent_again(collections, alice):
    invoice(due=DUE, amount="10000.00")
    membership = Membership.objects.get(user=alice, organization=collections)
    day = DUE
    while not Document.objects.filter(step="payment_demand").exists():
        _run_until(day, day)
        day += timedelta(days=1)
    first = Document.objects.get(step="payment_demand")
    returned_on = first.planned_for + timedelta(days=3)

    _print_and_return(first, membership, returned_on)

    first.refresh_from_db()
    assert first.status == DocumentStatus.UNDELIVERED
    fees = ClaimEntry.objects.filter(document=first, kind=EntryKind.FEE)
    assert sum(entry.amount for entry in fees) == 0
    case = Case.objects.get()
    assert TimelineEvent.objects.filter(case=case, kind="letter_undelivered").exists()

    _run_until(returned_on + timedelta(days=1), first.deadline + timedelta(days=1))
    case.refresh_from_db()
    assert case.state != CaseState.LEGAL  # the returned notice's deadline counts for nothing
    again = Document.objects.filter(step="payment_demand").exclude(pk=first.pk).get()
    assert again.status == DocumentStatus.READY

    _run_until(first.deadline + timedelta(days=2), again.deadline + timedelta(days=1))
    case.refresh_from_db()
    assert case.state == CaseState.LEGAL
