"""Fees: what a letter may add to the claim, and why not when it may not.

Sources: inkassoforskriften § 1-2 (a fee only from 14 days after the due
date; 1/20 of the sats for a reminder or inkassovarsel and 3/20 for the creditor's own
payment demand, 1/10 and 3/10 for claims due before 2020-10-01; the sats on the day the
letter is sent), § 1-3 (at most two 1/20 fees, the second only after a missed deadline of
at least 14 days; fees again six months after the last fee-bearing letter),
forsinkelsesrenteloven § 3a with inkassoforskriften §§ 1-5, 2-6 (B2B compensation from the
due date, netted against the fees: the debtor owes the larger, not the sum), and
rettsgebyrloven (court fees R x multiplier, rounded down to whole kroner).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .case import CaseHistory, SentLetter
from .catalogue import (
    CHAPTER_ONE_FEES,
    CURRENT_CATALOGUE,
    NEW_ACT_CATALOGUE,
    SMALL_FEES,
    Catalogue,
    FeeRule,
    ObjectionRule,
    Step,
    StepCode,
    catalogue_for,
)
from .dates import add_days
from .errors import FigureUnknownError
from .loader import default_rules
from .money import ZERO, krone_floor, krone_half_up, ore_half_up, to_fraction
from .reasons import Reason, ReasonCode
from .ruleset import Rules

REMINDER_OR_NOTICE = frozenset({StepCode.REMINDER, StepCode.COLLECTION_NOTICE})


@dataclass(frozen=True)
class FeeQuote:
    statutory_fee: Decimal  # inkassoforskriften chapter-1 fee claimed with the letter
    b2b_compensation: Decimal  # § 3a compensation claimed with the letter
    court_fee: Decimal | None  # for a filing; None when the data lacks R or the multiplier
    increase: Decimal | None  # what the debtor's claim grows by; None when not known
    withheld: tuple[Reason, ...] = ()  # why a fee the step can carry is not charged


def statutory_fee_amount(*, fee_rule: FeeRule, due_date: date, on: date, rules: Rules) -> Decimal:
    """The fee for a letter sent on `on` for a claim due on `due_date`, if one may be charged."""
    if fee_rule is FeeRule.DEMAND_LETTER_FEE:
        return rules.demand_letter_fee(on).quantize(Decimal("0.01"))
    fractions = rules.fee_fractions(due_date=due_date)
    fraction = (
        fractions.reminder if fee_rule is FeeRule.REMINDER_FRACTION else fractions.payment_demand
    )
    sats = rules.inkassosats(on)
    exact = to_fraction(sats.amount) * fraction
    return krone_half_up(exact) if sats.fee_rounding == "nearest_krone" else ore_half_up(exact)


def court_fee(*, key: str, on: date, rules: Rules) -> Decimal:
    """R in force on `on` times the step's multiplier, rounded down to whole kroner."""
    unit = rules.court_fee_unit(on)
    multiplier = rules.court_fee_multiplier(key, on)
    return krone_floor(to_fraction(unit) * to_fraction(multiplier))


def step_fee_rule(code: StepCode) -> FeeRule:
    """The fee rule of a letter already sent, whichever catalogue it was sent under."""
    for catalogue in (CURRENT_CATALOGUE, NEW_ACT_CATALOGUE):
        step = catalogue.step(code)
        if step is not None and step.fee_rule is not FeeRule.NONE:
            return step.fee_rule
    return FeeRule.NONE


def fee_letters(case: CaseHistory) -> list[SentLetter]:
    """Letters that carried a statutory fee: these count toward the § 1-3 limits."""
    return [
        letter
        for letter in case.letters
        if letter.fee_charged > 0 and step_fee_rule(letter.step) in CHAPTER_ONE_FEES
    ]


def recoverable_charges(case: CaseHistory) -> Decimal:
    """Fees, compensation and court fees the debtor owes, the § 3a netting applied."""
    statutory = sum((letter.fee_charged for letter in fee_letters(case)), ZERO)
    court = sum(
        (
            letter.fee_charged
            for letter in case.letters
            if step_fee_rule(letter.step) is FeeRule.COURT_FEE
        ),
        ZERO,
    )
    compensation = sum((letter.compensation_charged for letter in case.letters), ZERO)
    return court + max(statutory, compensation)


def objection_blocking_costs(case: CaseHistory, on: date, catalogue: Catalogue) -> Reason | None:
    objection = case.standing_objection(on)
    if objection is None:
        return None
    if catalogue.objection_rule is ObjectionRule.UNLESS_OBVIOUSLY_GROUNDLESS and (
        objection.obviously_groundless
    ):
        return None
    return Reason(ReasonCode.FEES_STOPPED_BY_OBJECTION, {"raised_on": objection.raised_on})


def fee_obstacles(
    *, case: CaseHistory, step: Step, on: date, rules: Rules, catalogue: Catalogue
) -> list[Reason]:
    """Every reason the step's statutory fee may not be charged on `on` (empty: it may)."""
    if not step.charges_statutory_fee:
        return []
    reasons: list[Reason] = []
    blocked = objection_blocking_costs(case, on, catalogue)
    if blocked:
        reasons.append(blocked)
    due = case.latest_due_date
    wait_days = rules.period_days("fee_earliest_after_due", due)
    first_fee_day = add_days(due, wait_days)
    if on < first_fee_day:
        reasons.append(
            Reason(
                ReasonCode.TOO_EARLY_FOR_FEE,
                {"days": wait_days, "due_date": due},
                earliest=first_fee_day,
            )
        )
    reasons.extend(_limit_obstacles(case, step, on, rules))
    if step.fee_rule is FeeRule.PAYMENT_DEMAND_FRACTION:
        # Not part of the limits: this holds even when no earlier letter carried a fee.
        reasons.extend(_demand_fee_needs_missed_deadline(case, on, rules))
    try:
        statutory_fee_amount(fee_rule=step.fee_rule, due_date=due, on=on, rules=rules)
    except FigureUnknownError as error:
        reasons.append(Reason(ReasonCode.FIGURE_UNKNOWN, {"table": error.table, "on": error.on}))
    return reasons


def _limit_obstacles(case: CaseHistory, step: Step, on: date, rules: Rules) -> list[Reason]:
    """The two-fee limit, the second-fee condition and the six-month reset (§ 1-3)."""
    letters = fee_letters(case)
    if not letters:
        return []
    reset_on = rules.period_end("fee_reset_after_last_fee", start=letters[-1].sent_on)
    if on >= reset_on:
        return []  # six months since the last fee-bearing letter: counting starts afresh
    cycle = _current_cycle(letters, rules)
    small = [letter for letter in cycle if step_fee_rule(letter.step) in SMALL_FEES]
    demand = [
        letter for letter in cycle if step_fee_rule(letter.step) is FeeRule.PAYMENT_DEMAND_FRACTION
    ]
    reset_row = rules.row("periods", letters[-1].sent_on, key="fee_reset_after_last_fee")
    period = {"period_value": reset_row.values["value"], "period_unit": reset_row.values["unit"]}
    last = {"last_fee_on": letters[-1].sent_on, **period}
    if step.fee_rule is FeeRule.PAYMENT_DEMAND_FRACTION:
        if demand:
            return [Reason(ReasonCode.DEMAND_FEE_ALREADY_CHARGED, last, earliest=reset_on)]
        return []
    if demand:
        return [Reason(ReasonCode.REMINDER_FEE_AFTER_DEMAND_FEE, last, earliest=reset_on)]
    if len(small) >= 2:
        return [Reason(ReasonCode.FEE_LIMIT_REACHED, last, earliest=reset_on)]
    if len(small) == 1:
        return _second_fee_obstacles(small[0], on, rules, reset_on)
    return []


def _current_cycle(letters: list[SentLetter], rules: Rules) -> list[SentLetter]:
    start = 0
    for index in range(1, len(letters)):
        earlier = letters[index - 1].sent_on
        if letters[index].sent_on >= rules.period_end("fee_reset_after_last_fee", start=earlier):
            start = index
    return letters[start:]


def _second_fee_obstacles(
    first: SentLetter, on: date, rules: Rules, reset_on: date
) -> list[Reason]:
    minimum = rules.period_days("second_fee_minimum_deadline", first.sent_on)
    given = (first.deadline - first.sent_on).days if first.deadline else 0
    if given < minimum:
        params = {"previous": first.step, "minimum": minimum, "given": given}
        return [
            Reason(ReasonCode.SECOND_FEE_NEEDS_LONGER_FIRST_DEADLINE, params, earliest=reset_on)
        ]
    if first.deadline is not None and on <= first.deadline:
        params = {"previous": first.step, "deadline": first.deadline}
        return [
            Reason(
                ReasonCode.SECOND_FEE_BEFORE_FIRST_DEADLINE,
                params,
                earliest=add_days(first.deadline, 1),
            )
        ]
    return []


def _demand_fee_needs_missed_deadline(case: CaseHistory, on: date, rules: Rules) -> list[Reason]:
    """The 3/20 fee needs a missed deadline of at least 14 days in a reminder or varsel."""
    minimum = rules.period_days("second_fee_minimum_deadline", on)
    candidates = [
        letter
        for letter in case.letters
        if letter.step in REMINDER_OR_NOTICE
        and letter.deadline is not None
        and (letter.deadline - letter.sent_on).days >= minimum
    ]
    if any(letter.deadline < on for letter in candidates):
        return []
    earliest = min((add_days(letter.deadline, 1) for letter in candidates), default=None)
    return [
        Reason(ReasonCode.DEMAND_FEE_NEEDS_MISSED_DEADLINE, {"minimum": minimum}, earliest=earliest)
    ]


def quote_fee(
    *, case: CaseHistory, step: StepCode, on: date, rules: Rules | None = None
) -> FeeQuote:
    """What `step` sent on `on` would add to the claim, with the parts and any fee withheld."""
    rules = rules if rules is not None else default_rules()
    catalogue = catalogue_for(on=on, rules=rules)
    found = catalogue.step(step)
    if found is None or found.fee_rule is FeeRule.NONE:
        return FeeQuote(statutory_fee=ZERO, b2b_compensation=ZERO, court_fee=ZERO, increase=ZERO)
    case = case.as_of(on)
    if found.fee_rule is FeeRule.COURT_FEE:
        return _court_fee_quote(found, on, rules)
    withheld = fee_obstacles(case=case, step=found, on=on, rules=rules, catalogue=catalogue)
    fee = ZERO
    if not withheld:
        due = case.latest_due_date
        fee = statutory_fee_amount(fee_rule=found.fee_rule, due_date=due, on=on, rules=rules)
    compensation = ZERO
    if case.b2b_compensation_applies and not objection_blocking_costs(case, on, catalogue):
        already = sum((letter.compensation_charged for letter in case.letters), ZERO)
        if already == 0:
            try:
                compensation = rules.b2b_compensation(on).quantize(Decimal("0.01"))
            except FigureUnknownError as error:
                unknown = Reason(ReasonCode.FIGURE_UNKNOWN, {"table": error.table, "on": on})
                withheld = [*withheld, unknown]
    increase = ZERO + fee
    if case.b2b_compensation_applies:
        # § 3a netting: the claim holds the larger of fees and compensation, never the sum.
        statutory_before = sum((letter.fee_charged for letter in fee_letters(case)), ZERO)
        compensation_before = sum((letter.compensation_charged for letter in case.letters), ZERO)
        before = max(statutory_before, compensation_before)
        after = max(statutory_before + fee, compensation_before + compensation)
        increase = after - before
    return FeeQuote(
        statutory_fee=fee,
        b2b_compensation=compensation,
        court_fee=None,
        increase=increase,
        withheld=tuple(withheld),
    )


def _court_fee_quote(step: Step, on: date, rules: Rules) -> FeeQuote:
    try:
        amount = court_fee(key=step.court_fee_key or "", on=on, rules=rules)
    except FigureUnknownError as error:
        unknown = Reason(ReasonCode.FIGURE_UNKNOWN, {"table": error.table, "on": on})
        return FeeQuote(ZERO, ZERO, court_fee=None, increase=None, withheld=(unknown,))
    return FeeQuote(ZERO, ZERO, court_fee=amount, increase=amount)


def fee_for_step(
    *, case: CaseHistory, step: StepCode, on: date, rules: Rules | None = None
) -> Decimal:
    """The amount `step` sent on `on` adds to the claim (fee, § 3a netted; or court fee).

    Raises FigureUnknownError when the data lacks a figure the amount depends on.
    """
    quote = quote_fee(case=case, step=step, on=on, rules=rules)
    if quote.increase is None:
        unknown = next(r for r in quote.withheld if r.code is ReasonCode.FIGURE_UNKNOWN)
        raise FigureUnknownError(table=str(unknown.params["table"]), on=on)
    return quote.increase
