"""Fees: inkassosats fractions by due date, the sats by sending date, § 3a netting, court fees."""

from __future__ import annotations

from decimal import Decimal

import pytest

from debt_collection.rules import (
    CaseHistory,
    ClaimItem,
    DebtorType,
    FeeRule,
    FigureUnknownError,
    Objection,
    ReasonCode,
    SentLetter,
    StepCode,
    court_fee,
    default_rules,
    fee_for_step,
    quote_fee,
    statutory_fee_amount,
)

from .support import d, kr, new_act_rules, replaced, rules_from

REMINDER = FeeRule.REMINDER_FRACTION
DEMAND = FeeRule.PAYMENT_DEMAND_FRACTION


@pytest.mark.parametrize(
    ("due", "sent", "reminder", "demand"),
    [
        ("2020-09-30", "2020-10-20", "70.00", "210.00"),  # due before 2020-10-01: 1/10, 3/10
        ("2020-10-01", "2020-10-20", "35.00", "105.00"),  # due from 2020-10-01: 1/20, 3/20
        ("2025-11-20", "2025-12-20", "35.00", "105.00"),  # sats 700 until 2025-12-31
        ("2025-11-20", "2026-01-05", "38.00", "113.00"),  # sats on SENDING: 750/20 = 37.50 -> 38
        ("2020-09-15", "2026-02-01", "75.00", "225.00"),  # old fraction, new sats
    ],
)
def test_chapter_one_fees(due, sent, reminder, demand):
    rules = default_rules()
    assert statutory_fee_amount(fee_rule=REMINDER, due_date=d(due), on=d(sent), rules=rules) == kr(
        reminder
    )
    assert statutory_fee_amount(fee_rule=DEMAND, due_date=d(due), on=d(sent), rules=rules) == kr(
        demand
    )


def test_without_the_rounding_rule_a_half_krone_stays():
    # A sats of 710 under the pre-2026 rule (no rounding sentence) gives 35.50, not 36.
    rules = rules_from(
        replaced(
            'amount_nok = "700"\nfee_rounding = "nearest_ore"',
            'amount_nok = "710"\nfee_rounding = "nearest_ore"',
        )
    )
    fee = statutory_fee_amount(
        fee_rule=REMINDER, due_date=d("2021-01-01"), on=d("2021-02-01"), rules=rules
    )
    assert fee == kr("35.50")


@pytest.mark.parametrize(
    ("key", "on", "expected"),
    [
        ("enforcement_request", "2024-03-01", "1545.00"),  # 1.21 x 1277 = 1545.17, rounded down
        ("enforcement_request", "2025-03-01", "1589.00"),  # 1.21 x 1314 = 1589.94, rounded down
        ("enforcement_request", "2021-03-01", "1498.00"),  # 1.25 x 1199 = 1498.75
        ("enforcement_request", "2020-03-01", "1992.00"),  # 1.7 x 1172 = 1992.40
        ("conciliation_complaint", "2024-03-01", "1404.00"),  # 1.1 x 1277 = 1404.70
        ("conciliation_complaint", "2021-03-01", "1378.00"),  # 1.15 x 1199 = 1378.85
        ("bankruptcy_service", "2024-03-01", "510.00"),  # 0.4 x 1277 = 510.80
        ("bankruptcy_opening", "2025-03-01", "5715.00"),  # 4.35 x 1314 = 5715.90
    ],
)
def test_court_fees_are_rounded_down_to_whole_kroner(key, on, expected):
    assert court_fee(key=key, on=d(on), rules=default_rules()) == kr(expected)


@pytest.mark.parametrize(
    ("key", "on"),
    [
        ("enforcement_request", "2026-03-01"),  # R for 2026 unknown
        ("enforcement_request", "2023-03-01"),  # R for 2023 unknown
        ("conciliation_complaint", "2024-09-01"),  # multiplier after 2024-07-01 unknown
    ],
)
def test_unknown_court_fees_raise(key, on):
    with pytest.raises(FigureUnknownError):
        court_fee(key=key, on=d(on), rules=default_rules())


def case_of(debtor: DebtorType, *letters: SentLetter, due: str = "2025-03-01", **extra):
    return CaseHistory(
        debtor_type=debtor, items=(ClaimItem(kr("10000"), d(due)),), letters=letters, **extra
    )


def reminder(sent: str, deadline: str, fee: str = "35", compensation: str = "0") -> SentLetter:
    return SentLetter(StepCode.REMINDER, d(sent), d(deadline), kr(fee), kr(compensation))


def test_consumer_pays_the_fee_and_never_the_compensation():
    quote = quote_fee(case=case_of(DebtorType.CONSUMER), step=StepCode.REMINDER, on=d("2025-03-20"))
    assert (quote.statutory_fee, quote.b2b_compensation, quote.increase) == (
        kr("35.00"),
        kr("0"),
        kr("35.00"),
    )


def test_business_compensation_replaces_the_smaller_fees():
    case = case_of(DebtorType.BUSINESS)
    first = quote_fee(case=case, step=StepCode.REMINDER, on=d("2025-03-20"))
    # § 3a on 2025-03-20 is 470 kr: the claim grows by 470, not 470 + 35.
    assert (first.statutory_fee, first.b2b_compensation, first.increase) == (
        kr("35.00"),
        kr("470.00"),
        kr("470.00"),
    )
    case = case.with_letter(reminder("2025-03-20", "2025-04-03", "35", "470"))
    second = quote_fee(case=case, step=StepCode.COLLECTION_NOTICE, on=d("2025-04-04"))
    assert (second.statutory_fee, second.b2b_compensation, second.increase) == (
        kr("35.00"),
        kr("0"),
        kr("0"),
    )


def test_fees_above_the_compensation_add_only_the_excess():
    # Old fractions (due 2020-09) make 70 + 70 + 210 = 350 kr; § 3a on 2020-10-20 is 430 kr.
    case = case_of(DebtorType.BUSINESS, due="2020-09-01")
    case = case.with_letter(reminder("2020-10-20", "2020-11-03", "70", "430"))
    case = case.with_letter(
        SentLetter(StepCode.COLLECTION_NOTICE, d("2020-11-04"), d("2020-11-18"), kr("70"))
    )
    demand = quote_fee(case=case, step=StepCode.PAYMENT_DEMAND, on=d("2020-11-19"))
    assert demand.statutory_fee == kr("210.00")
    # Before: max(140, 430) = 430. After: max(350, 430) = 430. Nothing added.
    assert demand.increase == kr("0")


def test_fees_exceeding_the_compensation_add_the_difference():
    rules = rules_from(
        replaced(
            'amount_nok = "430"\nsource = "bsregnskap', 'amount_nok = "300"\nsource = "bsregnskap'
        )
    )
    case = case_of(DebtorType.BUSINESS, due="2020-09-01")
    case = case.with_letter(reminder("2020-10-20", "2020-11-03", "70", "300"))
    case = case.with_letter(
        SentLetter(StepCode.COLLECTION_NOTICE, d("2020-11-04"), d("2020-11-18"), kr("70"))
    )
    demand = quote_fee(case=case, step=StepCode.PAYMENT_DEMAND, on=d("2020-11-19"), rules=rules)
    # Before: max(140, 300) = 300. After: max(350, 300) = 350. The claim grows by 50.
    assert demand.increase == kr("50.00")


def test_compensation_is_claimable_before_a_fee_is():
    # Day 5 after due: no 1/20 fee yet, but § 3a is claimable from the due date.
    quote = quote_fee(
        case=case_of(DebtorType.BUSINESS), step=StepCode.COLLECTION_NOTICE, on=d("2025-03-06")
    )
    assert quote.statutory_fee == 0
    assert quote.b2b_compensation == kr("470.00")
    assert [r.code for r in quote.withheld] == [ReasonCode.TOO_EARLY_FOR_FEE]


def test_creditor_may_forgo_the_compensation():
    case = case_of(DebtorType.BUSINESS, claim_b2b_compensation=False)
    assert fee_for_step(case=case, step=StepCode.REMINDER, on=d("2025-03-20")) == kr("35.00")


def test_a_consumer_creditor_cannot_claim_compensation():
    case = case_of(DebtorType.BUSINESS, creditor_is_business=False)
    assert quote_fee(case=case, step=StepCode.REMINDER, on=d("2025-03-20")).b2b_compensation == 0


def test_unknown_compensation_is_withheld_not_guessed():
    # 2021 H1 has no § 3a figure in the data.
    quote = quote_fee(
        case=case_of(DebtorType.BUSINESS, due="2021-01-10"),
        step=StepCode.REMINDER,
        on=d("2021-02-01"),
    )
    assert quote.statutory_fee == kr("35.00")
    assert quote.b2b_compensation == 0
    assert ReasonCode.FIGURE_UNKNOWN in [r.code for r in quote.withheld]


def test_objection_stops_fees_and_compensation():
    case = case_of(DebtorType.BUSINESS, objections=(Objection(d("2025-03-10")),))
    quote = quote_fee(case=case, step=StepCode.COLLECTION_NOTICE, on=d("2025-03-20"))
    assert (quote.statutory_fee, quote.b2b_compensation, quote.increase) == (0, 0, 0)
    assert ReasonCode.FEES_STOPPED_BY_OBJECTION in [r.code for r in quote.withheld]


def test_fee_for_step_for_a_filing_is_the_court_fee():
    case = case_of(DebtorType.CONSUMER)
    assert fee_for_step(case=case, step=StepCode.ENFORCEMENT_REQUEST, on=d("2025-06-01")) == kr(
        "1589.00"
    )
    with pytest.raises(FigureUnknownError):
        fee_for_step(case=case, step=StepCode.ENFORCEMENT_REQUEST, on=d("2026-06-01"))


def test_letters_without_a_fee_rule_cost_nothing():
    case = case_of(DebtorType.BUSINESS)
    assert fee_for_step(case=case, step=StepCode.FRIENDLY_REMINDER, on=d("2025-03-20")) == 0
    assert fee_for_step(case=case, step=StepCode.FINAL_NOTICE_ENFORCEMENT, on=d("2025-03-20")) == 0


def test_new_act_kravbrev_fee_comes_from_data():
    case = case_of(DebtorType.CONSUMER, due="2026-12-01")
    assert fee_for_step(
        case=case,
        step=StepCode.DEMAND_LETTER,
        on=d("2027-01-05"),
        rules=new_act_rules(demand_letter_fee="40"),
    ) == kr("40.00")
    unknown = quote_fee(
        case=case, step=StepCode.DEMAND_LETTER, on=d("2027-01-05"), rules=new_act_rules()
    )
    assert unknown.statutory_fee == 0
    assert ReasonCode.FIGURE_UNKNOWN in [r.code for r in unknown.withheld]
    # The creditor's own inkassovarsel carries no fee under the new Act (Prop. 3 L 13.4.4).
    assert quote_fee(
        case=case, step=StepCode.COLLECTION_NOTICE, on=d("2027-01-05"), rules=new_act_rules()
    ).increase == Decimal("0")
