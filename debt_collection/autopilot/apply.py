"""Carry planned actions out: cases, claim entries, letters and timeline, in bulk.

One transaction for a whole run, so a crash leaves the organisation as it was (a case is
never started without its first letter, nor a letter planned without its fee and interest
in the claim). Running the same day again finds the letters already there and plans
nothing new; the database's unique keys (one letter per case, step and day; one open case
per item) stop a second process that plans at the same moment.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum

from brreg.models import CustomerEnrichment
from debt_collection.documents import letter_content
from debt_collection.legal.notifications import legal_step_notify, limitation_warning_notify
from debt_collection.models import (
    CLAIM_KINDS,
    Case,
    CaseItem,
    CaseState,
    ClaimEntry,
    CloseReason,
    CollectionSettings,
    Document,
    DocumentStatus,
    EntryKind,
    PaymentPart,
    TimelineEvent,
    VoucherPosting,
)
from debt_collection.notifications import notify_owners_register_pause
from debt_collection.payments import share_total
from debt_collection.planning import Action, ItemFacts, Letter, Plan
from debt_collection.rules import Rules, StepCode
from debt_collection.selectors import collection_settings_get
from kredin.models import Organization, User
from kredin.tenancy import current_organization_id
from ledger.models import Customer, OpenItem

ZERO = Decimal("0.00")
LETTER_ACTIONS = ("start_case", "send_step", "send_note")
# Closing for these reasons writes the rest off in the claim ledger.
WRITTEN_OFF_ON_CLOSE = frozenset(
    {CloseReason.TINY_REMAINDER, CloseReason.PRINCIPAL_PAID, CloseReason.CREDITED}
)


def voucher_key() -> str:
    """A key no other voucher has, short enough for Business NXT's voucher text."""
    return "KRD" + secrets.token_hex(5).upper()


@dataclass
class Applied:
    started: list[int] = field(default_factory=list)  # case ids
    documents: list[int] = field(default_factory=list)
    vouchers: list[int] = field(default_factory=list)  # VoucherPosting ids
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@transaction.atomic
def apply_plan(
    *, plan: Plan, rules: Rules, actor: User | None = None, kinds: tuple[str, ...] | None = None
) -> Applied:
    """Write the plan's actions (all of them, or only `kinds`); waits write nothing."""
    organization_id = current_organization_id()
    actions = [a for a in plan.actions if a.kind != "wait" and (kinds is None or a.kind in kinds)]
    writer = _Writer(organization_id=organization_id, on=plan.on, rules=rules, actor=actor)
    writer.load(actions)
    for action in actions:
        writer.apply(action)
    writer.flush()
    return writer.applied


class _Writer:
    def __init__(self, *, organization_id: int, on: date, rules: Rules, actor: User | None):
        self.organization_id, self.on, self.rules, self.actor = organization_id, on, rules, actor
        self.applied = Applied()
        self.entries: list[ClaimEntry] = []
        self.events: list[TimelineEvent] = []
        self.settings: CollectionSettings = collection_settings_get()
        self.register_paused: list[tuple[int, int, int]] = []

    # -- reading what the actions need, a query per kind of thing ------------------------

    def load(self, actions: list[Action]) -> None:
        customer_ids = {
            a.customer_id for a in actions if a.kind in (*LETTER_ACTIONS, "record_payment")
        }
        case_ids = {a.case_id for a in actions if a.case_id}
        self.customers = Customer.objects.in_bulk(customer_ids)
        self.letter_names = dict(
            CustomerEnrichment.objects.filter(customer_id__in=customer_ids)
            .exclude(letter_name="")
            .values_list("customer_id", "letter_name")
        )
        self.cases = Case.objects.in_bulk(case_ids)
        item_ids = {i for a in actions for i in a.item_ids}
        self.items = OpenItem.objects.in_bulk(item_ids)
        links = CaseItem.objects.filter(case_id__in=case_ids, released_on__isnull=True)
        self.case_items: dict[int, list[CaseItem]] = defaultdict(list)
        for link in links.select_related("open_item"):
            self.case_items[link.case_id].append(link)
        self.balances = _balances(case_ids)
        self.payment_days = _payment_days(case_ids)

    # -- one action ------------------------------------------------------------------------

    def apply(self, action: Action) -> None:
        self.applied.counts[action.kind] += 1
        handler = getattr(self, f"_{action.kind}")
        handler(action)

    def _start_case(self, action: Action) -> None:
        case = self._new_case(action)
        links = [
            CaseItem(
                organization_id=self.organization_id,
                case=case,
                open_item_id=item_id,
                principal=self.items[item_id].outstanding,
                added_on=self.on,
            )
            for item_id in action.item_ids
        ]
        CaseItem.objects.bulk_create(links)
        self.case_items[case.pk] = links
        for link in links:
            link.open_item = self.items[link.open_item_id]
            self._entry(
                case,
                EntryKind.PRINCIPAL,
                link.principal,
                item_id=link.open_item_id,
                rule="case_started",
                source="reskontro",
            )
        self.balances[case.pk] = (sum((link.principal for link in links), ZERO), ZERO, ZERO)
        self._event(
            case,
            "case_started",
            {"items": len(links), "by": "autopilot" if self.actor is None else "user"},
        )
        self.applied.started.append(case.pk)
        if action.letter is not None:
            self._send_step(action, case=case)

    def _new_case(self, action: Action) -> Case:
        number = self._next_number()
        case = Case.objects.create(
            organization_id=self.organization_id,
            number=number,
            customer_id=action.customer_id,
            debtor_is_business=self.customers[action.customer_id].customer_type == "business",
            started_by=self.actor,
            started_on=self.on,
        )
        self.cases[case.pk] = case
        return case

    def _next_number(self) -> int:
        if not hasattr(self, "_last_number"):
            # The organisation row is the lock that keeps two runs from taking one number.
            Organization.objects.select_for_update().filter(pk=self.organization_id).first()
            self._last_number = Case.objects.aggregate(last=Max("number"))["last"] or 0
        self._last_number += 1
        return self._last_number

    def _send_step(self, action: Action, *, case: Case | None = None) -> None:
        case = case or self.cases[action.case_id]
        letter = action.letter
        links = self.case_items[case.pk]
        customer = self.customers.get(case.customer_id) or Customer.objects.get(pk=case.customer_id)
        _principal, charges, paid = self.balances.get(case.pk, (ZERO, ZERO, ZERO))
        content = letter_content(
            letter=letter,
            case_number=case.number,
            customer=customer,
            letter_name=self.letter_names.get(case.customer_id, ""),
            items=[_facts(link.open_item) for link in links],
            settings=self.settings,
            charges_before=charges,
            paid_before=paid,
            rules=self.rules,
            payments=self.payment_days.get(case.pk, []),
        )
        document = Document.objects.create(
            organization_id=self.organization_id,
            case=case,
            step=str(letter.step),
            status=DocumentStatus.READY,
            planned_for=self.on,
            deadline=letter.deadline,
            content=content,
            created_by=self.actor,
        )
        self._letter_entries(case, document, letter)
        case.current_step = str(letter.step)
        case.save(update_fields=["current_step"])
        self._event(
            case,
            "letter_planned",
            {"step": str(letter.step), "document": document.pk, "deadline": content["deadline"]},
        )
        self.applied.documents.append(document.pk)

    def _letter_entries(self, case: Case, document: Document, letter: Letter) -> None:
        source = f"{letter.step}: {_basis(letter.step, letter.on, self.rules)}"
        if letter.fee:
            self._entry(
                case,
                EntryKind.FEE,
                letter.fee,
                document=document,
                rule=f"fee:{letter.step}",
                source=source,
            )
        if letter.compensation:
            self._entry(
                case,
                EntryKind.COMPENSATION,
                letter.compensation,
                document=document,
                rule="b2b_compensation",
                source="forsinkelsesrenteloven § 3a",
            )
        for row in letter.interest:
            if row.new:
                self._entry(
                    case,
                    EntryKind.INTEREST,
                    row.new,
                    document=document,
                    item_id=row.item_id,
                    rule="late_interest",
                    source="forsinkelsesrenteloven § 3",
                )

    def _record_payment(self, action: Action) -> None:
        """Interest up to the day, then the payment's shares in the legal order; the fee and
        interest shares get a voucher (an outbox row, written in this transaction)."""
        case = self.cases[action.case_id]
        for row in action.accrued:
            if row.new:
                self._entry(
                    case,
                    EntryKind.INTEREST,
                    row.new,
                    item_id=row.item_id,
                    rule="late_interest_to_payment",
                    source="forsinkelsesrenteloven § 3",
                )
        income = share_total(action.shares, PaymentPart.COSTS, PaymentPart.INTEREST)
        posting = self._voucher_posting(case, action) if income > ZERO else None
        for share in action.shares:
            self._entry(
                case,
                EntryKind.PAYMENT,
                -share.amount,
                item_id=share.item_id,
                rule="payment_in_ledger",
                source="reskontro",
                part=share.part,
                voucher_posting=posting
                if share.part in (PaymentPart.COSTS, PaymentPart.INTEREST)
                else None,
            )
        principal, charges, paid = self.balances.get(case.pk, (ZERO, ZERO, ZERO))
        self.balances[case.pk] = (principal, charges, paid + action.amount)
        self.payment_days.setdefault(case.pk, []).append((self.on, action.amount))
        self._event(
            case,
            "payment_recorded",
            {
                "amount": str(action.amount),
                **{part: str(share_total(action.shares, part)) for part in PaymentPart.values},
            },
        )

    def _voucher_posting(self, case: Case, action: Action) -> VoucherPosting | None:
        links = self.case_items[case.pk]
        first = min(links, key=lambda link: (link.open_item.due_date, link.open_item_id))
        if first.open_item.integration_id is None:
            return None  # an item no accounting system holds: nothing to book there
        customer = self.customers.get(case.customer_id) or Customer.objects.get(pk=case.customer_id)
        posting = VoucherPosting.objects.create(
            organization_id=self.organization_id,
            case=case,
            integration_id=first.open_item.integration_id,
            key=voucher_key(),
            customer_no=customer.customer_no or int(customer.external_id),
            invoice_no=first.open_item.invoice_no,
            voucher_date=self.on,
            costs=share_total(action.shares, PaymentPart.COSTS),
            interest=share_total(action.shares, PaymentPart.INTEREST),
        )
        self.applied.vouchers.append(posting.pk)
        return posting

    def _record_credit(self, action: Action) -> None:
        case = self.cases[action.case_id]
        self._entry(
            case,
            EntryKind.PRINCIPAL,
            -action.amount,
            item_id=action.item_ids[0],
            rule="credit_note",
            source="reskontro",
        )
        principal, charges, paid = self.balances.get(case.pk, (ZERO, ZERO, ZERO))
        self.balances[case.pk] = (principal - action.amount, charges, paid)
        self._event(case, "credit_recorded", {"amount": str(action.amount)})

    def _send_note(self, action: Action) -> None:
        """A restnota or rentenota: a letter like the others, but the case keeps its step."""
        case = self.cases[action.case_id]
        step = case.current_step
        self._send_step(action, case=case)
        case.current_step = step
        case.save(update_fields=["current_step"])

    def _close(self, action: Action) -> None:
        case = self.cases[action.case_id]
        if action.detail in WRITTEN_OFF_ON_CLOSE and action.amount > 0:
            self._entry(
                case,
                EntryKind.WRITE_OFF,
                -action.amount,
                rule=action.detail,
                source="collection settings",
            )
        case_close(
            case=case, reason=action.detail, on=self.on, actor=self.actor, events=self.events
        )

    def _pause(self, action: Action) -> None:
        case = self.cases[action.case_id]
        case.state, case.pause_reason = CaseState.PAUSED, action.detail
        case.save(update_fields=["state", "pause_reason"])
        params = {"reason": action.detail}
        limits = [
            r.params["limitation_date"] for r in action.reasons if "limitation_date" in r.params
        ]
        if limits:
            params["limitation_date"] = limits[0].isoformat()
        self._event(case, "paused", params)
        if action.detail == "register":
            self.register_paused.append((case.pk, case.number, case.customer_id))

    def _resume(self, action: Action) -> None:
        case = self.cases[action.case_id]
        until = case.paused_until
        case.state, case.pause_reason, case.pause_note, case.paused_until = (
            CaseState.ACTIVE,
            "",
            "",
            None,
        )
        case.save(update_fields=["state", "pause_reason", "pause_note", "paused_until"])
        self._event(
            case, "resumed", {"reason": "hold_over", "until": until.isoformat() if until else None}
        )

    def _limitation_warning(self, action: Action) -> None:
        # The notification's key makes the daily run idempotent: once per case and months.
        limitation_warning_notify(
            case=self.cases[action.case_id], limitation_date=action.on, months=int(action.detail)
        )

    def _legal_step(self, action: Action) -> None:
        case = self.cases[action.case_id]
        case.state = CaseState.LEGAL
        case.save(update_fields=["state"])
        self._event(case, "legal_step_possible", {"step": str(action.step)})
        legal_step_notify(case=case, step=action.step)

    # -- collected rows ------------------------------------------------------------------

    def _entry(
        self,
        case,
        kind,
        amount,
        *,
        item_id=None,
        document=None,
        rule="",
        source="",
        part="",
        voucher_posting=None,
    ):
        self.entries.append(
            ClaimEntry(
                organization_id=self.organization_id,
                case=case,
                kind=kind,
                entry_date=self.on,
                amount=amount,
                open_item_id=item_id,
                document=document,
                rule=rule,
                source=source[:300],
                part=part,
                voucher_posting=voucher_posting,
            )
        )

    def _event(self, case, kind, params):
        self.events.append(
            TimelineEvent(
                organization_id=self.organization_id,
                case=case,
                on=self.on,
                actor=self.actor,
                kind=kind,
                params=params,
            )
        )

    def flush(self) -> None:
        ClaimEntry.objects.bulk_create(self.entries, batch_size=2000)
        TimelineEvent.objects.bulk_create(self.events, batch_size=2000)
        if self.applied.documents:
            from debt_collection.tasks import document_dispatch_task

            organization_id, documents = self.organization_id, list(self.applied.documents)
            transaction.on_commit(
                lambda: [document_dispatch_task.delay(organization_id, pk) for pk in documents]
            )
        if self.applied.vouchers:
            from debt_collection.tasks import voucher_post_task

            organization_id, vouchers = self.organization_id, list(self.applied.vouchers)
            transaction.on_commit(
                lambda: [voucher_post_task.delay(organization_id, pk) for pk in vouchers]
            )
        if self.register_paused:
            names = dict(
                Customer.objects.filter(
                    pk__in=[customer for _pk, _no, customer in self.register_paused]
                ).values_list("pk", "name")
            )
            paused = [
                (pk, number, names.get(customer, ""))
                for pk, number, customer in self.register_paused
            ]
            organization_id = self.organization_id
            transaction.on_commit(
                lambda: notify_owners_register_pause(organization_id=organization_id, cases=paused)
            )


def case_close(
    *, case: Case, reason: str, on: date, actor: User | None, events: list, note: str = ""
) -> None:
    """Close and free the case's items for a later case; the events list gets the entry."""
    case.state, case.close_reason, case.close_note, case.closed_on = (
        CaseState.CLOSED,
        reason,
        note[:500],
        on,
    )
    case.next_step, case.next_on = "", None
    fields = ["state", "close_reason", "close_note", "closed_on", "next_step", "next_on"]
    case.save(update_fields=fields)
    CaseItem.objects.filter(case=case, released_on__isnull=True).update(released_on=on)
    events.append(
        TimelineEvent(
            organization_id=case.organization_id,
            case=case,
            on=on,
            actor=actor,
            kind="closed",
            params={"reason": reason, "note": note[:500]},
        )
    )


def _balances(case_ids) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """case → (principal, fees and compensation so far, paid)."""
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    rows = ClaimEntry.objects.filter(case_id__in=case_ids).values_list("case_id", "kind", "amount")
    for case_id, kind, amount in rows:
        if kind == EntryKind.PRINCIPAL:
            totals[case_id][0] += amount
        elif kind in CLAIM_KINDS and kind != EntryKind.INTEREST:
            totals[case_id][1] += amount
        elif kind == EntryKind.PAYMENT:
            totals[case_id][2] -= amount
    return {key: tuple(value) for key, value in totals.items()}


def _payment_days(case_ids) -> dict[int, list[tuple[date, Decimal]]]:
    """case → [(day, amount paid that day)], oldest first, for letters that list them."""
    found: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    rows = (
        ClaimEntry.objects.filter(case_id__in=case_ids, kind=EntryKind.PAYMENT)
        .values("case_id", "entry_date")
        .annotate(total=Sum("amount"))
        .order_by("entry_date")
    )
    for row in rows:
        found[row["case_id"]].append((row["entry_date"], -row["total"]))
    return found


def _facts(item: OpenItem) -> ItemFacts:
    return ItemFacts(
        item_id=item.pk,
        customer_id=item.customer_id,
        invoice_no=item.invoice_no,
        due_date=item.due_date,
        outstanding=item.outstanding,
        kid=item.kid,
    )


def _basis(step: StepCode, on: date, rules: Rules) -> str:
    from debt_collection.rules import catalogue_for

    found = catalogue_for(on=on, rules=rules).step(step)
    return found.legal_basis if found else ""
