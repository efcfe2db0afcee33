"""Limitation: three years from the due date, restarted by acknowledgment, not by letters."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from debt_collection.rules import (
    CaseHistory,
    ClaimItem,
    DebtorType,
    Payment,
    ReasonCode,
    SentLetter,
    StepCode,
    catalogue_for,
    check_step,
    is_time_barred,
    limitation_date,
    limitation_date_for_case,
)

from .support import d, kr


def test_three_years_from_the_due_date():
    assert limitation_date(due_date=d("2026-01-10")) == d("2029-01-10")


def test_leap_day_due_date_ends_on_28_february():
    assert limitation_date(due_date=d("2024-02-29")) == d("2027-02-28")


def test_part_payment_restarts_the_full_period():
    assert limitation_date(due_date=d("2026-01-10"), acknowledged_on=[d("2027-06-01")]) == d(
        "2030-06-01"
    )


def test_acknowledgment_after_expiry_does_not_revive():
    assert limitation_date(due_date=d("2020-01-10"), acknowledged_on=[d("2023-01-11")]) == d(
        "2023-01-10"
    )


def test_legal_step_interrupts():
    assert limitation_date(due_date=d("2026-01-10"), legal_steps_on=[d("2026-06-01")]) is None


def test_case_history_payments_restart_letters_do_not():
    case = CaseHistory(
        debtor_type=DebtorType.CONSUMER,
        items=(ClaimItem(kr("1000"), d("2026-01-10")),),
        letters=(
            SentLetter(StepCode.REMINDER, d("2026-01-24"), d("2026-02-07"), kr("38")),
            SentLetter(StepCode.PAYMENT_DEMAND, d("2026-03-01"), d("2026-03-15"), kr("113")),
        ),
    )
    assert limitation_date_for_case(case=case) == d("2029-01-10")
    paid = CaseHistory(
        debtor_type=case.debtor_type,
        items=case.items,
        letters=case.letters,
        payments=(Payment(d("2026-05-05"), kr("100")),),
    )
    assert limitation_date_for_case(case=paid) == d("2029-05-05")
    filed = CaseHistory(
        debtor_type=case.debtor_type,
        items=case.items,
        letters=(*case.letters, SentLetter(StepCode.ENFORCEMENT_REQUEST, d("2026-04-01"), None)),
    )
    assert limitation_date_for_case(case=filed) is None


due_dates = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))


@given(due=due_dates, offset=st.integers(min_value=0, max_value=3 * 365))
def test_a_part_payment_on_day_d_restarts_from_d(due, offset):
    paid_on = due + timedelta(days=offset)
    plain = limitation_date(due_date=due)
    if paid_on <= plain:
        assert limitation_date(due_date=due, acknowledged_on=[paid_on]) == limitation_date(
            due_date=paid_on
        )


@given(
    due=due_dates,
    letters=st.lists(
        st.tuples(st.sampled_from(list(StepCode)), st.integers(min_value=1, max_value=2000)),
        max_size=6,
    ),
)
def test_dunning_letters_never_move_the_date(due, letters):
    sent = tuple(
        SentLetter(step, due + timedelta(days=days), None, Decimal(0))
        for step, days in letters
        if step not in (StepCode.ENFORCEMENT_REQUEST, StepCode.CONCILIATION_COMPLAINT)
    )
    case = CaseHistory(
        debtor_type=DebtorType.BUSINESS, items=(ClaimItem(Decimal(500), due),), letters=sent
    )
    assert limitation_date_for_case(case=case) == limitation_date(due_date=due)


def test_a_recorded_acknowledgment_revives_a_time_barred_claim():
    assert limitation_date(due_date=d("2020-01-10"), renewed_on=[d("2023-06-01")]) == d(
        "2026-06-01"
    )
    # A payment past the date does not, but one after the revival extends it again.
    assert limitation_date(
        due_date=d("2020-01-10"),
        acknowledged_on=[d("2023-03-01"), d("2024-02-01")],
        renewed_on=[d("2023-06-01")],
    ) == d("2027-02-01")


def test_case_acknowledgments_renew_the_period():
    case = CaseHistory(
        debtor_type=DebtorType.CONSUMER,
        items=(ClaimItem(kr("1000"), d("2020-01-10")),),
        acknowledgments=(d("2024-01-15"),),
    )
    assert limitation_date_for_case(case=case) == d("2027-01-15")
    assert not is_time_barred(case=case, on=d("2025-01-01"))
    assert is_time_barred(case=case, on=d("2023-06-01"))


@given(due=due_dates, offset=st.integers(min_value=1, max_value=400))
def test_every_step_is_refused_past_the_limitation_date(due, offset):
    case = CaseHistory(debtor_type=DebtorType.BUSINESS, items=(ClaimItem(Decimal(500), due),))
    expires = limitation_date(due_date=due)
    on = expires + timedelta(days=offset)
    catalogue = catalogue_for(on=on)
    for step in StepCode:
        if catalogue.step(step) is None:
            continue  # refused as not available, before any other rule
        verdict = check_step(case=case, step=step, on=on)
        codes = {reason.code for reason in verdict.reasons}
        assert ReasonCode.CLAIM_TIME_BARRED in codes
        assert not verdict.allowed
        assert verdict.earliest is None


def test_time_barred_reason_names_the_date_and_the_act():
    case = CaseHistory(
        debtor_type=DebtorType.CONSUMER, items=(ClaimItem(kr("1000"), d("2022-01-10")),)
    )
    verdict = check_step(case=case, step=StepCode.REMINDER, on=d("2025-02-01"))
    barred = [r for r in verdict.reasons if r.code is ReasonCode.CLAIM_TIME_BARRED]
    assert len(barred) == 1
    message = barred[0].message("nb")
    assert "foreldelsesloven §§ 2–3" in message
    assert "10.01.2025" in message or "10. januar 2025" in message
    # The day before it expires the reason is not there.
    ok = check_step(case=case, step=StepCode.REMINDER, on=d("2025-01-10"))
    assert ReasonCode.CLAIM_TIME_BARRED not in {r.code for r in ok.reasons}
