"""Load what the planner needs for one organisation, in a fixed number of queries.

Thirteen queries whatever the number of cases or items: the settings, the open cases, their
items, their claim ledger (summed per part and invoice), their payments, their letters
with the fees they carried, their objections, the debtor's acknowledgments recorded on
them or their items, their vouchers' keys, the customers'
postings that say what was received (credit notes, credit balances, Kredin's own lines),
the items in no case (with the day a standing objection disputes one and the last
acknowledgment recorded on it), the customers' types and the register's flags. Everything
runs in the organisation's scope.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Least

from brreg.selectors import customer_dunning_blocks
from debt_collection.models import (
    CLAIM_KINDS,
    VOUCHER_TEXT_PREFIX,
    Acknowledgment,
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
    Objection,
    PaymentPart,
    Sequence,
    VoucherPosting,
)
from debt_collection.planning import (
    NOTES,
    CaseFacts,
    CaseItemFacts,
    ItemFacts,
    OrganizationFacts,
    PlanSettings,
)
from debt_collection.rules import Objection as RuleObjection
from debt_collection.rules import Payment, SentLetter, StepCode
from debt_collection.selectors import collection_settings_get
from ledger.models import (
    Customer,
    CustomerType,
    ItemKind,
    ItemStatus,
    LedgerTransaction,
    OpenItem,
    TransactionKind,
)

ZERO = Decimal("0.00")
LETTER_STATUSES = (DocumentStatus.READY, DocumentStatus.SENT)
COST_KINDS = frozenset({EntryKind.FEE, EntryKind.COMPENSATION, EntryKind.COURT_FEE})
KREDIN_TEXT = VOUCHER_TEXT_PREFIX


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
        remainder_note_percent=settings.remainder_note_percent,
        interest_note=settings.interest_note,
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
    claim = _claim_ledger(ids)
    letters, notes = _letters(ids)
    payments = _payments(ids)
    objections = _objections(ids)
    acknowledgments = _acknowledgments(ids, items)
    mirror = _mirror_money(case_rows, items)
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
                    paid_recorded=claim.principal_paid.get((pk, item.item_id), ZERO),
                    interest_until=claim.interest_until.get((pk, item.item_id), item.due_date),
                    credited=claim.credited.get((pk, item.item_id), ZERO),
                    credited_in_ledger=mirror.credit_notes.get(
                        (customer_id, item.invoice_no), ZERO
                    ),
                    principal_payments=tuple(claim.principal_payments.get((pk, item.item_id), ())),
                )
                for item, principal in items.get(pk, [])
            ),
            letters=tuple(letters.get(pk, [])),
            notes=tuple(notes.get(pk, [])),
            payments=tuple(payments.get(pk, [])),
            objections=tuple(objections.get(pk, [])),
            acknowledgments=tuple(sorted(acknowledgments.get(pk, ()))),
            claimed=claim.sums.get((pk, "claimed"), ZERO),
            settled=claim.sums.get((pk, "settled"), ZERO),
            paused_until=paused_until,
            pause_reason=pause_reason,
            costs_due=claim.parts.get((pk, "costs"), ZERO),
            costs_claimed=claim.parts.get((pk, "costs_claimed"), ZERO),
            interest_due=claim.parts.get((pk, "interest"), ZERO),
            received_recorded=claim.received.get(pk, ZERO),
            received_elsewhere=mirror.elsewhere.get(pk, ZERO),
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
            Customer.objects.filter(
                pk__in=customer_ids, customer_type=CustomerType.BUSINESS
            ).values_list("pk", flat=True)
        ),
        register_blocks={
            key: tuple(value)
            for key, value in customer_dunning_blocks(customer_ids=list(customer_ids)).items()
        },
    )


def _item(row) -> ItemFacts:
    item_id, customer_id, invoice_no, due_date, outstanding, kid, *extra = row
    return ItemFacts(
        item_id=item_id,
        customer_id=customer_id,
        invoice_no=invoice_no,
        due_date=due_date,
        outstanding=outstanding,
        kid=kid,
        objected_on=extra[0] if extra else None,
        acknowledged_on=extra[1] if len(extra) > 1 else None,
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


@dataclass
class _ClaimLedger:
    sums: dict[tuple[int, str], Decimal] = field(default_factory=dict)  # claimed / settled
    parts: dict[tuple[int, str], Decimal] = field(default_factory=dict)  # costs / interest due
    principal_paid: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    principal_payments: dict[tuple[int, int], list] = field(default_factory=dict)
    credited: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    interest_until: dict[tuple[int, int], date] = field(default_factory=dict)
    received: dict[int, Decimal] = field(default_factory=dict)  # money from the ledger


def _add(table: dict, key, amount: Decimal) -> None:
    table[key] = table.get(key, ZERO) + amount


def _claim_ledger(case_ids: list[int]) -> _ClaimLedger:
    """The claim ledger summed per case, part and invoice, in one query."""
    found = _ClaimLedger()
    rows = (
        ClaimEntry.objects.filter(case_id__in=case_ids)
        .values("case_id", "kind", "open_item_id", "part", "rule", "entry_date")
        .annotate(total=Sum("amount"))
        .order_by("entry_date")
    )
    for row in rows:
        case_id, kind, item_id, total = (
            row["case_id"],
            row["kind"],
            row["open_item_id"],
            row["total"],
        )
        side = "claimed" if kind in CLAIM_KINDS else "settled"
        _add(found.sums, (case_id, side), total if side == "claimed" else -total)
        if kind in COST_KINDS:
            _add(found.parts, (case_id, "costs"), total)
            _add(found.parts, (case_id, "costs_claimed"), total)
        elif kind == EntryKind.INTEREST:
            _add(found.parts, (case_id, "interest"), total)
            if item_id is not None:
                found.interest_until[(case_id, item_id)] = row["entry_date"]
        elif kind == EntryKind.PRINCIPAL and row["rule"] == "credit_note" and item_id:
            _add(found.credited, (case_id, item_id), -total)
        elif kind == EntryKind.PAYMENT:
            part = row["part"] or (PaymentPart.PRINCIPAL if item_id else PaymentPart.COSTS)
            if part in (PaymentPart.COSTS, PaymentPart.INTEREST):
                _add(found.parts, (case_id, part), total)
            if part == PaymentPart.PRINCIPAL and item_id is not None:
                _add(found.principal_paid, (case_id, item_id), -total)
                found.principal_payments.setdefault((case_id, item_id), []).append(
                    (row["entry_date"], -total)
                )
            if row["rule"] == "payment_in_ledger":
                _add(found.received, case_id, -total)
    return found


@dataclass
class _MirrorMoney:
    credit_notes: dict[tuple[int, str], Decimal]  # (customer, invoice no) → credited
    elsewhere: dict[int, Decimal]  # case → credit balance and Kredin lines paid


def _mirror_money(case_rows, items) -> _MirrorMoney:
    """What the mirrored customer postings show beyond the case's invoices, in one query:
    credit notes on them, the customers' credit balances (money Business NXT could not
    match), and how far Kredin's own voucher lines on each case were paid. Postings, not
    open items: a voucher line paid before the next sync was never an open item here."""
    customer_ids = {row[1] for row in case_rows}
    first_case: dict[int, int] = {}  # a customer's credit balance goes to its oldest case
    for case_id, customer_id, *_rest in sorted(case_rows):
        if items.get(case_id):
            first_case.setdefault(customer_id, case_id)
    keys = dict(
        VoucherPosting.objects.filter(case_id__in=[row[0] for row in case_rows]).values_list(
            "key", "case_id"
        )
    )
    credit_notes: dict[tuple[int, str], Decimal] = {}
    elsewhere: dict[int, Decimal] = {}
    rows = LedgerTransaction.objects.filter(customer_id__in=customer_ids).filter(
        Q(kind=TransactionKind.CREDIT_NOTE) | Q(outstanding__lt=0) | Q(text__startswith=KREDIN_TEXT)
    )
    for customer_id, kind, invoice_no, text, amount, outstanding in rows.values_list(
        "customer_id", "kind", "invoice_no", "text", "amount", "outstanding"
    ):
        if kind == TransactionKind.CREDIT_NOTE:
            _add(credit_notes, (customer_id, invoice_no), -amount)
        elif text.startswith(KREDIN_TEXT):
            words = text.split()
            case_id = keys.get(words[1]) if len(words) > 1 else None
            if case_id is not None:
                _add(elsewhere, case_id, amount - outstanding)
        elif customer_id in first_case:
            _add(elsewhere, first_case[customer_id], -outstanding)
    return _MirrorMoney(credit_notes=credit_notes, elsewhere=elsewhere)


def _letters(
    case_ids: list[int],
) -> tuple[dict[int, list[SentLetter]], dict[int, list[SentLetter]]]:
    """The sequence's letters per case, and apart from them the restnota and rentenota."""
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
    notes: dict[int, list[SentLetter]] = defaultdict(list)
    for case_id, step, planned_for, deadline, fee, compensation in documents:
        (notes if step in NOTES else found)[case_id].append(
            SentLetter(
                step=StepCode(step),
                sent_on=planned_for,
                deadline=deadline,
                fee_charged=fee or ZERO,
                compensation_charged=compensation or ZERO,
            )
        )
    return found, notes


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


def _objections(case_ids: list[int]) -> dict[int, list[RuleObjection]]:
    rows = (
        Objection.objects.filter(case_id__in=case_ids)
        .values_list("case_id", "raised_on", "withdrawn_on")
        .order_by("raised_on", "pk")
    )
    found: dict[int, list[RuleObjection]] = defaultdict(list)
    for case_id, raised_on, withdrawn_on in rows:
        found[case_id].append(RuleObjection(raised_on=raised_on, withdrawn_on=withdrawn_on))
    return found


def _acknowledgments(case_ids: list[int], items) -> dict[int, set]:
    """The days the debtor acknowledged each case: on the case, or on an item it holds."""
    holders: dict[int, list[int]] = defaultdict(list)
    for case_id, rows in items.items():
        for item, _principal in rows:
            holders[item.item_id].append(case_id)
    rows = Acknowledgment.objects.filter(
        Q(case_id__in=case_ids) | Q(open_item_id__in=list(holders))
    ).values_list("case_id", "open_item_id", "acknowledged_on")
    found: dict[int, set] = defaultdict(set)
    for case_id, item_id, day in rows:
        if case_id is not None and case_id in items:
            found[case_id].add(day)
        for holder in holders.get(item_id, ()):
            found[holder].add(day)
    return found


def _last_acknowledged():
    """The last acknowledgment recorded on the item itself (a subquery of its row)."""
    return Subquery(
        Acknowledgment.objects.filter(open_item_id=OuterRef("pk"))
        .order_by("-acknowledged_on")
        .values("acknowledged_on")[:1]
    )


def _disputed_since():
    """The day the earliest standing objection on the item was raised: its own, or one on
    the whole of a case that held it (subqueries of the item's row)."""
    standing = Objection.objects.filter(withdrawn_on__isnull=True).order_by("raised_on")
    own = Subquery(standing.filter(open_item_id=OuterRef("pk")).values("raised_on")[:1])
    whole = Subquery(
        standing.filter(
            open_item__isnull=True, case__case_items__open_item_id=OuterRef("pk")
        ).values("raised_on")[:1]
    )
    # LEAST ignores NULL on PostgreSQL but not on SQLite: give each side the other's value.
    return Least(Coalesce(own, whole), Coalesce(whole, own))


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
        .exclude(text__startswith=KREDIN_TEXT)  # Kredin's own fee and interest lines
        .annotate(objected_on=_disputed_since(), acknowledged_on=_last_acknowledged())
        .values_list(*ITEM_FIELDS, "objected_on", "acknowledged_on")
        .order_by("customer_id", "due_date", "pk")
    )
    return [_item(row) for row in rows]
