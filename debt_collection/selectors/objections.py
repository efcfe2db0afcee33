"""Reads of objections (innsigelser): a case's list, what stands, which items are disputed,
and the markers of cases on hold."""

from __future__ import annotations

from datetime import date

from django.db.models import FilteredRelation, OuterRef, Q, QuerySet, Subquery

from debt_collection.models import CaseItem, Objection
from ledger.models import OpenItem


def standing_objections() -> QuerySet[Objection]:
    return Objection.objects.filter(withdrawn_on__isnull=True)


def case_objections(*, case_id: int) -> list[Objection]:
    """Every objection on the case, standing or withdrawn, oldest first."""
    return list(
        Objection.objects.filter(case_id=case_id).select_related(
            "open_item", "registered_by", "withdrawn_by"
        )
    )


def case_standing_objection(*, case_id: int) -> Objection | None:
    return standing_objections().filter(case_id=case_id).order_by("raised_on", "pk").first()


def disputed_items(*, item_ids: list[int]) -> dict[int, date]:
    """item id → the day the earliest standing objection on it was raised: its own, or
    one on the whole of a case that holds or held it (a closed case's items stay disputed
    until the objection is withdrawn)."""
    found: dict[int, date] = {}
    own = standing_objections().filter(open_item_id__in=item_ids)
    whole = CaseItem.objects.filter(
        open_item_id__in=item_ids,
        case__objections__withdrawn_on__isnull=True,
        case__objections__open_item__isnull=True,
    )
    rows = [
        *own.values_list("open_item_id", "raised_on"),
        *whole.values_list("open_item_id", "case__objections__raised_on"),
    ]
    for item_id, raised_on in rows:
        found[item_id] = min(raised_on, found.get(item_id, raised_on))
    return found


def item_markers(*, item_ids: list[int]) -> dict[int, dict]:
    """For the reskontro, per item: the open case holding it (id, number, state, paused
    until) and its own standing objection, if any; items with neither are left out. One
    query, so the page's budget does not grow."""
    own = standing_objections().filter(open_item_id=OuterRef("pk")).order_by("raised_on", "pk")
    rows = (
        OpenItem.objects.filter(pk__in=item_ids)
        .annotate(
            held=FilteredRelation("case_links", condition=Q(case_links__released_on__isnull=True)),
            objection_id=Subquery(own.values("pk")[:1]),
        )
        .filter(Q(held__isnull=False) | Q(objection_id__isnull=False))
        .values_list(
            "pk",
            "held__case_id",
            "held__case__number",
            "held__case__state",
            "held__case__paused_until",
            "objection_id",
        )
    )
    found: dict[int, dict] = {}
    for item_id, case_id, number, state, until, objection_id in rows:
        marker = found.setdefault(item_id, {})
        if case_id is not None:
            marker.update(case_id=case_id, number=number, state=state, paused_until=until)
        if objection_id is not None:
            marker["objection_id"] = objection_id
    return found
