"""The restnota and rentenota in the rules: in both catalogues but not in the sequence, no
fee, a 14-day deadline from the data, and what check_step says about them (and, with a
note in the case, about the steps that follow it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from debt_collection.rules import (
    CURRENT_CATALOGUE,
    NEW_ACT_CATALOGUE,
    CaseHistory,
    ClaimItem,
    ContentElement,
    DebtorType,
    FeeRule,
    Objection,
    Payment,
    ReasonCode,
    Recipient,
    Sender,
    SentLetter,
    StepCode,
    catalogue_for,
    check_step,
    default_rules,
    late_interest,
)
from debt_collection.rules.formatting import step_in_sentence, step_title
from tests.rules.support import new_act_rules

S = StepCode
E = ContentElement
NOTES = (S.REMAINDER_NOTE, S.INTEREST_NOTE)
DUE = date(2026, 1, 10)
PAID_ON, ON = date(2026, 3, 1), date(2026, 3, 2)


def kr(text: str) -> Decimal:
    return Decimal(text)


def case(*payments: tuple[date, str], letters=(), objections=(), principal="10000") -> CaseHistory:
    return CaseHistory(
        debtor_type=DebtorType.CONSUMER,
        items=(ClaimItem(kr(principal), DUE),),
        payments=tuple(Payment(day, kr(amount)) for day, amount in payments),
        letters=tuple(letters),
        objections=tuple(objections),
    )


def codes(verdict) -> list[ReasonCode]:
    return [reason.code for reason in verdict.reasons]


# --- the catalogues ------------------------------------------------------------------------


@pytest.mark.parametrize("catalogue", [CURRENT_CATALOGUE, NEW_ACT_CATALOGUE])
def test_both_notes_are_in_both_catalogues_but_not_in_the_sequence(catalogue):
    for code in NOTES:
        step = catalogue.step(code)
        assert step is not None and step in catalogue.all_steps
        assert code not in catalogue.codes and step not in catalogue.steps
        assert step.fee_rule is FeeRule.NONE and not step.fee_required and step.optional
        assert not step.charges_statutory_fee
        assert step.senders == frozenset({Sender.CREDITOR, Sender.LICENSED_AGENCY})
        assert step.recipient is Recipient.DEBTOR
        assert step.stops_on_objection and not step.needs_undisputed
        assert "Practice, no statute" in step.legal_basis


def test_names_legal_basis_and_required_content():
    remainder, interest = (CURRENT_CATALOGUE.step(code) for code in NOTES)
    assert (remainder.name_nb, remainder.name_en) == ("Restnota", "Statement of remaining balance")
    assert interest.name_nb == "Rentenota"
    assert interest.name_en == "Statement of late-payment interest"
    assert "forsinkelsesrenteloven §§ 2 og 3" in interest.legal_basis
    floor = {E.CREDITOR_NAME, E.CLAIM_DESCRIPTION, E.AMOUNTS_ITEMISED, E.PAYMENT_DEADLINE}
    assert floor <= set(remainder.required_content)
    assert floor | {E.INTEREST_RATE_AND_START} <= set(interest.required_content)
    assert E.INTEREST_RATE_AND_START not in remainder.required_content
    assert remainder.practice_content == interest.practice_content == (E.PAYMENTS_RECEIVED,)


def test_the_notes_are_named_in_sentences_and_titles():
    assert step_in_sentence(S.REMAINDER_NOTE, lang="nb") == "restnotaen"
    assert step_in_sentence(S.INTEREST_NOTE, lang="nb") == "rentenotaen"
    assert step_title(S.INTEREST_NOTE, lang="en") == "Statement of late-payment interest"


def test_the_notes_give_14_days_from_the_data():
    rules = default_rules()
    for code in NOTES:
        step = CURRENT_CATALOGUE.step(code)
        assert step.minimum_deadline_days(on=ON, rules=rules) == 14
    row = rules.row("minimum_deadlines", ON, key="remainder_note")
    assert "no statute" in row.source and "practice, not statute" in row.note


# --- check_step for the notes --------------------------------------------------------------


def test_a_remainder_note_after_a_part_payment_is_allowed_without_a_fee():
    verdict = check_step(case=case((PAID_ON, "4000")), step=S.REMAINDER_NOTE, on=ON)

    assert verdict.allowed and verdict.reasons == ()
    assert verdict.deadline == date(2026, 3, 16)
    assert verdict.fee.increase == 0 and verdict.fee.statutory_fee == 0


def test_a_remainder_note_needs_a_payment():
    verdict = check_step(case=case(), step=S.REMAINDER_NOTE, on=ON)

    assert codes(verdict) == [ReasonCode.NO_PAYMENT_YET]
    assert verdict.earliest is None
    assert verdict.messages("nb") == [
        "Restnotaen sendes etter en innbetaling, og det er ikke betalt noe på kravet"
    ]


def test_a_note_answers_a_payment_even_while_an_earlier_deadline_runs():
    reminder = SentLetter(S.REMINDER, date(2026, 2, 25), date(2026, 3, 11), kr("38"))
    history = case((PAID_ON, "4000"), letters=[reminder])

    assert check_step(case=history, step=S.REMAINDER_NOTE, on=ON).allowed
    # The reminder's deadline still holds the next dunning letter back.
    next_letter = check_step(case=history, step=S.COLLECTION_NOTICE, on=ON)
    assert ReasonCode.PREVIOUS_DEADLINE_RUNNING in codes(next_letter)


def test_an_interest_note_once_the_principal_is_paid_late():
    verdict = check_step(case=case((PAID_ON, "10000")), step=S.INTEREST_NOTE, on=ON)

    assert verdict.allowed
    assert verdict.deadline == date(2026, 3, 16)
    # The dunning steps see a claim whose principal and charges are paid.
    assert codes(check_step(case=case((PAID_ON, "10000")), step=S.REMINDER, on=ON)) == [
        ReasonCode.CLAIM_SETTLED
    ]


def test_an_interest_note_needs_the_principal_paid():
    verdict = check_step(case=case((PAID_ON, "4000")), step=S.INTEREST_NOTE, on=ON)

    assert codes(verdict) == [ReasonCode.PRINCIPAL_NOT_PAID]
    assert verdict.messages("en") == [
        "The statement of late-payment interest is for the interest and costs left once the "
        "principal is paid, but only NOK 4,000.00 of the principal of NOK 10,000.00 has been "
        "paid"
    ]


def test_no_note_once_the_interest_is_paid_too():
    interest = late_interest(kr("10000"), DUE, PAID_ON)
    paid_up = case((PAID_ON, str(kr("10000") + interest)))

    for code in NOTES:
        assert codes(check_step(case=paid_up, step=code, on=ON)) == [ReasonCode.CLAIM_SETTLED]
    # One øre short of the interest: the rentenota may still ask for it.
    short = case((PAID_ON, str(kr("10000") + interest - kr("0.01"))))
    assert check_step(case=short, step=S.INTEREST_NOTE, on=ON).allowed


def test_the_interest_counted_is_the_least_the_debtor_can_owe():
    """Two part-payments, each counted against the principal first: interest on 10 000
    to the first, on 6 000 to the second, and nothing after."""
    first, second = date(2026, 2, 1), date(2026, 3, 1)
    least = late_interest(kr("4000"), DUE, first) + late_interest(kr("6000"), DUE, second)
    history = case((first, "4000"), (second, str(kr("6000") + least)))

    assert codes(check_step(case=history, step=S.INTEREST_NOTE, on=ON)) == [
        ReasonCode.CLAIM_SETTLED
    ]


def test_a_standing_objection_pauses_the_notes():
    history = case((PAID_ON, "4000"), objections=[Objection(date(2026, 3, 1))])

    verdict = check_step(case=history, step=S.REMAINDER_NOTE, on=ON)

    assert codes(verdict) == [ReasonCode.DUNNING_PAUSED_BY_OBJECTION]


def test_no_note_before_the_due_date():
    history = case((date(2026, 1, 5), "4000"))

    verdict = check_step(case=history, step=S.REMAINDER_NOTE, on=date(2026, 1, 8))

    assert codes(verdict) == [ReasonCode.NOT_OVERDUE]
    assert verdict.earliest == date(2026, 1, 11)


def test_the_creditor_still_sends_the_notes_under_the_new_act():
    rules = new_act_rules()
    on = date(2027, 1, 5)
    history = case((date(2027, 1, 4), "4000"))

    assert catalogue_for(on=on, rules=rules).step(S.REMAINDER_NOTE) is not None
    assert check_step(case=history, step=S.REMAINDER_NOTE, on=on, rules=rules).allowed


# --- the steps after a note ------------------------------------------------------------------


def test_the_next_letter_waits_for_a_notes_deadline_and_says_so():
    note = SentLetter(S.REMAINDER_NOTE, ON, date(2026, 3, 16))
    history = case((PAID_ON, "4000"), letters=[note])

    verdict = check_step(case=history, step=S.REMINDER, on=date(2026, 3, 10))

    assert codes(verdict) == [ReasonCode.PREVIOUS_DEADLINE_RUNNING]
    assert verdict.earliest == date(2026, 3, 17)
    assert verdict.messages("nb") == [
        "Tidligst 17. mars 2026: fristen i restnotaen løper til og med 16. mars 2026"
    ]
    assert check_step(case=history, step=S.REMINDER, on=date(2026, 3, 17)).allowed


def test_a_note_counts_no_fee_toward_the_limits():
    """A restnota between two reminders is not a fee letter: the second reminder's fee is
    judged on the first reminder alone."""
    first = SentLetter(S.REMINDER, date(2026, 1, 25), date(2026, 2, 8), kr("38"))
    note = SentLetter(S.REMAINDER_NOTE, date(2026, 2, 10), date(2026, 2, 24))
    without = case((date(2026, 2, 9), "1000"), letters=[first])
    with_note = case((date(2026, 2, 9), "1000"), letters=[first, note])

    on = date(2026, 2, 25)
    assert check_step(case=with_note, step=S.COLLECTION_NOTICE, on=on).fee == check_step(
        case=without, step=S.COLLECTION_NOTICE, on=on
    ).fee
