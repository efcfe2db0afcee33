"""What a person does to cases: start them from the reskontro, pause, resume, close,
reopen, merge, and send the next letter now.

Every action checks the member's permission, leaves a timeline event, and where a letter
is involved asks the same planner the autopilot uses, so a person cannot send what the
autopilot would refuse.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from brreg.selectors import customer_dunning_blocks
from debt_collection.autopilot.apply import Applied, apply_plan, case_close
from debt_collection.autopilot.facts import organization_facts
from debt_collection.models import (
    Acknowledgment,
    Case,
    CaseItem,
    CaseState,
    CloseReason,
    TimelineEvent,
)
from debt_collection.planning import (
    Action,
    ItemFacts,
    Plan,
    history_of,
    item_limitation_date,
    letter_for,
    opening_case,
    payment_shares,
    plan_organization,
    planned_steps,
    same_side_of_payment_demand,
)
from debt_collection.rules import check_step
from debt_collection.selectors import collection_rules
from debt_collection.selectors.objections import case_standing_objection, disputed_items
from kredin.audit import audit_record
from kredin.models import Membership
from kredin.permissions import Permission
from kredin.services import require_permission
from ledger.models import Customer, CustomerType, ItemKind, ItemStatus, OpenItem


class CaseError(Exception):
    """An action the rules refuse; the message is for the person who asked."""


def _require(membership: Membership, permission: Permission = Permission.WORK_CASES) -> None:
    require_permission(membership, membership.organization, permission)


def _event(case: Case, kind: str, on: date, membership: Membership | None, **params) -> None:
    TimelineEvent.objects.create(
        case=case, on=on, actor=membership.user if membership else None, kind=kind, params=params
    )


# --- starting ------------------------------------------------------------------------------


def cases_start(
    *, membership: Membership, item_ids: list[int], on: date, request: HttpRequest | None = None
) -> list[Case]:
    """One case per debtor among the chosen items, each with its first letter when the
    rules allow it today (else the case waits, and its page says until when)."""
    _require(membership)
    items = list(
        OpenItem.objects.filter(
            pk__in=item_ids, status=ItemStatus.OPEN, kind=ItemKind.INVOICE, outstanding__gt=0
        ).order_by("customer_id", "due_date", "pk")
    )
    if not items:
        raise CaseError(_("Velg minst én åpen faktura."))
    taken = dict(
        CaseItem.objects.filter(open_item__in=items, released_on__isnull=True).values_list(
            "open_item__invoice_no", "case__number"
        )
    )
    if taken:
        held = ", ".join(f"{invoice} (S-{number})" for invoice, number in sorted(taken.items()))
        raise CaseError(_("Disse fakturaene er allerede i en sak: %(items)s.") % {"items": held})
    disputed = disputed_items(item_ids=[item.pk for item in items])
    if disputed:
        named = ", ".join(
            f"{item.invoice_no} ({disputed[item.pk]:%d.%m.%Y})"
            for item in items
            if item.pk in disputed
        )
        raise CaseError(
            _(
                "Skyldneren har en innsigelse mot disse fakturaene: %(items)s. De kan ikke tas "
                "med i en ny sak før innsigelsen er trukket tilbake."
            )
            % {"items": named}
        )
    rules = collection_rules()
    facts = organization_facts(on=on, case_ids=[], with_free_items=False)
    acknowledged: dict[int, date] = {}
    for item_id, day in Acknowledgment.objects.filter(
        open_item__in=items, acknowledged_on__lte=on
    ).values_list("open_item_id", "acknowledged_on"):
        acknowledged[item_id] = max(day, acknowledged.get(item_id, day))
    by_customer: dict[int, list[ItemFacts]] = defaultdict(list)
    barred: list[str] = []
    for item in items:
        item_facts = ItemFacts(
            item.pk,
            item.customer_id,
            item.invoice_no,
            item.due_date or on,
            item.outstanding,
            item.kid,
            acknowledged_on=acknowledged.get(item.pk),
        )
        expires = item_limitation_date(item_facts, rules=rules)
        if expires is not None and on > expires:
            barred.append(f"{item.invoice_no} ({expires:%d.%m.%Y})")
        by_customer[item.customer_id].append(item_facts)
    if barred:
        raise CaseError(
            _(
                "Disse fakturaene er foreldet (foreldelsesloven §§ 2–3): %(items)s. De kan "
                "bare tas med i en ny sak når skyldneren har erkjent kravet."
            )
            % {"items": ", ".join(barred)}
        )
    businesses = set(
        Customer.objects.filter(
            pk__in=by_customer, customer_type=CustomerType.BUSINESS
        ).values_list("pk", flat=True)
    )
    blocks = customer_dunning_blocks(customer_ids=list(by_customer))
    plan = Plan(on=on)
    for customer_id, chosen in by_customer.items():
        business = customer_id in businesses
        case = opening_case(customer_id, chosen, business=business)
        sequence = planned_steps(facts.settings, business=business, on=on, rules=rules)
        letter = None
        if sequence and customer_id not in blocks:
            verdict = check_step(case=history_of(case), step=sequence[0], on=on, rules=rules)
            if verdict.allowed:
                letter = letter_for(case, verdict, rules)
        plan.actions.append(
            Action(
                "start_case",
                customer_id,
                item_ids=tuple(i.item_id for i in chosen),
                step=sequence[0] if letter else None,
                on=on,
                letter=letter,
            )
        )
    applied = apply_plan(plan=plan, rules=rules, actor=membership.user)
    started = list(Case.objects.filter(pk__in=applied.started).order_by("number"))
    for case in started:
        audit_record(
            action="collections.case_started",
            organization=membership.organization,
            actor=membership.user,
            target=case,
            request=request,
        )
    return started


# --- the next letter, now --------------------------------------------------------------------


def case_plan(*, case: Case, on: date) -> list[Action]:
    """What the autopilot would do with this one case today (the case page shows it)."""
    facts = organization_facts(on=on, case_ids=[case.pk], with_free_items=False)
    return plan_organization(facts, on=on, rules=collection_rules()).actions


def case_send_next(*, case: Case, membership: Membership, on: date) -> Applied:
    """Send the next letter now, if the guardrails allow it today."""
    _require(membership)
    actions = case_plan(case=case, on=on)
    letters = [a for a in actions if a.kind in ("send_step", "legal_step")]
    if not letters:
        waiting = [a for a in actions if a.kind == "wait"]
        raise CaseError(
            waiting[0].describe() if waiting else _("Saken har ingen neste steg akkurat nå.")
        )
    plan = Plan(on=on, actions=[a for a in actions if a.kind != "wait"])
    return apply_plan(plan=plan, rules=collection_rules(), actor=membership.user)


# --- pause, resume, close, reopen, merge --------------------------------------------------


@transaction.atomic
def case_pause(
    *, case: Case, membership: Membership, on: date, note: str, until: date | None = None
) -> Case:
    _require(membership)
    if not case.is_open:
        raise CaseError(_("En avsluttet sak kan ikke settes på pause."))
    if case.state == CaseState.OBJECTED:
        raise CaseError(_("Saken har en innsigelse og står allerede stille."))
    if not note.strip():
        raise CaseError(_("Skriv hvorfor saken settes på pause."))
    if until is not None and until <= on:
        raise CaseError(_("Pausen må vare til en dato etter i dag."))
    case.state, case.pause_reason, case.pause_note, case.paused_until = (
        CaseState.PAUSED,
        "user",
        note.strip()[:500],
        until,
    )
    case.save(update_fields=["state", "pause_reason", "pause_note", "paused_until"])
    _event(
        case,
        "paused",
        on,
        membership,
        reason="user",
        note=case.pause_note,
        until=until.isoformat() if until else None,
    )
    return case


@transaction.atomic
def case_resume(*, case: Case, membership: Membership, on: date) -> Case:
    _require(membership)
    if case.state != CaseState.PAUSED:
        raise CaseError(_("Saken er ikke på pause."))
    case.state, case.pause_reason, case.pause_note, case.paused_until = (
        CaseState.ACTIVE,
        "",
        "",
        None,
    )
    case.save(update_fields=["state", "pause_reason", "pause_note", "paused_until"])
    _event(case, "resumed", on, membership, reason="user")
    return case


@transaction.atomic
def case_close_by_user(*, case: Case, membership: Membership, on: date, note: str) -> Case:
    _require(membership)
    if not case.is_open:
        raise CaseError(_("Saken er allerede avsluttet."))
    if not note.strip():
        raise CaseError(_("Skriv hvorfor saken avsluttes."))
    events: list[TimelineEvent] = []
    case_close(
        case=case,
        reason=CloseReason.BY_USER,
        on=on,
        actor=membership.user,
        events=events,
        note=note.strip(),
    )
    TimelineEvent.objects.bulk_create(events)
    return case


@transaction.atomic
def case_reopen(*, case: Case, membership: Membership, on: date) -> Case:
    """Reopen a closed case on its items that no other open case holds meanwhile."""
    _require(membership)
    if case.is_open:
        raise CaseError(_("Saken er ikke avsluttet."))
    if case.close_reason == CloseReason.MERGED:
        raise CaseError(_("En sak som er slått sammen med en annen, kan ikke gjenåpnes."))
    released = list(CaseItem.objects.filter(case=case, released_on=case.closed_on))
    busy = set(
        CaseItem.objects.filter(
            open_item_id__in=[link.open_item_id for link in released], released_on__isnull=True
        ).values_list("open_item_id", flat=True)
    )
    if busy:
        raise CaseError(_("Noen av fakturaene er nå i en annen sak."))
    CaseItem.objects.filter(pk__in=[link.pk for link in released]).update(released_on=None)
    objected = case_standing_objection(case_id=case.pk) is not None
    case.state, case.close_reason, case.close_note, case.closed_on = (
        CaseState.OBJECTED if objected else CaseState.ACTIVE,
        "",
        "",
        None,
    )
    case.save(update_fields=["state", "close_reason", "close_note", "closed_on"])
    _event(case, "reopened", on, membership)
    return case


@transaction.atomic
def case_merge(*, case: Case, into: Case, membership: Membership, on: date) -> Case:
    """Move `case`'s items and claim into `into` and close it as merged. Only for one
    debtor, and only when both are on the same side of the payment demand (a demand
    counts for the claim it was sent for, not for invoices added later)."""
    _require(membership)
    if case.pk == into.pk or case.customer_id != into.customer_id:
        raise CaseError(_("Bare to saker for samme skyldner kan slås sammen."))
    if not (case.is_open and into.is_open):
        raise CaseError(_("Begge sakene må være åpne."))
    if CaseState.OBJECTED in (case.state, into.state):
        # The objection is on the claim it was raised against, not on invoices joined later.
        raise CaseError(_("En sak med innsigelse kan ikke slås sammen med en annen."))
    facts = organization_facts(on=on, case_ids=[case.pk, into.pk], with_free_items=False)
    by_id = {fact.case_id: fact for fact in facts.cases}
    if (
        case.pk in by_id
        and into.pk in by_id
        and not same_side_of_payment_demand(by_id[case.pk], by_id[into.pk])
    ):
        raise CaseError(
            _(
                "Sakene kan ikke slås sammen: den ene har fått betalingsoppfordring, den "
                "andre ikke. Oppfordringen gjelder bare kravet den ble sendt for."
            )
        )
    from debt_collection.models import ClaimEntry

    CaseItem.objects.filter(case=case, released_on__isnull=True).update(case=into)
    ClaimEntry.objects.filter(case=case).update(case=into)
    events: list[TimelineEvent] = []
    case_close(
        case=case,
        reason=CloseReason.MERGED,
        on=on,
        actor=membership.user,
        events=events,
        note=f"S-{into.number}",
    )
    case.merged_into = into
    case.save(update_fields=["merged_into"])
    TimelineEvent.objects.bulk_create(events)
    _event(into, "merged", on, membership, other=case.number)
    return into


@transaction.atomic
def case_payment_register(
    *, case: Case, membership: Membership, amount, on: date, note: str = ""
) -> Case:
    """A payment the ledger will not show (paid to the creditor directly): shared in the
    legal order like any other, and the case closes when nothing is left."""
    from decimal import Decimal

    from debt_collection.models import ClaimEntry, EntryKind

    _require(membership)
    amount = Decimal(amount)
    if amount <= 0:
        raise CaseError(_("Beløpet må være større enn null."))
    if not case.is_open:
        raise CaseError(_("Saken er avsluttet."))
    (facts,) = organization_facts(on=on, case_ids=[case.pk], with_free_items=False).cases
    due = {item.item.item_id: item.principal_due for item in facts.items}
    accrued, shares = payment_shares(facts, due, amount=amount, on=on, rules=collection_rules())
    source = (note or "registered by hand")[:300]
    ClaimEntry.objects.bulk_create(
        [
            *(
                ClaimEntry(
                    organization_id=case.organization_id,
                    case=case,
                    kind=EntryKind.INTEREST,
                    entry_date=on,
                    amount=row.new,
                    open_item_id=row.item_id,
                    rule="late_interest_to_payment",
                    source="forsinkelsesrenteloven § 3",
                )
                for row in accrued
                if row.new
            ),
            *(
                ClaimEntry(
                    organization_id=case.organization_id,
                    case=case,
                    kind=EntryKind.PAYMENT,
                    entry_date=on,
                    amount=-share.amount,
                    open_item_id=share.item_id,
                    part=share.part,
                    rule="payment_registered",
                    source=source,
                )
                for share in shares
            ),
        ]
    )
    _event(case, "payment_recorded", on, membership, amount=str(amount), note=note[:200])
    remaining = case_remaining(case=case)
    if remaining <= 0:
        events: list[TimelineEvent] = []
        case_close(case=case, reason=CloseReason.PAID, on=on, actor=membership.user, events=events)
        TimelineEvent.objects.bulk_create(events)
    return case


def case_remaining(*, case: Case):
    """What the debtor still owes by the claim ledger (positive) or has overpaid."""
    from decimal import Decimal

    from django.db.models import Sum

    from debt_collection.models import ClaimEntry

    total = ClaimEntry.objects.filter(case=case).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")
