"""What a step is: its code, letter type, fee rule, who may send it, and the flags the
guardrail reads. The two catalogues built from these types are in catalogue.py.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from .content import PRACTICE_CONTENT, REQUIRED_CONTENT, ContentElement, LetterType
from .dates import Lang
from .ruleset import Rules


class StepCode(enum.StrEnum):
    FRIENDLY_REMINDER = "friendly_reminder"
    REMINDER = "reminder"
    COLLECTION_NOTICE = "collection_notice"
    PAYMENT_DEMAND = "payment_demand"
    FINAL_NOTICE_ENFORCEMENT = "final_notice_enforcement"
    FINAL_NOTICE_BANKRUPTCY = "final_notice_bankruptcy"
    PRE_SUIT_NOTICE = "pre_suit_notice"
    DEMAND_LETTER = "demand_letter"
    ENFORCEMENT_REQUEST = "enforcement_request"
    CONCILIATION_COMPLAINT = "conciliation_complaint"
    BANKRUPTCY_NOTICE = "bankruptcy_notice"
    BANKRUPTCY_PETITION = "bankruptcy_petition"
    # Statements sent because the debtor paid, outside the dunning sequence.
    REMAINDER_NOTE = "remainder_note"  # restnota: what is left after a part-payment
    INTEREST_NOTE = "interest_note"  # rentenota: interest and costs left once the principal is


class FeeRule(enum.StrEnum):
    NONE = "none"
    REMINDER_FRACTION = "reminder_fraction"  # 1/20 of the sats (1/10 for claims due before 2020-10)
    PAYMENT_DEMAND_FRACTION = "payment_demand_fraction"  # 3/20 (3/10)
    DEMAND_LETTER_FEE = "demand_letter_fee"  # new Act kravbrev: amount from the data file
    COURT_FEE = "court_fee"  # R x multiplier, paid to the court, recoverable from the debtor


class Sender(enum.StrEnum):
    CREDITOR = "creditor"
    LICENSED_AGENCY = "licensed_agency"


class Recipient(enum.StrEnum):
    DEBTOR = "debtor"
    ENFORCEMENT_OFFICER = "enforcement_officer"  # namsmann
    CONCILIATION_BOARD = "conciliation_board"  # forliksråd
    DISTRICT_COURT = "district_court"  # tingrett (bankruptcy petition)


class Regime(enum.StrEnum):
    INKASSOLOVEN_1988 = "inkassoloven_1988"
    INKASSOLOVEN_2026 = "inkassoloven_2026"


class ObjectionRule(enum.StrEnum):
    # Today: inkassoloven § 17 second paragraph bars costs where an objection deserved a
    # look, and the product treats every objection so (a product rule).
    ANY_OBJECTION = "any_objection"
    # New Act § 18: no recovery costs unless the objection is obviously groundless.
    UNLESS_OBVIOUSLY_GROUNDLESS = "unless_obviously_groundless"


class AfterPayment(enum.StrEnum):
    """What the debtor must have paid before a statement that answers a payment may go."""

    PART = "part"  # restnota: some payment on the claim
    PRINCIPAL = "principal"  # rentenota: at least the principal


@dataclass(frozen=True)
class WaitRule:
    """The step may come `period` after a letter of `after` (None: any letter at all)."""

    after: frozenset[StepCode] | None
    period: str  # a key of the `periods` table
    use_first: bool = False  # count from the first such letter instead of the latest
    validity: str | None = None  # how long, once the wait is over, the earlier letter still counts


@dataclass(frozen=True)
class Step:
    code: StepCode
    letter_type: LetterType
    name_nb: str
    name_en: str
    legal_basis: str
    senders: frozenset[Sender]
    recipient: Recipient = Recipient.DEBTOR
    fee_rule: FeeRule = FeeRule.NONE
    court_fee_key: str | None = None
    fee_required: bool = False  # the letter exists to carry its fee; without one, don't send it
    optional: bool = True
    business_only: bool = False
    stops_on_objection: bool = True  # a dunning letter: paused while an objection stands
    needs_undisputed: bool = False  # only for claims nobody disputes, even groundlessly
    enforcement_notice: bool = False  # serves as the tvfbl § 4-18 notice
    requires_missed: frozenset[StepCode] = frozenset()  # one was sent and its deadline passed
    wait: WaitRule | None = None
    # A statement answering a payment (restnota, rentenota), not a dunning step: it needs
    # that payment, it may go while an earlier letter's deadline runs (it adds nothing to
    # the claim), and the claim counts as paid for it only once the interest is paid too.
    after_payment: AfterPayment | None = None

    def name(self, *, lang: Lang) -> str:
        return self.name_nb if lang == "nb" else self.name_en

    @property
    def required_content(self) -> tuple[ContentElement, ...]:
        return REQUIRED_CONTENT[self.letter_type]

    @property
    def practice_content(self) -> tuple[ContentElement, ...]:
        return PRACTICE_CONTENT.get(self.letter_type, ())

    @property
    def charges_statutory_fee(self) -> bool:
        return self.fee_rule in CHAPTER_ONE_FEES

    def minimum_deadline_days(self, *, on: date, rules: Rules) -> int | None:
        """Days the letter must give the debtor; None for a filing, which sets no deadline."""
        if self.recipient is not Recipient.DEBTOR:
            return None
        return rules.minimum_deadline_days(self.letter_type.value, on)


CHAPTER_ONE_FEES = frozenset(
    {FeeRule.REMINDER_FRACTION, FeeRule.PAYMENT_DEMAND_FRACTION, FeeRule.DEMAND_LETTER_FEE}
)
# Fees counted toward the two-fee maximum of inkassoforskriften § 1-3.
SMALL_FEES = frozenset({FeeRule.REMINDER_FRACTION, FeeRule.DEMAND_LETTER_FEE})


@dataclass(frozen=True)
class Catalogue:
    regime: Regime
    name: str
    steps: tuple[Step, ...]  # the dunning and legal steps, in Kredin's order
    objection_rule: ObjectionRule
    in_force_from: date | None = None
    # Statements sent when a payment comes in (restnota, rentenota): letters of this
    # catalogue, but no step of the sequence, so not in `steps` or `codes`.
    notes: tuple[Step, ...] = ()

    def step(self, code: StepCode) -> Step | None:
        """The step or note with this code, or None if this catalogue does not have it."""
        return next((step for step in self.all_steps if step.code == code), None)

    @property
    def codes(self) -> tuple[StepCode, ...]:
        return tuple(step.code for step in self.steps)

    @property
    def all_steps(self) -> tuple[Step, ...]:
        return (*self.steps, *self.notes)
