"""The autopilot's one planning step: for an organisation and a day, every action.

Plain Python over plain facts (no database here): `autopilot.py` loads the facts with a
fixed number of queries, this module decides, and the same decisions feed the preview
page, `run_autopilot --dry-run`, the daily task and the "suggest" mode's proposals.

For each open case, in order: record what the mirror shows was paid; close a case that
is paid (or down to a tiny remainder); pause a case whose debtor the register flags, and
resume one whose hold is over; then the next step of the organisation's sequence, sent
when the guardrails allow it today, else a wait with the earliest date and every reason
(an objected case only ever waits: its objections go to the guardrails with the rest).
For each debtor with overdue items in no case: start a case when its first letter may go
out today (the case and that letter are created together), else say when; an item the
debtor disputes stays out until the objection is withdrawn.

Limitation (rules/limitation.py): an active or paused case past its limitation date is
paused as "time_barred" and stays so (no letter, fee or interest); an open case within 6,
then 3, months of it gets a `limitation_warning` (the owners are told once each); an item
in no case past it stays out of new cases unless an acknowledgment is recorded on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from debt_collection.payments import CLOSING_ORDER, ItemDue, Share, shares_of
from debt_collection.rules import (
    CaseHistory,
    ClaimItem,
    DebtorType,
    Objection,
    Payment,
    Reason,
    Rules,
    SentLetter,
    StepCode,
    Verdict,
    catalogue_for,
    check_step,
    interest_breakdown,
    limitation_date,
    limitation_date_for_case,
)
from debt_collection.rules.catalogue import Sender
from debt_collection.rules.dates import format_date
from debt_collection.rules.reasons import ReasonCode

S = StepCode
ZERO = Decimal("0.00")
# Every step the autopilot knows, in the order a case moves through them.
ORDER = (
    S.FRIENDLY_REMINDER,
    S.REMINDER,
    S.DEMAND_LETTER,
    S.COLLECTION_NOTICE,
    S.PAYMENT_DEMAND,
    S.FINAL_NOTICE_ENFORCEMENT,
    S.FINAL_NOTICE_BANKRUPTCY,
    S.ENFORCEMENT_REQUEST,
    S.BANKRUPTCY_NOTICE,
)
# Statements after a payment, outside the sequence: they do not move a case along.
NOTES = frozenset({S.REMAINDER_NOTE, S.INTEREST_NOTE})
# Legal steps are drafted for the creditor's signature, never sent by the autopilot.
LEGAL_STEPS = frozenset({S.ENFORCEMENT_REQUEST, S.BANKRUPTCY_NOTICE})
PAYMENT_DEMAND_SIDE = frozenset(
    {S.PAYMENT_DEMAND, S.FINAL_NOTICE_ENFORCEMENT, S.FINAL_NOTICE_BANKRUPTCY}
)


# --- facts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSettings:
    automatic_start: bool
    full_sequence: bool
    use_friendly_reminder: bool
    use_final_notice: bool
    days_after_due: int
    days_between_steps: int
    minimum_amount: Decimal
    bankruptcy_route: bool
    tiny_remainder: Decimal
    remainder_note_percent: int = 85
    interest_note: bool = False


@dataclass(frozen=True)
class ItemFacts:
    item_id: int
    customer_id: int
    invoice_no: str
    due_date: date
    outstanding: Decimal  # what the mirror says is still open today
    kid: str = ""
    objected_on: date | None = None  # a standing objection disputes it (free items only)
    # The last acknowledgment recorded on the item itself (free items only; a case's
    # acknowledgments are on CaseFacts).
    acknowledged_on: date | None = None


@dataclass(frozen=True)
class CaseItemFacts:
    item: ItemFacts
    principal: Decimal  # claimed when the item joined the case
    paid_recorded: Decimal  # principal the claim ledger already has paid on the item
    interest_until: date  # interest is in the claim ledger up to and including this day
    credited: Decimal = ZERO  # principal taken off by credit notes, in the claim ledger
    credited_in_ledger: Decimal = ZERO  # credit notes on the invoice in the mirror
    # (day, amount) of each payment share that went to this invoice's principal
    principal_payments: tuple[tuple[date, Decimal], ...] = ()

    @property
    def principal_due(self) -> Decimal:
        return self.principal - self.credited - self.paid_recorded

    @property
    def reduced_by_payments(self) -> Decimal:
        """What the invoice went down by in the ledger, less what credit notes took off."""
        reduced = self.principal - max(self.item.outstanding, ZERO)
        return max(reduced - min(self.credited_in_ledger, self.principal), ZERO)


@dataclass(frozen=True)
class CaseFacts:
    case_id: int
    customer_id: int
    state: str  # CaseState value
    debtor_is_business: bool
    items: tuple[CaseItemFacts, ...]
    letters: tuple[SentLetter, ...]
    payments: tuple[Payment, ...]
    claimed: Decimal  # sum of the claim entries that add to the debt
    settled: Decimal  # sum of payments and write-offs (positive)
    paused_until: date | None = None
    pause_reason: str = ""
    costs_due: Decimal = ZERO  # fees and compensation not yet paid
    costs_claimed: Decimal = ZERO  # fees and compensation the letters added
    interest_due: Decimal = ZERO  # interest in the claim ledger not yet paid
    received_recorded: Decimal = ZERO  # money from the ledger the claim ledger holds
    # The customer's credit balance and what Kredin's own voucher lines were paid by.
    received_elsewhere: Decimal = ZERO
    notes: tuple[SentLetter, ...] = ()  # restnota and rentenota, apart from the sequence
    objections: tuple[Objection, ...] = ()  # the debtor's objections, standing or withdrawn
    acknowledgments: tuple[date, ...] = ()  # recorded on the case or on an item it holds

    @property
    def received_in_ledger(self) -> Decimal:
        return sum((i.reduced_by_payments for i in self.items), ZERO) + self.received_elsewhere

    @property
    def current_step(self) -> StepCode | None:
        return self.letters[-1].step if self.letters else None


@dataclass(frozen=True)
class OrganizationFacts:
    settings: PlanSettings
    cases: tuple[CaseFacts, ...]
    free_items: tuple[ItemFacts, ...]  # overdue, open, and in no open case
    business_customers: frozenset[int]
    register_blocks: dict[int, tuple[str, ...]]  # customer id → register flags


# --- actions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInterest:
    item_id: int
    principal: Decimal
    total: Decimal  # from the due date to the letter's date, for the letter to print
    new: Decimal  # what the claim ledger does not hold yet
    periods: tuple  # InterestPeriod rows behind `total`


@dataclass(frozen=True)
class Letter:
    step: StepCode
    on: date
    deadline: date | None
    fee: Decimal
    compensation: Decimal
    interest: tuple[ItemInterest, ...]
    fee_notes: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Action:
    # start_case, send_step, send_note, wait, pause, resume, close, record_payment,
    # record_credit, legal_step
    kind: str
    customer_id: int
    case_id: int | None = None
    item_ids: tuple[int, ...] = ()
    step: StepCode | None = None
    on: date | None = None  # the day it happens (for a wait: the earliest day)
    letter: Letter | None = None
    reasons: tuple[Reason, ...] = ()
    amount: Decimal = ZERO
    detail: str = ""  # close reason, pause reason
    shares: tuple[Share, ...] = ()  # record_payment: the payment in the legal order
    accrued: tuple[ItemInterest, ...] = ()  # record_payment: interest up to the day

    @property
    def key(self) -> str:
        """What makes two plans of one day the same action (proposals, letters)."""
        target = f"case:{self.case_id}" if self.case_id else f"customer:{self.customer_id}"
        return f"{self.kind}:{target}:{self.step or ''}:{self.on.isoformat() if self.on else ''}"

    def describe(self, lang: str = "nb") -> str:
        return describe(self, lang=lang)


@dataclass
class Plan:
    on: date
    actions: list[Action] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[Action]:
        return [action for action in self.actions if action.kind in kinds]

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for action in self.actions:
            counts[action.kind] += 1
        return dict(sorted(counts.items()))


# --- planning ----------------------------------------------------------------------------


def planned_steps(
    settings: PlanSettings, *, business: bool, on: date, rules: Rules
) -> list[StepCode]:
    """The organisation's sequence for this debtor, as the catalogue in force allows it."""
    catalogue = catalogue_for(on=on, rules=rules)
    bankruptcy = business and settings.bankruptcy_route
    wanted = [S.FRIENDLY_REMINDER] if settings.use_friendly_reminder else []
    wanted += [S.REMINDER, S.DEMAND_LETTER]
    if settings.full_sequence:
        wanted += [S.COLLECTION_NOTICE, S.PAYMENT_DEMAND]
    sendable = [code for code in wanted if _creditor_may_send(catalogue, code)]
    if settings.full_sequence:
        notice = S.FINAL_NOTICE_BANKRUPTCY if bankruptcy else S.FINAL_NOTICE_ENFORCEMENT
        has_notice = any(catalogue.step(code).enforcement_notice for code in sendable)
        if (settings.use_final_notice or not has_notice) and _creditor_may_send(catalogue, notice):
            sendable.append(notice)
        sendable.append(S.BANKRUPTCY_NOTICE if bankruptcy else S.ENFORCEMENT_REQUEST)
    return sendable


def _creditor_may_send(catalogue, code: StepCode) -> bool:
    step = catalogue.step(code)
    return step is not None and Sender.CREDITOR in step.senders


def next_step(sequence: list[StepCode], current: StepCode | None) -> StepCode | None:
    if current is None:
        return sequence[0] if sequence else None
    position = ORDER.index(current) if current in ORDER else len(ORDER)
    return next((code for code in sequence if ORDER.index(code) > position), None)


def history_of(case: CaseFacts) -> CaseHistory:
    return CaseHistory(
        debtor_type=DebtorType.BUSINESS if case.debtor_is_business else DebtorType.CONSUMER,
        items=tuple(
            ClaimItem(principal=i.principal, due_date=i.item.due_date, reference=i.item.invoice_no)
            for i in case.items
        ),
        letters=case.letters,
        payments=case.payments,
        objections=case.objections,
        acknowledgments=case.acknowledgments,
    )


def plan_organization(facts: OrganizationFacts, *, on: date, rules: Rules) -> Plan:
    plan = Plan(on=on)
    for case in facts.cases:
        plan.actions.extend(_plan_case(facts.settings, case, facts.register_blocks, on, rules))
    plan.actions.extend(_plan_new_cases(facts, on, rules))
    return plan


def _plan_case(
    settings: PlanSettings,
    case: CaseFacts,
    blocks: dict[int, tuple[str, ...]],
    on: date,
    rules: Rules,
) -> Iterable[Action]:
    money = _payments_today(case, settings, on, rules)
    yield from money.actions
    remaining = money.remaining
    if remaining <= ZERO:
        yield Action("close", case.customer_id, case.case_id, on=on, detail="paid")
        return
    if money.all_credited:
        yield Action(
            "close", case.customer_id, case.case_id, on=on, amount=remaining, detail="credited"
        )
        return
    if remaining <= settings.tiny_remainder:
        yield Action(
            "close",
            case.customer_id,
            case.case_id,
            on=on,
            amount=remaining,
            detail="tiny_remainder",
        )
        return
    if money.ledger_settled and money.only_interest_left and not settings.interest_note:
        yield Action(
            "close",
            case.customer_id,
            case.case_id,
            on=on,
            amount=remaining,
            detail="principal_paid",
        )
        return
    expires = limitation_date_for_case(case=history_of(case).as_of(on), rules=rules)
    if expires is not None and on > expires and case.state in ("active", "paused"):
        # Past its limitation date: nothing more may be claimed, and it stays paused.
        if case.pause_reason != TIME_BARRED:
            yield Action(
                "pause",
                case.customer_id,
                case.case_id,
                on=on,
                detail=TIME_BARRED,
                reasons=(Reason(ReasonCode.CLAIM_TIME_BARRED, {"limitation_date": expires}),),
            )
        return
    if expires is not None:
        # Only a legal step keeps the claim alive: the owners are told in time.
        warning = limitation_warning(case, expires=expires, on=on)
        if warning is not None:
            yield warning
    if case.state == "objected":
        # Nothing is sent; the wait says why (the guardrails' reasons).
        yield from (a for a in _next_letter(settings, case, on, rules) if a.kind == "wait")
        return
    if case.state == "legal":
        return
    if case.state == "paused":
        if (
            case.pause_reason in ("register", TIME_BARRED)
            or case.paused_until is None
            or case.paused_until > on
        ):
            return
        yield Action("resume", case.customer_id, case.case_id, on=on)
    if case.customer_id in blocks:
        yield Action("pause", case.customer_id, case.case_id, on=on, detail="register", reasons=())
        return
    note = _note_due(settings, case, money, on)
    if note is not None:
        yield Action(
            "send_note",
            case.customer_id,
            case.case_id,
            step=note,
            on=on,
            letter=note_for(money.case_after, note, on, rules),
        )
        return
    waiting = _note_pending(case, on)
    if waiting is not None:
        yield waiting
        return
    yield from _next_letter(settings, case, on, rules)


TIME_BARRED = "time_barred"
WARNING_MONTHS = (3, 6)  # months before the limitation date the owners are told


def months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def limitation_warning(case: CaseFacts, *, expires: date, on: date) -> Action | None:
    """A warning once the claim is within 6 (then 3) months of its limitation date: only the
    nearest applies, so a case that comes late gets the 3-month one alone."""
    if on > expires:
        return None
    for months in WARNING_MONTHS:
        if on >= months_before(expires, months):
            return Action(
                "limitation_warning",
                case.customer_id,
                case.case_id,
                on=expires,
                amount=Decimal(months),
                detail=str(months),
            )
    return None


@dataclass(frozen=True)
class MoneyToday:
    actions: tuple[Action, ...]
    remaining: Decimal  # what the debtor owes after today's payments and credits
    principal_left: Decimal
    paid_total: Decimal  # every payment on the case, today's included
    claimed_total: Decimal  # the claim before any payment
    principal_by_item: dict[int, Decimal]
    all_credited: bool
    ledger_settled: bool  # Business NXT shows every invoice paid: what is left is additions
    only_interest_left: bool  # no fee or compensation was ever claimed
    case_after: CaseFacts  # the case as the claim ledger will hold it after today


def owed_when_closing(case: CaseFacts, settings: PlanSettings) -> Decimal:
    """What may be left and the case still close today: the tiny remainder, or the interest
    when the ledger shows the invoices paid late, no fee was claimed and no rentenota is
    wanted (the creditor lets late interest go)."""
    paid_in_ledger = all(item.item.outstanding <= ZERO for item in case.items)
    if paid_in_ledger and not case.costs_claimed and not settings.interest_note:
        return Decimal("Infinity")
    return settings.tiny_remainder


def _payments_today(case: CaseFacts, settings: PlanSettings, on: date, rules: Rules) -> MoneyToday:
    """Credit notes and money the mirror shows that the claim ledger does not hold yet."""
    actions: list[Action] = []
    credited_today = ZERO
    due: dict[int, Decimal] = {}
    for item in case.items:
        credit = min(item.credited_in_ledger, item.principal) - item.credited
        if credit > ZERO:
            credited_today += credit
            actions.append(
                Action(
                    "record_credit",
                    case.customer_id,
                    case.case_id,
                    (item.item.item_id,),
                    on=on,
                    amount=credit,
                )
            )
        due[item.item.item_id] = item.principal_due - max(credit, ZERO)
    money = case.received_in_ledger - case.received_recorded
    accrued_total = ZERO
    shares: tuple[Share, ...] = ()
    if money > ZERO:
        closing_below = owed_when_closing(case, settings)
        accrued, shares = payment_shares(
            case, due, amount=money, on=on, rules=rules, closing_below=closing_below
        )
        accrued_total = sum((row.new for row in accrued), ZERO)
        actions.append(
            Action(
                "record_payment",
                case.customer_id,
                case.case_id,
                tuple(due),
                on=on,
                amount=money,
                shares=shares,
                accrued=accrued,
            )
        )
        for share in shares:
            if share.part == "principal" and share.item_id is not None:
                due[share.item_id] -= share.amount
    else:
        money = ZERO
    paid_before = case.settled
    credits = {a.item_ids[0]: a.amount for a in actions if a.kind == "record_credit"}
    principal_shares = {s.item_id: s.amount for s in shares if s.part == "principal"}
    case_after = replace(
        case,
        items=tuple(
            replace(
                item,
                credited=item.credited + credits.get(item.item.item_id, ZERO),
                paid_recorded=item.paid_recorded + principal_shares.get(item.item.item_id, ZERO),
                principal_payments=(
                    (*item.principal_payments, (on, principal_shares[item.item.item_id]))
                    if item.item.item_id in principal_shares
                    else item.principal_payments
                ),
                interest_until=(
                    max(item.interest_until, on) if money > ZERO else item.interest_until
                ),
            )
            for item in case.items
        ),
    )
    return MoneyToday(
        actions=tuple(actions),
        remaining=case.claimed - case.settled - credited_today + accrued_total - money,
        principal_left=sum(due.values(), ZERO),
        paid_total=paid_before + money,
        claimed_total=case.claimed - credited_today + accrued_total,
        principal_by_item=due,
        all_credited=all(min(i.credited_in_ledger, i.principal) >= i.principal for i in case.items),
        ledger_settled=all(item.item.outstanding <= ZERO for item in case.items),
        only_interest_left=not case.costs_claimed,
        case_after=case_after,
    )


def payment_shares(
    case: CaseFacts,
    due: dict[int, Decimal],
    *,
    amount: Decimal,
    on: date,
    rules: Rules,
    closing_below: Decimal | None = None,
) -> tuple[tuple[ItemInterest, ...], tuple[Share, ...]]:
    """Interest brought up to `on`, then `amount` shared in the legal order; or, when what
    would be left is at most `closing_below` (the case ends), principal first."""
    accrued = tuple(_interest_to(case, due, on, rules))
    costs = case.costs_due
    interest = case.interest_due + sum((row.new for row in accrued), ZERO)
    items = [ItemDue(item_id, principal) for item_id, principal in due.items()]
    owed = costs + interest + sum((item.principal for item in items), ZERO)
    closing = closing_below is not None and owed - amount <= closing_below
    shares = shares_of(
        amount=amount,
        costs=costs,
        interest=interest,
        items=items,
        on=on,
        rules=rules,
        order=CLOSING_ORDER if closing else None,
    )
    return accrued, shares


def _interest_to(
    case: CaseFacts, due: dict[int, Decimal], on: date, rules: Rules
) -> Iterable[ItemInterest]:
    """Late interest from where the claim ledger has it up to `on`, on what is still owed."""
    for item in case.items:
        principal = max(due[item.item.item_id], ZERO)
        start = max(item.interest_until, item.item.due_date)
        periods = interest_breakdown(principal, start, on, rules=rules) if on > start else ()
        new = sum((p.amount for p in periods), ZERO)
        yield ItemInterest(
            item_id=item.item.item_id, principal=principal, total=new, new=new, periods=periods
        )


NOTE_DEADLINE_DAYS = 14


def _note_due(
    settings: PlanSettings, case: CaseFacts, money: MoneyToday, on: date
) -> StepCode | None:
    """A rentenota once Business NXT shows the invoices paid but interest and costs are
    left; a restnota once most of the claim is paid. Each at most once per case."""
    sent = {note.step for note in case.notes}
    if money.ledger_settled:
        return S.INTEREST_NOTE if settings.interest_note and S.INTEREST_NOTE not in sent else None
    if S.REMAINDER_NOTE in sent or money.claimed_total <= ZERO or money.paid_total <= ZERO:
        return None
    if money.paid_total * 100 >= money.claimed_total * settings.remainder_note_percent:
        return S.REMAINDER_NOTE
    return None


def _note_pending(case: CaseFacts, on: date) -> Action | None:
    """The sequence waits while a note's deadline runs."""
    open_notes = [n for n in case.notes if n.deadline is not None and n.deadline >= on]
    if not open_notes:
        return None
    latest = max(open_notes, key=lambda note: note.deadline)
    return Action(
        "wait",
        case.customer_id,
        case.case_id,
        step=latest.step,
        on=latest.deadline + timedelta(days=1),
        reasons=(
            Reason(
                NOTE_DEADLINE,
                {"step": latest.step, "deadline": latest.deadline},
                earliest=latest.deadline + timedelta(days=1),
            ),
        ),
    )


def note_for(case: CaseFacts, step: StepCode, on: date, rules: Rules) -> Letter:
    """A restnota or rentenota: no fee, 14 days, interest to the day on what is left."""
    interest = [item_interest(item, on, rules) for item in case.items]
    return Letter(
        step=step,
        on=on,
        deadline=on + timedelta(days=NOTE_DEADLINE_DAYS),
        fee=ZERO,
        compensation=ZERO,
        interest=tuple(interest),
    )


def _next_letter(
    settings: PlanSettings, case: CaseFacts, on: date, rules: Rules
) -> Iterable[Action]:
    sequence = planned_steps(settings, business=case.debtor_is_business, on=on, rules=rules)
    step = next_step(sequence, case.current_step)
    if step is None:
        return
    history = history_of(case)
    verdict = check_step(case=history, step=step, on=on, rules=rules)
    held_by_settings = _settings_delay(settings, case, on)
    if verdict.allowed and held_by_settings is None:
        if step in LEGAL_STEPS:
            yield Action("legal_step", case.customer_id, case.case_id, step=step, on=on)
        else:
            yield Action(
                "send_step",
                case.customer_id,
                case.case_id,
                step=step,
                on=on,
                letter=letter_for(case, verdict, rules),
            )
        return
    reasons = verdict.reasons
    earliest = verdict.earliest
    if held_by_settings is not None:
        reasons = (*reasons, held_by_settings)
        if earliest is not None:
            earliest = max(earliest, held_by_settings.earliest)
    yield Action(
        "wait", case.customer_id, case.case_id, step=step, on=earliest, reasons=tuple(reasons)
    )


def item_interest(item: CaseItemFacts, on: date, rules: Rules) -> ItemInterest:
    """Late interest on one invoice from its due date to `on`, for a letter to print.

    The principal it runs on steps down on each day a share of a payment reached it, so
    the periods add up to what the claim ledger holds plus what is new since then.
    """
    base = max(item.principal - item.credited, ZERO)
    periods: list = []
    start = item.item.due_date
    for paid_on, amount in item.principal_payments:
        if paid_on > start:
            periods.extend(interest_breakdown(base, start, paid_on, rules=rules))
            start = paid_on
        base = max(base - amount, ZERO)
    if on > start:
        periods.extend(interest_breakdown(base, start, on, rules=rules))
    new_periods = interest_breakdown(
        max(item.principal_due, ZERO), max(item.interest_until, item.item.due_date), on, rules=rules
    )
    return ItemInterest(
        item_id=item.item.item_id,
        principal=max(item.principal - item.credited, ZERO),
        total=sum((p.amount for p in periods), ZERO),
        new=sum((p.amount for p in new_periods), ZERO),
        periods=tuple(p for p in periods if p.amount or p.days),
    )


def _settings_delay(settings: PlanSettings, case: CaseFacts, on: date) -> Reason | None:
    """The organisation's own pause after a deadline, on top of what the law asks."""
    if not settings.days_between_steps or not case.letters or case.letters[-1].deadline is None:
        return None
    ready = case.letters[-1].deadline + timedelta(days=settings.days_between_steps + 1)
    if on >= ready:
        return None
    return Reason(
        SETTINGS_DELAY,
        {"days": settings.days_between_steps, "step": case.letters[-1].step},
        earliest=ready,
    )


def letter_for(case: CaseFacts, verdict: Verdict, rules: Rules) -> Letter:
    """The letter `verdict` allows: fee, compensation and interest per item as of its day."""
    interest = [item_interest(item, verdict.on, rules) for item in case.items]
    fee = verdict.fee
    return Letter(
        step=verdict.step,
        on=verdict.on,
        deadline=verdict.deadline,
        fee=fee.statutory_fee if fee else ZERO,
        compensation=fee.b2b_compensation if fee else ZERO,
        interest=tuple(interest),
        fee_notes=verdict.fee_withheld,
    )


def _plan_new_cases(facts: OrganizationFacts, on: date, rules: Rules) -> Iterable[Action]:
    settings = facts.settings
    by_customer: dict[int, list[ItemFacts]] = defaultdict(list)
    disputed: dict[int, list[ItemFacts]] = defaultdict(list)
    barred: dict[int, list[tuple[ItemFacts, date]]] = defaultdict(list)
    for item in facts.free_items:
        if item.due_date + timedelta(days=settings.days_after_due) <= on and item.outstanding > 0:
            expires = item_limitation_date(item, rules=rules)
            if expires is not None and on > expires:
                barred[item.customer_id].append((item, expires))
                continue
            (disputed if item.objected_on else by_customer)[item.customer_id].append(item)
    for customer_id, rows in sorted(barred.items()):
        yield Action(
            "wait",
            customer_id,
            item_ids=tuple(item.item_id for item, _expires in rows),
            on=None,
            reasons=tuple(
                Reason(ITEM_TIME_BARRED, {"invoice": item.invoice_no, "limitation_date": expires})
                for item, expires in rows
            ),
        )
    for customer_id, items in sorted(disputed.items()):
        yield Action(
            "wait",
            customer_id,
            item_ids=tuple(item.item_id for item in items),
            on=None,
            reasons=tuple(
                Reason(ITEM_DISPUTED, {"invoice": item.invoice_no, "raised_on": item.objected_on})
                for item in items
            ),
        )
    for customer_id, items in sorted(by_customer.items()):
        total = sum((item.outstanding for item in items), ZERO)
        item_ids = tuple(item.item_id for item in items)
        if total < settings.minimum_amount:
            continue
        if customer_id in facts.register_blocks:
            yield Action(
                "wait",
                customer_id,
                item_ids=item_ids,
                on=None,
                reasons=(
                    Reason(
                        REGISTER_BLOCK, {"flags": ", ".join(facts.register_blocks[customer_id])}
                    ),
                ),
            )
            continue
        case = opening_case(customer_id, items, business=customer_id in facts.business_customers)
        sequence = planned_steps(settings, business=case.debtor_is_business, on=on, rules=rules)
        if not sequence:
            continue
        verdict = check_step(case=history_of(case), step=sequence[0], on=on, rules=rules)
        if not verdict.allowed:
            yield Action(
                "wait",
                customer_id,
                item_ids=item_ids,
                step=sequence[0],
                on=verdict.earliest,
                reasons=verdict.reasons,
            )
            continue
        yield Action(
            "start_case",
            customer_id,
            item_ids=item_ids,
            step=sequence[0],
            on=on,
            letter=letter_for(case, verdict, rules),
        )


def item_limitation_date(item: ItemFacts, *, rules: Rules) -> date | None:
    """An item in no case: three years from its due date, or from the last acknowledgment
    recorded on it. Part-payments on such an item are not dated in the mirror, so they are
    not counted: the date may come earlier than the law's, never later (the safe side)."""
    renewed = (item.acknowledged_on,) if item.acknowledged_on else ()
    return limitation_date(due_date=item.due_date, renewed_on=renewed, rules=rules)


def opening_case(customer_id: int, items: list[ItemFacts], *, business: bool) -> CaseFacts:
    """The facts of a case about to start on these items (nothing sent, nothing claimed but
    the principal)."""
    principal = sum((item.outstanding for item in items), ZERO)
    return CaseFacts(
        case_id=0,
        customer_id=customer_id,
        state="active",
        debtor_is_business=business,
        items=tuple(
            CaseItemFacts(
                item=item,
                principal=item.outstanding,
                paid_recorded=ZERO,
                interest_until=item.due_date,
            )
            for item in items
        ),
        letters=(),
        payments=(),
        claimed=principal,
        settled=ZERO,
        acknowledgments=tuple(
            sorted({item.acknowledged_on for item in items if item.acknowledged_on})
        ),
    )


def same_side_of_payment_demand(first: CaseFacts, second: CaseFacts) -> bool:
    """Merging is allowed only when both cases have, or both have not, had the demand."""

    def past(case: CaseFacts) -> bool:
        return any(letter.step in PAYMENT_DEMAND_SIDE for letter in case.letters)

    return past(first) == past(second)


# --- words -------------------------------------------------------------------------------

SETTINGS_DELAY = "settings_delay"
REGISTER_BLOCK = "register_block"
NOTE_DEADLINE = "note_deadline"
ITEM_DISPUTED = "item_disputed"
ITEM_TIME_BARRED = "item_time_barred"
_EXTRA = {
    ITEM_TIME_BARRED: (
        "faktura {invoice} ble foreldet etter {limitation_date} (foreldelsesloven §§ 2–3); "
        "den tas ikke med i en ny sak uten at skyldneren har erkjent kravet",
        "invoice {invoice} became time-barred after {limitation_date} (Limitation Act "
        "§§ 2–3); it is not taken into a new case unless the debtor has acknowledged it",
    ),
    ITEM_DISPUTED: (
        "skyldneren protesterte {raised_on} mot faktura {invoice}; den tas ikke med i en ny "
        "sak før innsigelsen er trukket tilbake",
        "the debtor objected to invoice {invoice} on {raised_on}; it is not taken into a new "
        "case until the objection is withdrawn",
    ),
    NOTE_DEADLINE: (
        "fristen i {step} løper til {deadline}",
        "the deadline of {step} runs until {deadline}",
    ),
    SETTINGS_DELAY: (
        "innstillingene venter {days} dager etter fristen i {step} før neste brev",
        "the settings wait {days} days after the deadline of {step} before the next letter",
    ),
    REGISTER_BLOCK: (
        "Brønnøysundregisteret melder {flags}: ingen automatiske brev",
        "the business register reports {flags}: no automatic letters",
    ),
}


def reason_text(reason: Reason, *, lang: str) -> str:
    """The words for a guardrail reason or one of the planner's own."""
    if reason.code not in _EXTRA:
        return reason.message(lang)
    from debt_collection.rules.formatting import capitalise, step_in_sentence

    template = _EXTRA[reason.code][0 if lang == "nb" else 1]
    params = dict(reason.params)
    if "step" in params:
        params["step"] = step_in_sentence(params["step"], lang=lang)
    for name, value in params.items():
        if isinstance(value, date):
            params[name] = format_date(value, lang=lang)
    body = template.format(**params)
    if reason.earliest is None:
        return capitalise(body)
    prefix = "Tidligst" if lang == "nb" else "Earliest"
    return f"{prefix} {format_date(reason.earliest, lang=lang)}: {body}"


_DESCRIPTIONS = {
    "start_case": ("Start sak og send {step}", "Start a case and send {step}"),
    "send_step": ("Send {step}", "Send {step}"),
    "legal_step": ("Rettslig skritt mulig: {step}", "Legal step possible: {step}"),
    "send_note": ("Send {step}", "Send {step}"),
    "record_payment": ("Registrer innbetaling {amount} kr", "Record a payment of NOK {amount}"),
    "record_credit": ("Registrer kreditnota {amount} kr", "Record a credit note of NOK {amount}"),
    "close": ("Avslutt saken ({detail})", "Close the case ({detail})"),
    "pause": ("Sett saken på pause ({detail})", "Pause the case ({detail})"),
    "resume": ("Fortsett etter pausen", "Resume after the hold"),
    "limitation_warning": (
        "Varsle om foreldelse: kravet foreldes etter {when} ({detail} måneder igjen)",
        "Warn of limitation: the claim becomes time-barred after {when} ({detail} months left)",
    ),
    "wait": ("Venter på {step}: {reasons}", "Waiting for {step}: {reasons}"),
}


def describe(action: Action, *, lang: str = "nb") -> str:
    """One line for a person (the preview, the command's output)."""
    from debt_collection.rules.formatting import step_title

    nb = lang == "nb"
    template = _DESCRIPTIONS[action.kind][0 if nb else 1]
    reasons = "; ".join(reason_text(reason, lang=lang) for reason in action.reasons)
    if action.kind == "wait" and not any(reason.earliest for reason in action.reasons):
        when = format_date(action.on, lang=lang) if action.on else ("aldri" if nb else "never")
        reasons = f"{'tidligst' if nb else 'earliest'} {when}; {reasons}" if reasons else when
    return template.format(
        step=step_title(action.step, lang=lang)
        if action.step
        else ("første brev" if nb else "the first letter"),
        amount=action.amount,
        detail=action.detail,
        reasons=reasons,
        when=format_date(action.on, lang=lang) if action.on else "",
    )
