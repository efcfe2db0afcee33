"""Reads of cases: the list with its filters, one case's claim and history, the markers
the reskontro shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from debt_collection.models import (
    CLAIM_KINDS,
    Case,
    CaseItem,
    CaseState,
    ClaimEntry,
    Document,
    EntryKind,
    TimelineEvent,
)
from debt_collection.rules import late_interest
from debt_collection.selectors.rules import collection_rules

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class CaseFilter:
    state: str = ""  # a CaseState value, or "open" for every state but closed
    step: str = ""
    q: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    next_by: date | None = None


def case_list(*, flt: CaseFilter) -> QuerySet[Case]:
    cases = Case.objects.select_related("customer").annotate(
        remaining=Coalesce(Sum("entries__amount"), Value(ZERO), output_field=MONEY)
    )
    if flt.state == "open":
        cases = cases.exclude(state=CaseState.CLOSED)
    elif flt.state:
        cases = cases.filter(state=flt.state)
    if flt.step:
        cases = cases.filter(current_step=flt.step)
    if flt.q:
        text = flt.q.strip()
        match = Q(customer__name__icontains=text) | Q(
            case_items__open_item__invoice_no__iexact=text
        )
        number = text.upper().removeprefix("S-")
        if number.isdigit():
            match |= Q(number=int(number))
        cases = cases.filter(match)
    if flt.amount_min is not None:
        cases = cases.filter(remaining__gte=flt.amount_min)
    if flt.amount_max is not None:
        cases = cases.filter(remaining__lte=flt.amount_max)
    if flt.next_by is not None:
        cases = cases.filter(next_on__lte=flt.next_by)
    return cases.distinct().order_by("-number")


def case_step_counts() -> dict[str, int]:
    """Open cases per step they have reached ("" before the first letter)."""
    rows = (
        Case.objects.exclude(state=CaseState.CLOSED)
        .values("current_step")
        .annotate(count=Count("pk"))
    )
    return {row["current_step"]: row["count"] for row in rows}


@dataclass(frozen=True)
class Claim:
    principal: Decimal
    fees: Decimal
    compensation: Decimal
    court_fees: Decimal
    interest_booked: Decimal
    interest_since: Decimal  # accrued after the last letter, not yet in the claim
    paid: Decimal
    written_off: Decimal

    @property
    def booked(self) -> Decimal:
        return (
            self.principal + self.fees + self.compensation + self.court_fees
            + self.interest_booked - self.paid - self.written_off
        )

    @property
    def to_date(self) -> Decimal:
        return self.booked + self.interest_since


@dataclass(frozen=True)
class CaseView:
    case: Case
    claim: Claim
    items: list[CaseItem]
    entries: list[ClaimEntry]
    timeline: list[TimelineEvent]
    documents: list[Document]
    other_open_cases: list[Case] = field(default_factory=list)

    @property
    def payments(self) -> list[ClaimEntry]:
        """Each payment's shares, in the legal order they were applied."""
        return [entry for entry in self.entries if entry.kind == EntryKind.PAYMENT]


def case_view(*, case: Case, today: date) -> CaseView:
    entries = list(
        ClaimEntry.objects.filter(case=case).select_related(
            "document", "open_item", "voucher_posting"
        )
    )
    totals: dict[str, Decimal] = {}
    for entry in entries:
        totals[entry.kind] = totals.get(entry.kind, ZERO) + entry.amount
    items = list(
        CaseItem.objects.filter(case=case).select_related("open_item").order_by("added_on", "pk")
    )
    interest_since = ZERO
    last_interest = {e.open_item_id: e.entry_date for e in entries if e.kind == EntryKind.INTEREST}
    # Interest runs on the principal still owed: less credit notes and principal paid.
    principal_off: dict[int, Decimal] = {}
    for entry in entries:
        credit = entry.kind == EntryKind.PRINCIPAL and entry.rule == "credit_note"
        paid = entry.kind == EntryKind.PAYMENT and entry.part in ("principal", "")
        if entry.open_item_id and (credit or paid):
            principal_off[entry.open_item_id] = (
                principal_off.get(entry.open_item_id, ZERO) - entry.amount
            )
    rules = collection_rules()
    for link in items:
        if link.released_on is not None or link.open_item.due_date is None:
            continue
        start = max(last_interest.get(link.open_item_id, link.open_item.due_date),
                    link.open_item.due_date)
        owed = link.principal - principal_off.get(link.open_item_id, ZERO)
        interest_since += late_interest(max(owed, ZERO), start, today, rules=rules)
    claim = Claim(
        principal=totals.get(EntryKind.PRINCIPAL, ZERO),
        fees=totals.get(EntryKind.FEE, ZERO),
        compensation=totals.get(EntryKind.COMPENSATION, ZERO),
        court_fees=totals.get(EntryKind.COURT_FEE, ZERO),
        interest_booked=totals.get(EntryKind.INTEREST, ZERO),
        interest_since=interest_since if case.is_open else ZERO,
        paid=-totals.get(EntryKind.PAYMENT, ZERO),
        written_off=-totals.get(EntryKind.WRITE_OFF, ZERO),
    )
    return CaseView(
        case=case,
        claim=claim,
        items=items,
        entries=entries,
        timeline=list(TimelineEvent.objects.filter(case=case).select_related("actor")),
        documents=list(Document.objects.filter(case=case).prefetch_related("deliveries")),
        other_open_cases=list(
            Case.objects.filter(customer_id=case.customer_id)
            .exclude(pk=case.pk)
            .exclude(state=CaseState.CLOSED)
        ),
    )


def open_case_numbers(*, item_ids: list[int]) -> dict[int, tuple[int, int]]:
    """item id → (case id, case number) for the items an open case holds."""
    rows = CaseItem.objects.filter(open_item_id__in=item_ids, released_on__isnull=True)
    return {
        item_id: (case_id, number)
        for item_id, case_id, number in rows.values_list(
            "open_item_id", "case_id", "case__number"
        )
    }


def items_in_open_cases():
    """The open items some open case holds, as a subquery of ids."""
    return CaseItem.objects.filter(released_on__isnull=True).values("open_item_id")


def claim_kinds_total(entries: list[ClaimEntry]) -> Decimal:
    return sum((e.amount for e in entries if e.kind in CLAIM_KINDS), ZERO)
