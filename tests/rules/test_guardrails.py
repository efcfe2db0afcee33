"""The guardrail, rule by rule: what it refuses, every reason it gives, and from when."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from debt_collection.rules import (
    CaseHistory,
    ClaimItem,
    DebtorType,
    Objection,
    Payment,
    ReasonCode,
    SentLetter,
    StepCode,
    check_step,
)

from .support import d, kr, new_act_rules

S = StepCode
R = ReasonCode
DUE = "2026-01-10"


def case(debtor: DebtorType = DebtorType.CONSUMER, *letters: SentLetter, **extra) -> CaseHistory:
    return CaseHistory(
        debtor_type=debtor, items=(ClaimItem(kr("10000"), d(DUE)),), letters=letters, **extra
    )


def letter(step: StepCode, sent: str, deadline: str | None, fee: str = "0") -> SentLetter:
    return SentLetter(step, d(sent), d(deadline) if deadline else None, kr(fee))


def codes(verdict) -> list[ReasonCode]:
    return [reason.code for reason in verdict.reasons]


def test_first_reminder_after_14_days_is_allowed_with_its_fee():
    verdict = check_step(case=case(), step=S.REMINDER, on=d("2026-01-24"))
    assert verdict.allowed
    assert verdict.earliest == d("2026-01-24")
    assert verdict.deadline == d("2026-02-07")  # the shortest allowed: 14 days
    assert verdict.fee.increase == kr("38.00")


def test_reminder_before_14_days_is_refused_with_the_date_it_may_go():
    verdict = check_step(case=case(), step=S.REMINDER, on=d("2026-01-20"))
    assert not verdict.allowed
    assert codes(verdict) == [R.TOO_EARLY_FOR_FEE]
    assert verdict.earliest == d("2026-01-24")
    assert verdict.messages("nb") == [
        "Tidligst 24. januar 2026: gebyr kan først kreves 14 dager etter forfall (10. januar 2026)"
    ]
    assert verdict.messages("en") == [
        "Earliest 24 January 2026: a fee may not be charged until 14 days after the due "
        "date (10 January 2026)"
    ]


def test_inkassovarsel_may_go_early_but_without_its_fee():
    verdict = check_step(case=case(), step=S.COLLECTION_NOTICE, on=d("2026-01-12"))
    assert verdict.allowed
    assert verdict.fee.increase == 0
    assert [r.code for r in verdict.fee_withheld] == [R.TOO_EARLY_FOR_FEE]


def test_nothing_before_the_due_date_has_passed():
    verdict = check_step(case=case(), step=S.FRIENDLY_REMINDER, on=d(DUE))
    assert codes(verdict) == [R.NOT_OVERDUE]
    assert verdict.earliest == d("2026-01-11")


def test_friendly_reminder_may_give_seven_days_others_fourteen():
    assert check_step(
        case=case(), step=S.FRIENDLY_REMINDER, on=d("2026-01-11"), deadline=d("2026-01-18")
    ).allowed
    short = check_step(case=case(), step=S.REMINDER, on=d("2026-01-24"), deadline=d("2026-02-06"))
    assert codes(short) == [R.DEADLINE_TOO_SHORT]
    assert short.reasons[0].params == {"step": S.REMINDER, "minimum": 14, "given": 13}
    assert short.earliest is None  # waiting does not lengthen the deadline
    assert short.messages("en") == ["The deadline in the reminder must be at least 14 days, not 13"]


def test_second_reminder_waits_for_the_first_deadline_and_says_so():
    history = case(DebtorType.CONSUMER, letter(S.REMINDER, "2026-01-20", "2026-02-03", "38"))
    verdict = check_step(case=history, step=S.REMINDER, on=d("2026-01-28"))
    assert not verdict.allowed
    assert codes(verdict) == [R.PREVIOUS_DEADLINE_RUNNING, R.SECOND_FEE_BEFORE_FIRST_DEADLINE]
    assert verdict.earliest == d("2026-02-04")
    assert verdict.messages("nb") == [
        "Tidligst 4. februar 2026: fristen i purringen løper til og med 3. februar 2026",
        "Tidligst 4. februar 2026: et andre gebyr krever at fristen i purringen "
        "(3. februar 2026) er gått ut",
    ]
    assert verdict.messages("en")[0] == (
        "Earliest 4 February 2026: the deadline in the reminder runs until "
        "3 February 2026 inclusive"
    )
    assert check_step(case=history, step=S.REMINDER, on=d("2026-02-04")).allowed


def test_payment_on_the_last_day_of_the_deadline_is_on_time():
    history = case(DebtorType.CONSUMER, letter(S.REMINDER, "2026-01-20", "2026-02-03", "38"))
    assert not check_step(case=history, step=S.COLLECTION_NOTICE, on=d("2026-02-03")).allowed
    assert check_step(case=history, step=S.COLLECTION_NOTICE, on=d("2026-02-04")).allowed


def test_second_fee_needs_a_14_day_deadline_in_the_first():
    # A first reminder with a 10-day deadline (sent outside the guardrail) blocks a second fee
    # until the six-month reset.
    history = case(DebtorType.CONSUMER, letter(S.REMINDER, "2026-01-24", "2026-02-03", "38"))
    verdict = check_step(case=history, step=S.REMINDER, on=d("2026-02-10"))
    assert codes(verdict) == [R.SECOND_FEE_NEEDS_LONGER_FIRST_DEADLINE]
    assert verdict.earliest == d("2026-07-24")
    notice = check_step(case=history, step=S.COLLECTION_NOTICE, on=d("2026-02-10"))
    assert notice.allowed and notice.fee.increase == 0


def two_fees() -> CaseHistory:
    return case(
        DebtorType.CONSUMER,
        letter(S.REMINDER, "2026-01-24", "2026-02-07", "38"),
        letter(S.REMINDER, "2026-02-08", "2026-02-22", "38"),
    )


def test_third_small_fee_is_refused_until_six_months_after_the_last_fee():
    verdict = check_step(case=two_fees(), step=S.REMINDER, on=d("2026-02-23"))
    assert codes(verdict) == [R.FEE_LIMIT_REACHED]
    assert verdict.earliest == d("2026-08-08")
    assert verdict.messages("nb") == [
        "Tidligst 8. august 2026: to gebyrer er allerede krevd; nye gebyrer kan først kreves "
        "6 måneder etter det siste (8. februar 2026)"
    ]
    assert check_step(case=two_fees(), step=S.REMINDER, on=d("2026-08-08")).allowed
    # The inkassovarsel may still go, without a fee.
    notice = check_step(case=two_fees(), step=S.COLLECTION_NOTICE, on=d("2026-02-23"))
    assert notice.allowed and notice.fee.increase == 0
    assert [r.code for r in notice.fee_withheld] == [R.FEE_LIMIT_REACHED]


def test_payment_demand_only_after_a_missed_inkassovarsel_deadline():
    history = case(DebtorType.CONSUMER, letter(S.REMINDER, "2026-01-24", "2026-02-07", "38"))
    never = check_step(case=history, step=S.PAYMENT_DEMAND, on=d("2026-02-10"))
    assert codes(never) == [R.NEEDS_MISSED_DEADLINE_OF]
    assert never.earliest is None
    history = history.with_letter(letter(S.COLLECTION_NOTICE, "2026-02-08", "2026-02-22", "38"))
    early = check_step(case=history, step=S.PAYMENT_DEMAND, on=d("2026-02-15"))
    assert early.earliest == d("2026-02-23")
    allowed = check_step(case=history, step=S.PAYMENT_DEMAND, on=d("2026-02-23"))
    assert allowed.allowed
    assert allowed.fee.increase == kr("113.00")


def test_an_objection_pauses_dunning_and_stops_fees_until_withdrawn():
    objection = Objection(d("2026-01-15"))
    history = case(DebtorType.CONSUMER, objections=(objection,))
    verdict = check_step(case=history, step=S.REMINDER, on=d("2026-01-30"))
    assert codes(verdict) == [R.DUNNING_PAUSED_BY_OBJECTION, R.FEES_STOPPED_BY_OBJECTION]
    assert verdict.earliest is None
    withdrawn = replace(history, objections=(replace(objection, withdrawn_on=d("2026-01-29")),))
    assert check_step(case=withdrawn, step=S.REMINDER, on=d("2026-01-30")).allowed


def test_an_objection_leaves_the_conciliation_board_route_open():
    history = case(DebtorType.CONSUMER, objections=(Objection(d("2026-01-15")),))
    assert check_step(case=history, step=S.PRE_SUIT_NOTICE, on=d("2026-01-20")).allowed
    history = history.with_letter(letter(S.PRE_SUIT_NOTICE, "2026-01-20", "2026-02-03"))
    assert codes(check_step(case=history, step=S.CONCILIATION_COMPLAINT, on=d("2026-02-03"))) == [
        R.PREVIOUS_DEADLINE_RUNNING,
        R.NEEDS_MISSED_DEADLINE_OF,
    ]
    assert check_step(case=history, step=S.CONCILIATION_COMPLAINT, on=d("2026-02-04")).allowed


def notice_sent(on: str = "2026-01-20", deadline: str = "2026-02-03") -> CaseHistory:
    notice = letter(S.FINAL_NOTICE_ENFORCEMENT, on, deadline)
    due = min(d(DUE), d(on) - timedelta(days=10))  # the notice comes after the due date
    return replace(case(DebtorType.CONSUMER, notice), items=(ClaimItem(kr("10000"), due),))


def test_enforcement_14_days_after_the_4_18_notice():
    too_soon = check_step(case=notice_sent(), step=S.ENFORCEMENT_REQUEST, on=d("2026-02-02"))
    assert R.WAIT_NOT_OVER in codes(too_soon)
    assert too_soon.earliest == d("2026-02-04")  # the notice's deadline ends 2026-02-03
    on_time = check_step(case=notice_sent(), step=S.ENFORCEMENT_REQUEST, on=d("2026-02-04"))
    assert on_time.allowed
    assert on_time.deadline is None  # a filing sets no deadline for the debtor


def test_enforcement_notice_expires_a_year_after_its_two_weeks():
    history = notice_sent("2025-01-20", "2025-02-03")
    assert check_step(case=history, step=S.ENFORCEMENT_REQUEST, on=d("2026-02-03")).allowed
    expired = check_step(case=history, step=S.ENFORCEMENT_REQUEST, on=d("2026-02-04"))
    assert codes(expired) == [R.WAIT_EXPIRED]
    assert expired.earliest is None


def test_enforcement_needs_an_undisputed_claim_and_lists_every_reason():
    history = replace(notice_sent(), objections=(Objection(d("2026-01-25")),))
    verdict = check_step(case=history, step=S.ENFORCEMENT_REQUEST, on=d("2026-01-30"))
    assert codes(verdict) == [R.PREVIOUS_DEADLINE_RUNNING, R.CLAIM_DISPUTED, R.WAIT_NOT_OVER]
    assert verdict.earliest is None
    assert verdict.messages("en")[1] == (
        "The debtor objected on 25 January 2026; the request for enforcement is only for "
        "undisputed claims, so the claim must go to the conciliation board"
    )


def test_enforcement_without_a_notice_is_refused():
    verdict = check_step(case=case(), step=S.ENFORCEMENT_REQUEST, on=d("2026-03-01"))
    assert codes(verdict) == [R.WAIT_PREREQUISITE_MISSING]
    assert verdict.earliest is None


def test_consumers_never_get_the_bankruptcy_route():
    for step in (S.FINAL_NOTICE_BANKRUPTCY, S.BANKRUPTCY_NOTICE, S.BANKRUPTCY_PETITION):
        verdict = check_step(case=case(), step=step, on=d("2026-06-01"))
        assert R.BUSINESS_DEBTORS_ONLY in codes(verdict)
        assert verdict.earliest is None


def test_bankruptcy_notice_30_days_after_the_first_demand_then_petition_after_14():
    history = case(DebtorType.BUSINESS, letter(S.FRIENDLY_REMINDER, "2026-01-11", "2026-01-18"))
    early = check_step(case=history, step=S.BANKRUPTCY_NOTICE, on=d("2026-02-01"))
    assert codes(early) == [R.WAIT_NOT_OVER]
    assert early.earliest == d("2026-02-10")
    assert check_step(case=history, step=S.BANKRUPTCY_NOTICE, on=d("2026-02-10")).allowed
    history = history.with_letter(letter(S.BANKRUPTCY_NOTICE, "2026-02-10", "2026-02-24"))
    assert check_step(case=history, step=S.BANKRUPTCY_PETITION, on=d("2026-02-25")).allowed


def test_a_paid_claim_gets_no_letter():
    history = replace(
        case(DebtorType.CONSUMER, letter(S.REMINDER, "2026-01-24", "2026-02-07", "38")),
        payments=(Payment(d("2026-02-01"), kr("10038")),),
    )
    verdict = check_step(case=history, step=S.COLLECTION_NOTICE, on=d("2026-02-10"))
    assert codes(verdict) == [R.CLAIM_SETTLED]
    assert verdict.earliest is None
    part_paid = replace(history, payments=(Payment(d("2026-02-01"), kr("5000")),))
    assert check_step(case=part_paid, step=S.COLLECTION_NOTICE, on=d("2026-02-10")).allowed


def test_events_after_the_date_asked_about_are_ignored():
    history = replace(case(), payments=(Payment(d("2026-03-01"), kr("10000")),))
    assert check_step(case=history, step=S.REMINDER, on=d("2026-01-24")).allowed


def test_a_missing_interest_rate_blocks_interest_bearing_letters_but_not_the_date():
    history = case(DebtorType.CONSUMER)
    verdict = check_step(case=history, step=S.COLLECTION_NOTICE, on=d("2027-01-04"))
    assert codes(verdict) == [R.FIGURE_UNKNOWN]
    assert verdict.earliest == d("2027-01-04")  # fill in the rate; no waiting needed
    assert verdict.messages("nb") == [
        "Satstabellen mangler forsinkelsesrente for 4. januar 2027; dette må legges inn før "
        "brevet sendes"
    ]
    assert check_step(case=history, step=S.FRIENDLY_REMINDER, on=d("2027-01-04")).allowed


def test_earliest_skips_past_several_obstacles_in_turn():
    # Two obstacles with different end dates (the friendly reminder's deadline, 30 January;
    # the 14 days before a fee, 24 January): the later one decides.
    history = case(DebtorType.CONSUMER, letter(S.FRIENDLY_REMINDER, "2026-01-11", "2026-01-30"))
    verdict = check_step(case=history, step=S.REMINDER, on=d("2026-01-12"))
    assert codes(verdict) == [R.PREVIOUS_DEADLINE_RUNNING, R.TOO_EARLY_FOR_FEE]
    assert verdict.earliest == d("2026-01-31")
    assert check_step(case=history, step=S.REMINDER, on=verdict.earliest).allowed


def test_new_act_obviously_groundless_objection_does_not_stop_costs():
    rules = new_act_rules(demand_letter_fee="38")
    base = CaseHistory(
        debtor_type=DebtorType.CONSUMER, items=(ClaimItem(kr("1000"), d("2026-12-01")),)
    )
    groundless = replace(base, objections=(Objection(d("2027-01-02"), obviously_groundless=True),))
    real = replace(base, objections=(Objection(d("2027-01-02")),))
    assert check_step(
        case=groundless, step=S.DEMAND_LETTER, on=d("2027-01-05"), rules=rules
    ).allowed
    assert not check_step(case=real, step=S.DEMAND_LETTER, on=d("2027-01-05"), rules=rules).allowed
    # Today's law: the product stops on any objection, groundless or not.
    today = replace(case(), objections=(Objection(d("2026-01-15"), obviously_groundless=True),))
    assert not check_step(case=today, step=S.REMINDER, on=d("2026-01-30")).allowed


def test_payment_demand_fee_needs_a_missed_14_day_deadline_even_with_no_earlier_fee():
    # Found by the property test: an inkassovarsel with a 5-day deadline (sent before the
    # guardrail) and no fee so far. The payment demand may follow, but without the 3/20 fee.
    history = case(DebtorType.CONSUMER, letter(S.COLLECTION_NOTICE, "2026-01-12", "2026-01-17"))
    verdict = check_step(case=history, step=S.PAYMENT_DEMAND, on=d("2026-01-25"))
    assert verdict.allowed
    assert verdict.fee.increase == 0
    assert [r.code for r in verdict.fee_withheld] == [R.DEMAND_FEE_NEEDS_MISSED_DEADLINE]
