"""A letter that must not go out while the debtor's objection stands.

Dunning letters stop (`stops_on_objection`), and so do steps only for undisputed claims
(`needs_undisputed`); the route for a disputed claim (the pre-suit notice, the complaint
to the conciliation board) goes on. A letter stopped here comes off the claim like one the
ledger stopped, and a later plan makes a new one once the objection is withdrawn.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from debt_collection.dispatch.outcomes import CLAIMABLE, letter_withdraw_from_claim
from debt_collection.models import (
    Delivery,
    DeliveryStatus,
    Document,
    DocumentStatus,
    Objection,
    TimelineEvent,
)
from debt_collection.rules import StepCode, catalogue_for
from debt_collection.selectors import collection_rules
from debt_collection.selectors.objections import case_standing_objection

STOPPED_BY_OBJECTION = "objection"


def step_stops_on_objection(step: str, *, on: date) -> bool:
    """Whether a letter of this step waits while an objection stands (unknown steps do)."""
    try:
        found = catalogue_for(on=on, rules=collection_rules()).step(StepCode(step))
    except ValueError:
        return True
    return found is None or found.stops_on_objection or found.needs_undisputed


def objection_holding(*, document: Document, on: date) -> Objection | None:
    """The standing objection that keeps this letter from going out, if any."""
    if not step_stops_on_objection(document.step, on=on):
        return None
    return case_standing_objection(case_id=document.case_id)


def letter_stoppable(document: Document) -> bool:
    """Planned and not on its way: no delivery is being sent, was sent or is unclear."""
    if document.status != DocumentStatus.READY:
        return False
    statuses = {delivery.status for delivery in document.deliveries.all()}
    return statuses <= set(CLAIMABLE)


@transaction.atomic
def letter_stop_for_objection(*, document: Document, objection: Objection, on: date) -> None:
    """The letter does not go out (taken out of the print queue too), and its fee and
    compensation come off the claim."""
    document.status = DocumentStatus.CANCELLED
    document.save(update_fields=["status"])
    Delivery.objects.filter(document=document, status__in=CLAIMABLE).update(
        status=DeliveryStatus.STOPPED, error=STOPPED_BY_OBJECTION
    )
    letter_withdraw_from_claim(document=document, on=on, rule="letter_stopped_objection")
    TimelineEvent.objects.create(
        case_id=document.case_id,
        on=on,
        kind="letter_stopped_objection",
        params={"step": document.step, "raised_on": objection.raised_on.isoformat()},
    )
