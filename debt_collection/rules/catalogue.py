"""The dunning and legal steps a creditor collecting its own claims may take, as data.

Two catalogues: today's (inkassoloven 1988 with tvangsfullbyrdelsesloven) and the one for
the new Debt Collection Act (LOV-2026-05-22-19). `catalogue_for(on=...)` picks today's
unless the rates file sets the new Act's in-force date and `on` is on or after it. The
guardrail (guardrails.py) reads the flags set here; it has no step-specific branches.
Minimum deadlines are not here but in the rates file, by letter type.

Each catalogue also has two notes, sent because the debtor paid and not as a step of the
sequence (the planner decides when): the restnota and the rentenota.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .content import LetterType
from .loader import default_rules
from .ruleset import Rules
from .steps import (
    CHAPTER_ONE_FEES,
    SMALL_FEES,
    AfterPayment,
    Catalogue,
    FeeRule,
    ObjectionRule,
    Recipient,
    Regime,
    Sender,
    Step,
    StepCode,
    WaitRule,
)

__all__ = [
    "CHAPTER_ONE_FEES",
    "CURRENT_CATALOGUE",
    "NEW_ACT_CATALOGUE",
    "SMALL_FEES",
    "AfterPayment",
    "Catalogue",
    "FeeRule",
    "ObjectionRule",
    "Recipient",
    "Regime",
    "Sender",
    "Step",
    "StepCode",
    "WaitRule",
    "catalogue_for",
]

S = StepCode
CREDITOR = frozenset({Sender.CREDITOR})
CREDITOR_OR_AGENCY = frozenset({Sender.CREDITOR, Sender.LICENSED_AGENCY})
AGENCY_ONLY = frozenset({Sender.LICENSED_AGENCY})
ENFORCEMENT_NOTICES = frozenset({S.PAYMENT_DEMAND, S.FINAL_NOTICE_ENFORCEMENT})

FRIENDLY_REMINDER = Step(
    code=S.FRIENDLY_REMINDER,
    letter_type=LetterType.FRIENDLY_REMINDER,
    name_nb="Betalingspåminnelse",
    name_en="Payment reminder",
    legal_basis="No legal requirement and no fee (Altinn)",
    senders=CREDITOR_OR_AGENCY,
)
REMINDER = Step(
    code=S.REMINDER,
    letter_type=LetterType.REMINDER,
    name_nb="Purring",
    name_en="Reminder",
    legal_basis="inkassoforskriften §§ 1-2, 1-3",
    senders=CREDITOR_OR_AGENCY,
    fee_rule=FeeRule.REMINDER_FRACTION,
    fee_required=True,
)
COLLECTION_NOTICE = Step(
    code=S.COLLECTION_NOTICE,
    letter_type=LetterType.COLLECTION_NOTICE,
    name_nb="Inkassovarsel",
    name_en="Notice of collection",
    legal_basis="inkassoloven § 9; inkassoforskriften § 1-2",
    senders=CREDITOR_OR_AGENCY,
    fee_rule=FeeRule.REMINDER_FRACTION,
)
PAYMENT_DEMAND = Step(
    code=S.PAYMENT_DEMAND,
    letter_type=LetterType.PAYMENT_DEMAND,
    name_nb="Betalingsoppfordring og varsel etter tvangsfullbyrdelsesloven § 4-18",
    name_en="Payment demand with notice under the Enforcement Act § 4-18",
    legal_basis="inkassoloven § 10; inkassoforskriften § 1-2; tvangsfullbyrdelsesloven § 4-18",
    senders=CREDITOR_OR_AGENCY,
    fee_rule=FeeRule.PAYMENT_DEMAND_FRACTION,
    optional=False,  # Kredin's gate to the legal steps
    enforcement_notice=True,
    requires_missed=frozenset({S.COLLECTION_NOTICE}),
)
FINAL_NOTICE_ENFORCEMENT = Step(
    code=S.FINAL_NOTICE_ENFORCEMENT,
    letter_type=LetterType.ENFORCEMENT_NOTICE,
    name_nb="Sistevarsel før utlegg",
    name_en="Final notice before enforcement",
    legal_basis="tvangsfullbyrdelsesloven § 4-18",
    senders=CREDITOR,
    enforcement_notice=True,
)
FINAL_NOTICE_BANKRUPTCY = Step(
    code=S.FINAL_NOTICE_BANKRUPTCY,
    letter_type=LetterType.BANKRUPTCY_WARNING,
    name_nb="Purring før konkursvarsel",
    name_en="Reminder before bankruptcy notice",
    legal_basis="Kredin's step before konkursloven § 63",
    senders=CREDITOR,
    business_only=True,
)
PRE_SUIT_NOTICE = Step(
    code=S.PRE_SUIT_NOTICE,
    letter_type=LetterType.PRE_SUIT_NOTICE,
    name_nb="Prosessvarsel",
    name_en="Pre-suit notice",
    legal_basis="tvisteloven § 5-2",
    senders=CREDITOR,
    stops_on_objection=False,  # the route for a disputed claim
)
ENFORCEMENT_REQUEST = Step(
    code=S.ENFORCEMENT_REQUEST,
    letter_type=LetterType.ENFORCEMENT_REQUEST,
    name_nb="Begjæring om utlegg",
    name_en="Request for enforcement",
    legal_basis="tvangsfullbyrdelsesloven §§ 4-18, 4-19, 7-2 (f); rettsgebyrloven § 14",
    senders=CREDITOR,
    recipient=Recipient.ENFORCEMENT_OFFICER,
    fee_rule=FeeRule.COURT_FEE,
    court_fee_key="enforcement_request",
    needs_undisputed=True,
    wait=WaitRule(
        after=ENFORCEMENT_NOTICES,
        period="enforcement_after_notice",
        validity="enforcement_notice_validity",
    ),
)
CONCILIATION_COMPLAINT = Step(
    code=S.CONCILIATION_COMPLAINT,
    letter_type=LetterType.CONCILIATION_COMPLAINT,
    name_nb="Forliksklage",
    name_en="Complaint to the conciliation board",
    legal_basis="tvisteloven § 5-2; rettsgebyrloven § 7",
    senders=CREDITOR,
    recipient=Recipient.CONCILIATION_BOARD,
    fee_rule=FeeRule.COURT_FEE,
    court_fee_key="conciliation_complaint",
    stops_on_objection=False,
    requires_missed=frozenset({S.PRE_SUIT_NOTICE}),
)
BANKRUPTCY_NOTICE = Step(
    code=S.BANKRUPTCY_NOTICE,
    letter_type=LetterType.BANKRUPTCY_NOTICE,
    name_nb="Konkursvarsel",
    name_en="Bankruptcy notice served by a process server",
    legal_basis="konkursloven § 63",
    senders=CREDITOR,
    fee_rule=FeeRule.COURT_FEE,
    court_fee_key="bankruptcy_service",
    business_only=True,
    needs_undisputed=True,  # a design inference: no bankruptcy route for a disputed claim
    wait=WaitRule(after=None, period="bankruptcy_notice_after_first_demand", use_first=True),
)
BANKRUPTCY_PETITION = Step(
    code=S.BANKRUPTCY_PETITION,
    letter_type=LetterType.BANKRUPTCY_PETITION,
    name_nb="Konkursbegjæring",
    name_en="Bankruptcy petition",
    legal_basis="konkursloven § 63; rettsgebyrloven",
    senders=CREDITOR,
    recipient=Recipient.DISTRICT_COURT,
    fee_rule=FeeRule.COURT_FEE,
    court_fee_key="bankruptcy_opening",
    business_only=True,
    needs_undisputed=True,
    wait=WaitRule(
        after=frozenset({S.BANKRUPTCY_NOTICE}), period="bankruptcy_petition_after_notice"
    ),
)
LEGAL_STEPS = (
    FINAL_NOTICE_ENFORCEMENT,
    FINAL_NOTICE_BANKRUPTCY,
    PRE_SUIT_NOTICE,
    ENFORCEMENT_REQUEST,
    CONCILIATION_COMPLAINT,
    BANKRUPTCY_NOTICE,
    BANKRUPTCY_PETITION,
)


# Statements after a payment. No statute provides for them or for a fee with them: they
# are practice (Kredin offers both), and the interest they claim is the statutory late
# interest. Neither is a notice of collection or a payment demand, so the new Act's
# §§ 20-21 do not reserve them for agencies: the same two serve both catalogues.
REMAINDER_NOTE = Step(
    code=S.REMAINDER_NOTE,
    letter_type=LetterType.REMAINDER_NOTE,
    name_nb="Restnota",
    name_en="Statement of remaining balance",
    legal_basis=(
        "Practice, no statute: the balance left after a part-payment, no fee; "
        "interest under forsinkelsesrenteloven §§ 2 og 3"
    ),
    senders=CREDITOR_OR_AGENCY,
    after_payment=AfterPayment.PART,
)
INTEREST_NOTE = Step(
    code=S.INTEREST_NOTE,
    letter_type=LetterType.INTEREST_NOTE,
    name_nb="Rentenota",
    name_en="Statement of late-payment interest",
    legal_basis=(
        "Practice, no statute: the interest and costs left once the principal was paid "
        "late, no fee; interest under forsinkelsesrenteloven §§ 2 og 3"
    ),
    senders=CREDITOR_OR_AGENCY,
    after_payment=AfterPayment.PRINCIPAL,
)
NOTES = (REMAINDER_NOTE, INTEREST_NOTE)

CURRENT_CATALOGUE = Catalogue(
    regime=Regime.INKASSOLOVEN_1988,
    name="Inkassoloven 1988 and tvangsfullbyrdelsesloven",
    steps=(FRIENDLY_REMINDER, REMINDER, COLLECTION_NOTICE, PAYMENT_DEMAND, *LEGAL_STEPS),
    objection_rule=ObjectionRule.ANY_OBJECTION,
    notes=NOTES,
)

# New Act: §§ 20-21 reserve the inkassovarsel and the payment demand for collection
# agencies; the creditor's own fee-bearing letter becomes a "kravbrev" (§ 19) whose fee and
# timing await a regulation, so its fee is data (empty) and today's 14-day and two-fee
# rules are ASSUMED to carry over. The tvfbl § 4-18 notice is in another act and stays.
DEMAND_LETTER = Step(
    code=S.DEMAND_LETTER,
    letter_type=LetterType.DEMAND_LETTER,
    name_nb="Kravbrev",
    name_en="Demand letter",
    legal_basis="LOV-2026-05-22-19 § 19 (regulation not issued)",
    senders=CREDITOR_OR_AGENCY,
    fee_rule=FeeRule.DEMAND_LETTER_FEE,
    fee_required=True,
)
NEW_ACT_CATALOGUE = Catalogue(
    regime=Regime.INKASSOLOVEN_2026,
    name="Inkassoloven 2026 (LOV-2026-05-22-19)",
    steps=(
        FRIENDLY_REMINDER,
        DEMAND_LETTER,
        replace(
            COLLECTION_NOTICE,
            senders=AGENCY_ONLY,
            fee_rule=FeeRule.NONE,
            legal_basis="LOV-2026-05-22-19 § 20",
        ),
        replace(
            PAYMENT_DEMAND,
            senders=AGENCY_ONLY,
            fee_rule=FeeRule.NONE,
            legal_basis="LOV-2026-05-22-19 § 21; Prop. 3 L (2025-2026) 13.4.4",
        ),
        *LEGAL_STEPS,
    ),
    objection_rule=ObjectionRule.UNLESS_OBVIOUSLY_GROUNDLESS,
    notes=NOTES,
)


def catalogue_for(*, on: date, rules: Rules | None = None) -> Catalogue:
    """Today's catalogue, or the new Act's once its in-force date is set and reached."""
    rules = rules if rules is not None else default_rules()
    in_force = rules.new_act_in_force
    if in_force is not None and on >= in_force:
        return replace(NEW_ACT_CATALOGUE, in_force_from=in_force)
    return CURRENT_CATALOGUE
