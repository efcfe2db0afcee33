"""Limitation (foreldelse): the last day a claim can be kept alive.

Foreldelsesloven (LOV-1979-05-18-18): the period is 3 years (§ 2) from the day payment
could first be demanded, the due date (§ 3 nr. 1). An acknowledgment by the debtor,
including a part-payment or a payment of interest, interrupts it and a new full period
runs from that day (§ 14). A legal step (a conciliation-board complaint, a lawsuit, a
request for enforcement; § 15 ff.) interrupts it too; what runs afterwards depends on how
the proceedings end, which is outside these rules, so the result is then None. Dunning
letters (reminders, inkassovarsel, payment demands) are not legal steps and change
nothing (a reading derived from §§ 14-17, which name only acknowledgments and legal
steps; not confirmed against the primary text).

A period of years ends on the same date in the final year (the last day of February
when the start was 29 February); that day is the last on which it can be interrupted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .case import CaseHistory
from .catalogue import StepCode
from .loader import default_rules
from .ruleset import Rules

INTERRUPTING_STEPS = frozenset({StepCode.ENFORCEMENT_REQUEST, StepCode.CONCILIATION_COMPLAINT})


def limitation_date(
    *,
    due_date: date,
    acknowledged_on: Iterable[date] = (),
    legal_steps_on: Iterable[date] = (),
    renewed_on: Iterable[date] = (),
    rules: Rules | None = None,
) -> date | None:
    """The last day the claim can be interrupted; None once a legal step has interrupted it.

    Events after the claim is already time-barred do not revive it, except `renewed_on`:
    an acknowledgment the creditor has recorded (the debtor's express acknowledgment or
    promise to pay), which starts a new full period from its date even past the old one.
    """
    rules = rules if rules is not None else default_rules()
    expires = rules.period_end("limitation", start=due_date)
    events = sorted(
        [(day, "acknowledgment") for day in acknowledged_on]
        + [(day, "legal_step") for day in legal_steps_on]
        + [(day, "renewal") for day in renewed_on]
    )
    for day, kind in events:
        if day > expires and kind != "renewal":
            continue
        if kind == "legal_step":
            return None
        # A new full period from the acknowledgment; never shorter than the one running.
        expires = max(expires, rules.period_end("limitation", start=day))
    return expires


def limitation_date_for_case(*, case: CaseHistory, rules: Rules | None = None) -> date | None:
    """The earliest limitation date over the case's items, from its payments and filings."""
    acknowledged = [payment.paid_on for payment in case.payments if payment.amount > 0]
    legal_steps = [letter.sent_on for letter in case.letters if letter.step in INTERRUPTING_STEPS]
    dates = [
        limitation_date(
            due_date=item.due_date,
            acknowledged_on=acknowledged,
            legal_steps_on=legal_steps,
            renewed_on=case.acknowledgments,
            rules=rules,
        )
        for item in case.items
    ]
    known = [day for day in dates if day is not None]
    return min(known) if known else None


def is_time_barred(*, case: CaseHistory, on: date, rules: Rules | None = None) -> bool:
    """Whether the case's claim is past its limitation date on `on`."""
    expires = limitation_date_for_case(case=case.as_of(on), rules=rules)
    return expires is not None and on > expires
