"""May this step be sent for this case on this date? If not, every reason, and from when.

The rules, each with the step flag that switches it on:
- the step must be in the catalogue in force and the creditor itself may send it;
- bankruptcy steps only against businesses (`business_only`);
- nothing once principal and charges are paid, nothing before the due date has passed;
- no letter while an earlier letter's deadline still runs (a payment on the last day is on
  time, FinKN 2025-240), and every letter's deadline at least the minimum for its type
  (14 days; 7 for the friendly reminder);
- `after_payment`: a statement answering a payment (restnota, rentenota) needs that
  payment (for the rentenota, the whole principal), may go while an earlier deadline runs
  (it answers the debtor and adds nothing to the claim), and counts the claim as paid only
  once the late interest is paid too, reckoned in the order that leaves the least of it;
- a standing objection pauses dunning letters (`stops_on_objection`) and bars steps for
  undisputed claims only (`needs_undisputed`: enforcement, bankruptcy);
- `requires_missed`: a payment demand only after the inkassovarsel's deadline was missed,
  a conciliation-board complaint only after the pre-suit notice's;
- `wait`: enforcement at least 14 days after a § 4-18 notice and within its validity
  (tvfbl § 4-19), a bankruptcy notice 30 days after the first demand, the petition 14 days
  after the notice;
- fee rules (fees.py); a fee-bearing reminder (`fee_required`) is refused without its fee,
  other letters go out with the fee withheld and say why;
- a letter that shows interest needs the rate for its date in the rates file;
- no step at all (letter, fee, interest claim or legal step) once the claim is past its
  limitation date (limitation.py; foreldelsesloven §§ 2-3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .case import CaseHistory, Objection
from .catalogue import (
    CURRENT_CATALOGUE,
    NEW_ACT_CATALOGUE,
    AfterPayment,
    Catalogue,
    ObjectionRule,
    Sender,
    Step,
    StepCode,
    catalogue_for,
)
from .dates import Lang, add_days
from .errors import FigureUnknownError
from .fees import FeeQuote, quote_fee, recoverable_charges
from .interest import late_interest
from .limitation import limitation_date_for_case
from .loader import default_rules
from .money import ZERO
from .reasons import Reason, ReasonCode
from .ruleset import Rules

MAX_SEARCH_STEPS = 64  # each step jumps to the next obstacle's end; real cases need few


@dataclass(frozen=True)
class Verdict:
    step: StepCode
    on: date
    allowed: bool
    reasons: tuple[Reason, ...]  # why not; empty when allowed
    # First date (>= on) the step would be allowed if nothing else happens in the case.
    # Missing figures in the rates file do not postpone it (they must be filled in), so a
    # refusal for missing data alone gives `on`. None: waiting alone will never do.
    earliest: date | None
    deadline: date | None  # the deadline the letter carries (None for a filing)
    # What the letter adds to the claim if sent on `on`, quoted even when refused; None for
    # a step the catalogue in force does not have.
    fee: FeeQuote | None

    @property
    def fee_withheld(self) -> tuple[Reason, ...]:
        return self.fee.withheld if self.fee else ()

    def messages(self, lang: Lang = "nb") -> list[str]:
        return [reason.message(lang) for reason in self.reasons]


def check_step(
    *,
    case: CaseHistory,
    step: StepCode,
    on: date,
    deadline: date | None = None,
    rules: Rules | None = None,
) -> Verdict:
    """Judge `step` for `case` on `on`; `deadline` defaults to the shortest one allowed."""
    rules = rules if rules is not None else default_rules()
    case = case.as_of(on)
    deadline_days = (deadline - on).days if deadline is not None else None
    reasons, letter_deadline = _obstacles(case, step, on, deadline_days, rules)
    fee = None
    catalogue = catalogue_for(on=on, rules=rules)
    if catalogue.step(step) is not None:
        fee = quote_fee(case=case, step=step, on=on, rules=rules)
    earliest = on if not reasons else _earliest(case, step, on, deadline_days, reasons, rules)
    return Verdict(
        step=step,
        on=on,
        allowed=not reasons,
        reasons=tuple(reasons),
        earliest=earliest,
        deadline=letter_deadline,
        fee=fee,
    )


def _earliest(
    case: CaseHistory,
    step: StepCode,
    on: date,
    deadline_days: int | None,
    reasons: list[Reason],
    rules: Rules,
) -> date | None:
    candidate = on
    for _ in range(MAX_SEARCH_STEPS):
        blocking = [r for r in reasons if r.code is not ReasonCode.FIGURE_UNKNOWN]
        if not blocking:
            return candidate
        if any(reason.earliest is None for reason in blocking):
            return None
        later = max(reason.earliest for reason in blocking if reason.earliest is not None)
        if later <= candidate:
            return None  # an obstacle that does not move: defensive, should not happen
        candidate = later
        reasons, _ = _obstacles(case, step, candidate, deadline_days, rules)
    return None


def _obstacles(
    case: CaseHistory, code: StepCode, on: date, deadline_days: int | None, rules: Rules
) -> tuple[list[Reason], date | None]:
    catalogue = catalogue_for(on=on, rules=rules)
    step = catalogue.step(code)
    if step is None:
        return [_not_in_catalogue(code, catalogue, on, rules)], None
    reasons: list[Reason] = []
    if Sender.CREDITOR not in step.senders:
        reasons.append(
            Reason(ReasonCode.SENDER_NOT_ALLOWED, {"step": code, "regime": catalogue.regime})
        )
    if step.business_only and not case.debtor_is_business:
        reasons.append(Reason(ReasonCode.BUSINESS_DEBTORS_ONLY, {"step": code}))
    reasons.extend(_claim_state(case, step, on, rules))
    reasons.extend(_time_barred(case, on, rules))
    reasons.extend(_payment_needed(case, step, on))
    letter_deadline, deadline_reasons = _deadline(step, on, deadline_days, rules)
    reasons.extend(deadline_reasons)
    reasons.extend(_objection(case, step, on, catalogue))
    reasons.extend(_requires_missed(case, step, on))
    reasons.extend(_wait(case, step, on, rules))
    if code is not StepCode.FRIENDLY_REMINDER:
        reasons.extend(_interest_rate_known(on, rules))
    if step.fee_required:
        quote = quote_fee(case=case, step=code, on=on, rules=rules)
        if quote.statutory_fee == 0:
            reasons.extend(quote.withheld)
    return reasons, letter_deadline


def _not_in_catalogue(code: StepCode, catalogue: Catalogue, on: date, rules: Rules) -> Reason:
    in_force = rules.new_act_in_force
    comes_later = (
        catalogue is CURRENT_CATALOGUE
        and in_force is not None
        and on < in_force
        and NEW_ACT_CATALOGUE.step(code) is not None
    )
    return Reason(
        ReasonCode.STEP_NOT_AVAILABLE,
        {"step": code, "regime": catalogue.regime},
        earliest=in_force if comes_later else None,
    )


def _claim_state(case: CaseHistory, step: Step, on: date, rules: Rules) -> list[Reason]:
    reasons = []
    owed = case.principal + recoverable_charges(case)
    if step.after_payment is not None:
        # A statement of what is left: the interest is part of it (CaseHistory does not
        # hold the interest, so it is reckoned here).
        try:
            owed += _least_interest(case, on, rules)
        except FigureUnknownError as error:
            reasons.append(Reason(ReasonCode.FIGURE_UNKNOWN, {"table": error.table, "on": on}))
    paid = case.paid_by(on)
    if paid >= owed:
        reasons.append(Reason(ReasonCode.CLAIM_SETTLED, {"paid": paid, "owed": owed}))
    due = case.latest_due_date
    if on <= due:
        reasons.append(Reason(ReasonCode.NOT_OVERDUE, {"due_date": due}, add_days(due, 1)))
    running = [letter for letter in case.letters if letter.deadline and on <= letter.deadline]
    if running and step.after_payment is None:
        latest = max(running, key=lambda letter: letter.deadline)
        reasons.append(
            Reason(
                ReasonCode.PREVIOUS_DEADLINE_RUNNING,
                {"previous": latest.step, "deadline": latest.deadline},
                earliest=add_days(latest.deadline, 1),
            )
        )
    return reasons


def _time_barred(case: CaseHistory, on: date, rules: Rules) -> list[Reason]:
    expires = limitation_date_for_case(case=case, rules=rules)
    if expires is None or on <= expires:
        return []
    return [Reason(ReasonCode.CLAIM_TIME_BARRED, {"limitation_date": expires})]


def _least_interest(case: CaseHistory, on: date, rules: Rules) -> Decimal:
    """Late interest on the claim up to `on`, each payment counted against the principal
    first, oldest invoice first: the order that leaves the least interest, so a statement
    is refused as paid only when even that least is paid (the claim ledger, with the legal
    order, may hold a little more)."""
    left = [[payment.paid_on, payment.amount] for payment in case.payments]
    total = ZERO
    for item in sorted(case.items, key=lambda item: item.due_date):
        unpaid = item.principal
        for payment in left:
            share = min(unpaid, payment[1])
            if share > 0:
                total += late_interest(share, item.due_date, payment[0], rules=rules)
                payment[1] -= share
                unpaid -= share
        if unpaid > 0:
            total += late_interest(unpaid, item.due_date, on, rules=rules)
    return total


def _payment_needed(case: CaseHistory, step: Step, on: date) -> list[Reason]:
    if step.after_payment is None:
        return []
    paid = case.paid_by(on)
    if step.after_payment is AfterPayment.PRINCIPAL and paid < case.principal:
        params = {"step": step.code, "paid": paid, "principal": case.principal}
        return [Reason(ReasonCode.PRINCIPAL_NOT_PAID, params)]
    if paid <= 0:
        return [Reason(ReasonCode.NO_PAYMENT_YET, {"step": step.code})]
    return []


def _deadline(
    step: Step, on: date, deadline_days: int | None, rules: Rules
) -> tuple[date | None, list[Reason]]:
    try:
        minimum = step.minimum_deadline_days(on=on, rules=rules)
    except FigureUnknownError as error:
        return None, [Reason(ReasonCode.FIGURE_UNKNOWN, {"table": error.table, "on": on})]
    if minimum is None:
        return None, []
    given = minimum if deadline_days is None else deadline_days
    letter_deadline = add_days(on, given)
    if given < minimum:
        params = {"step": step.code, "minimum": minimum, "given": given}
        return letter_deadline, [Reason(ReasonCode.DEADLINE_TOO_SHORT, params)]
    return letter_deadline, []


def _objection(case: CaseHistory, step: Step, on: date, catalogue: Catalogue) -> list[Reason]:
    objection = case.standing_objection(on)
    if objection is None:
        return []
    if step.needs_undisputed:
        return [
            Reason(ReasonCode.CLAIM_DISPUTED, {"raised_on": objection.raised_on, "step": step.code})
        ]
    if step.stops_on_objection and _objection_pauses_dunning(objection, catalogue):
        return [Reason(ReasonCode.DUNNING_PAUSED_BY_OBJECTION, {"raised_on": objection.raised_on})]
    return []


def _objection_pauses_dunning(objection: Objection, catalogue: Catalogue) -> bool:
    # Under the new Act (§ 18) an objection the creditor has documented as obviously
    # groundless does not stop costs, so it need not stop the letters either.
    if catalogue.objection_rule is ObjectionRule.UNLESS_OBVIOUSLY_GROUNDLESS:
        return not objection.obviously_groundless
    return True


def _requires_missed(case: CaseHistory, step: Step, on: date) -> list[Reason]:
    if not step.requires_missed:
        return []
    earlier = [letter for letter in case.letters if letter.step in step.requires_missed]
    params = {"step": step.code, "required": step.requires_missed}
    if not earlier:
        return [Reason(ReasonCode.NEEDS_MISSED_DEADLINE_OF, params)]
    latest = earlier[-1]
    if latest.deadline is not None and on <= latest.deadline:
        return [Reason(ReasonCode.NEEDS_MISSED_DEADLINE_OF, params, add_days(latest.deadline, 1))]
    return []


def _wait(case: CaseHistory, step: Step, on: date, rules: Rules) -> list[Reason]:
    wait = step.wait
    if wait is None:
        return []
    earlier = [letter for letter in case.letters if wait.after is None or letter.step in wait.after]
    if not earlier and wait.after is None:
        return [Reason(ReasonCode.NO_DEMAND_YET, {"step": step.code})]
    if not earlier:
        params = {"step": step.code, "after": wait.after}
        return [Reason(ReasonCode.WAIT_PREREQUISITE_MISSING, params)]
    anchor = earlier[0] if wait.use_first else earlier[-1]
    ready = rules.period_end(wait.period, start=anchor.sent_on)
    row = rules.row("periods", anchor.sent_on, key=wait.period)
    if on < ready:
        params = {
            "step": step.code,
            "after": anchor.step,
            "sent_on": anchor.sent_on,
            "period_value": row.values["value"],
            "period_unit": row.values["unit"],
        }
        return [Reason(ReasonCode.WAIT_NOT_OVER, params, earliest=ready)]
    if wait.validity is not None:
        valid_until = rules.period_end(wait.validity, start=ready)
        if on > valid_until:
            params = {"after": anchor.step, "sent_on": anchor.sent_on, "valid_until": valid_until}
            return [Reason(ReasonCode.WAIT_EXPIRED, params)]
    return []


def _interest_rate_known(on: date, rules: Rules) -> list[Reason]:
    try:
        rules.late_interest_percent(on)
    except FigureUnknownError as error:
        return [Reason(ReasonCode.FIGURE_UNKNOWN, {"table": error.table, "on": on})]
    return []
