"""Limitation on the reskontro: which items are time-barred, or soon will be.

An item's period runs from its due date or from the last acknowledgment recorded on it
(or on a case that held it), whichever is later. Part-payments and filings are not
counted here (the mirror does not date a part-payment on an item in no case): the date
shown can come earlier than the law's, never later. A case's own page uses the full rules
(payments and legal steps included).
"""

from __future__ import annotations

from datetime import date

from django.db.models import DateField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from debt_collection.models import Acknowledgment
from debt_collection.planning import months_before
from debt_collection.selectors import collection_rules

SOON_MONTHS = 6


def _period_start():
    last = Subquery(
        Acknowledgment.objects.filter(
            Q(open_item_id=OuterRef("pk")) | Q(case__case_items__open_item_id=OuterRef("pk"))
        )
        .order_by("-acknowledged_on")
        .values("acknowledged_on")[:1],
        output_field=DateField(),
    )
    return Greatest("due_date", Coalesce(last, "due_date"), output_field=DateField())


def _latest_live_start(on: date) -> date:
    """The earliest period start that is not yet time-barred on `on` (the search is short:
    a start within a few days of three years back)."""
    rules = collection_rules()
    start = months_before(on, 12 * 3 + 1)
    while rules.period_end("limitation", start=start) < on:
        start = date.fromordinal(start.toordinal() + 1)
    return start


def items_by_limitation(queryset, *, chosen: str, on: date):
    """`barred`: past the limitation date on `on`; `soon`: within six months of it."""
    from ledger.models import ItemKind, ItemStatus

    queryset = queryset.filter(
        status=ItemStatus.OPEN, kind=ItemKind.INVOICE, due_date__isnull=False
    ).annotate(limitation_start=_period_start())
    live_from = _latest_live_start(on)
    if chosen == "barred":
        return queryset.filter(limitation_start__lt=live_from)
    soon_until = _latest_live_start(_add_months(on, SOON_MONTHS))
    return queryset.filter(limitation_start__gte=live_from, limitation_start__lt=soon_until)


def _add_months(day: date, months: int) -> date:
    return months_before(day, -months)


def item_limitation_dates(*, item_ids: list[int], on: date) -> dict[int, date]:
    """Limitation dates of the items past or within six months of it, for the badges."""
    from ledger.models import ItemKind, ItemStatus, OpenItem

    rules = collection_rules()
    rows = (
        OpenItem.objects.filter(
            pk__in=item_ids, due_date__isnull=False, status=ItemStatus.OPEN, kind=ItemKind.INVOICE
        )
        .annotate(limitation_start=_period_start())
        .values_list("pk", "limitation_start")
    )
    horizon = _add_months(on, SOON_MONTHS)
    found = {}
    for pk, start in rows:
        expires = rules.period_end("limitation", start=start)
        if expires <= horizon:
            found[pk] = expires
    return found


def case_limitation_date(*, case_id: int, on: date) -> date | None:
    """The case's limitation date by the full rules (payments, acknowledgments and filings
    on the case), as the planner sees it; None once a legal step has interrupted it."""
    from debt_collection.autopilot.facts import organization_facts
    from debt_collection.planning import history_of
    from debt_collection.rules import limitation_date_for_case

    facts = organization_facts(on=on, case_ids=[case_id], with_free_items=False)
    found = [case for case in facts.cases if case.case_id == case_id]
    if not found:
        return None
    return limitation_date_for_case(case=history_of(found[0]), rules=collection_rules())
