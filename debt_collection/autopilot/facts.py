"""Load what the planner needs for one organisation, in a fixed number of queries.

Ten queries whatever the number of cases or items: the settings, the open cases, their
items, their claim entries (summed), their payments, their letters with the fees they
carried, the items in no case, the customers' types and the register's flags. Everything
runs in the organisation's scope.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q, Sum

from brreg.selectors import customer_dunning_blocks
from debt_collection.models import (
    CLAIM_KINDS,
    AutopilotMode,
    BusinessRoute,
    Case,
    CaseItem,
    CaseState,
    ClaimEntry,
    CollectionSettings,
    Document,
    DocumentStatus,
    EntryKind,
    Sequence,
)
from debt_collection.planning import (
    CaseFacts,
    CaseItemFacts,
    ItemFacts,
    OrganizationFacts,
    PlanSettings,
)
from debt_collection.rules import Payment, SentLetter, StepCode
from debt_collection.selectors import collection_settings_get
from ledger.models import Customer, CustomerType, ItemKind, ItemStatus, OpenItem

ZERO = Decimal("0.00")
LETTER_STATUSES = (DocumentStatus.READY, DocumentStatus.SENT)


def plan_settings(settings: CollectionSettings) -> PlanSettings:
    return PlanSettings(
        automatic_start=settings.autopilot == AutopilotMode.AUTOMATIC,
        full_sequence=settings.sequence == Sequence.FULL,
        use_friendly_reminder=settings.use_friendly_reminder,
        use_final_notice=settings.use_final_notice,
        days_after_due=settings.days_after_due,
        days_between_steps=settings.days_between_steps,
        minimum_amount=settings.minimum_amount,
        bankruptcy_route=settings.business_route == BusinessRoute.BANKRUPTCY,
        tiny_remainder=settings.tiny_remainder,
    )


def organization_facts(
    *, on: date, case_ids: list[int] | None = None, with_free_items: bool = True
) -> OrganizationFacts:
    settings = collection_settings_get()
    cases = Case.objects.exclude(state=CaseState.CLOSED)
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    case_rows = list(
        cases.values_list(
            "pk", "customer_id", "state", "debtor_is_business", "paused_until", "pause_reason"
        )
    )
    ids = [row[0] for row in case_rows]
    items = _case_items(ids)
    sums, paid_by_item, interest_until = _entry_sums(ids)
    letters = _letters(ids)
    payments = _payments(ids)
    facts = [
        CaseFacts(
            case_id=pk,
            customer_id=customer_id,
            state=state,
            debtor_is_business=business,
            items=tuple(
                CaseItemFacts(
                    item=item,
                    principal=principal,
                    paid_recorded=paid_by_item.get((pk, item.item_id), ZERO),
                    interest_until=interest_until.get((pk, item.item_id), item.due_date),
                )
                for item, principal in items.get(pk, [])
            ),
            letters=tuple(letters.get(pk, [])),
            payments=tuple(payments.get(pk, [])),
            claimed=sums.get((pk, "claimed"), ZERO),
            settled=sums.get((pk, "settled"), ZERO),
            paused_until=paused_until,
            pause_reason=pause_reason,
        )
        for pk, customer_id, state, business, paused_until, pause_reason in case_rows
        if items.get(pk)
    ]
    free = _free_items(on) if with_free_items else []
    customer_ids = {case.customer_id for case in facts} | {item.customer_id for item in free}
    return OrganizationFacts(
        settings=plan_settings(settings),
        cases=tuple(facts),
        free_items=tuple(free),
        business_customers=frozenset(
            Customer.objects.filter(pk__in=customer_ids, customer_type=CustomerType.BUSINESS)
            .values_list("pk", flat=True)
        ),
        register_blocks={
            key: tuple(value)
            for key, value in customer_dunning_blocks(customer_ids=list(customer_ids)).items()
        },
    )


def _item(row) -> ItemFacts:
    item_id, customer_id, invoice_no, due_date, outstanding, kid = row
    return ItemFacts(
        item_id=item_id,
        customer_id=customer_id,
        invoice_no=invoice_no,
        due_date=due_date,
        outstanding=outstanding,
        kid=kid,
    )


ITEM_FIELDS = ("pk", "customer_id", "invoice_no", "due_date", "outstanding", "kid")


def _case_items(case_ids: list[int]) -> dict[int, list[tuple[ItemFacts, Decimal]]]:
    rows = CaseItem.objects.filter(case_id__in=case_ids, released_on__isnull=True).values_list(
        "case_id",
        "principal",
        *(f"open_item__{name}" if name != "pk" else "open_item_id" for name in ITEM_FIELDS),
    )
    found: dict[int, list[tuple[ItemFacts, Decimal]]] = defaultdict(list)
    for case_id, principal, *item in rows:
        found[case_id].append((_item(item), principal))
    return found


def _entry_sums(case_ids: list[int]):
    """(case, "claimed"|"settled") → total, (case, item) → payments, (case, item) → last
    interest day."""
    sums: dict[tuple[int, str], Decimal] = {}
    paid_by_item: dict[tuple[int, int], Decimal] = {}
    interest_until: dict[tuple[int, int], date] = {}
    rows = (
        ClaimEntry.objects.filter(case_id__in=case_ids)
        .values("case_id", "kind", "open_item_id")
        .annotate(total=Sum("amount"), last=Max("entry_date"))
    )
    for row in rows:
        case_id, kind, item_id = row["case_id"], row["kind"], row["open_item_id"]
        side = "claimed" if kind in CLAIM_KINDS else "settled"
        amount = row["total"] if side == "claimed" else -row["total"]
        sums[(case_id, side)] = sums.get((case_id, side), ZERO) + amount
        if kind == EntryKind.PAYMENT and item_id is not None:
            paid_by_item[(case_id, item_id)] = -row["total"]
        if kind == EntryKind.INTEREST and item_id is not None:
            interest_until[(case_id, item_id)] = row["last"]
    return sums, paid_by_item, interest_until


def _letters(case_ids: list[int]) -> dict[int, list[SentLetter]]:
    documents = (
        Document.objects.filter(case_id__in=case_ids, status__in=LETTER_STATUSES)
        .annotate(
            fee=Sum("entries__amount", filter=Q(entries__kind=EntryKind.FEE)),
            compensation=Sum("entries__amount", filter=Q(entries__kind=EntryKind.COMPENSATION)),
        )
        .values_list("case_id", "step", "planned_for", "deadline", "fee", "compensation")
        .order_by("planned_for", "pk")
    )
    found: dict[int, list[SentLetter]] = defaultdict(list)
    for case_id, step, planned_for, deadline, fee, compensation in documents:
        found[case_id].append(
            SentLetter(
                step=StepCode(step),
                sent_on=planned_for,
                deadline=deadline,
                fee_charged=fee or ZERO,
                compensation_charged=compensation or ZERO,
            )
        )
    return found


def _payments(case_ids: list[int]) -> dict[int, list[Payment]]:
    rows = (
        ClaimEntry.objects.filter(case_id__in=case_ids, kind=EntryKind.PAYMENT)
        .values("case_id", "entry_date")
        .annotate(total=Sum("amount"))
        .order_by("entry_date")
    )
    found: dict[int, list[Payment]] = defaultdict(list)
    for row in rows:
        found[row["case_id"]].append(Payment(paid_on=row["entry_date"], amount=-row["total"]))
    return found


def _free_items(on: date) -> list[ItemFacts]:
    """Open, overdue invoices in no open case."""
    in_cases = CaseItem.objects.filter(released_on__isnull=True).values("open_item_id")
    rows = (
        OpenItem.objects.filter(
            status=ItemStatus.OPEN,
            kind=ItemKind.INVOICE,
            due_date__lt=on,
            outstanding__gt=0,
        )
        .exclude(pk__in=in_cases)
        .values_list(*ITEM_FIELDS)
        .order_by("customer_id", "due_date", "pk")
    )
    return [_item(row) for row in rows]
