"""What the rules need to know about a case: plain data, no database.

A case bundles a debtor's overdue invoices into one claim. Where a rule depends on "the"
due date, the latest one is used: it is the one that makes the rule bite last, so a
letter allowed for the case is allowed for every invoice in it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from .money import ZERO, require_money
from .steps import StepCode


class DebtorType(enum.StrEnum):
    CONSUMER = "consumer"
    BUSINESS = "business"


@dataclass(frozen=True)
class ClaimItem:
    principal: Decimal
    due_date: date
    reference: str = ""  # e.g. the invoice number

    def __post_init__(self) -> None:
        if require_money(self.principal, name="principal") < 0:
            raise ValueError("an item's principal must not be negative")


@dataclass(frozen=True)
class SentLetter:
    step: StepCode
    sent_on: date
    deadline: date | None  # None for a filing (enforcement request, complaint, petition)
    fee_charged: Decimal = ZERO  # the statutory fee claimed with the letter (or a court fee)
    compensation_charged: Decimal = ZERO  # the § 3a compensation claimed with the letter


@dataclass(frozen=True)
class Payment:
    paid_on: date
    amount: Decimal


@dataclass(frozen=True)
class Objection:
    raised_on: date
    withdrawn_on: date | None = None
    # The creditor's documented view that the objection is obviously groundless. Only the
    # new Act (§ 18) gives it an effect: costs may then still be recovered.
    obviously_groundless: bool = False

    def stands_on(self, day: date) -> bool:
        return self.raised_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


@dataclass(frozen=True)
class CaseHistory:
    debtor_type: DebtorType
    items: tuple[ClaimItem, ...]
    letters: tuple[SentLetter, ...] = ()
    payments: tuple[Payment, ...] = ()
    objections: tuple[Objection, ...] = ()
    creditor_is_business: bool = True
    claim_b2b_compensation: bool = True  # the creditor's choice to claim § 3a where it may
    acknowledgments: tuple[date, ...] = ()  # debtor's acknowledgments other than payments

    def __post_init__(self) -> None:
        if not self.items:
            raise ValueError("a case needs at least one item")
        # Events are kept in date order so that "the latest letter" means what it says.
        object.__setattr__(self, "letters", tuple(sorted(self.letters, key=lambda x: x.sent_on)))
        object.__setattr__(self, "payments", tuple(sorted(self.payments, key=lambda x: x.paid_on)))

    @property
    def latest_due_date(self) -> date:
        return max(item.due_date for item in self.items)

    @property
    def earliest_due_date(self) -> date:
        return min(item.due_date for item in self.items)

    @property
    def principal(self) -> Decimal:
        return sum((item.principal for item in self.items), ZERO)

    @property
    def debtor_is_business(self) -> bool:
        return self.debtor_type is DebtorType.BUSINESS

    @property
    def b2b_compensation_applies(self) -> bool:
        """§ 3a: only between businesses (forsinkelsesrenteloven § 4 d), and if claimed."""
        return self.creditor_is_business and self.debtor_is_business and self.claim_b2b_compensation

    def as_of(self, day: date) -> CaseHistory:
        """The case as known at the end of `day`: later events are left out."""
        return replace(
            self,
            letters=tuple(letter for letter in self.letters if letter.sent_on <= day),
            payments=tuple(payment for payment in self.payments if payment.paid_on <= day),
            objections=tuple(o for o in self.objections if o.raised_on <= day),
            acknowledgments=tuple(d for d in self.acknowledgments if d <= day),
        )

    def with_letter(self, letter: SentLetter) -> CaseHistory:
        return replace(self, letters=(*self.letters, letter))

    def paid_by(self, day: date) -> Decimal:
        return sum((p.amount for p in self.payments if p.paid_on <= day), ZERO)

    def standing_objection(self, day: date) -> Objection | None:
        return next((o for o in self.objections if o.stands_on(day)), None)
