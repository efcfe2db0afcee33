"""The step catalogues as data, and the switch to the new Act on its in-force date."""

from __future__ import annotations

import pytest

from debt_collection.rules import (
    CURRENT_CATALOGUE,
    NEW_ACT_CATALOGUE,
    CaseHistory,
    ClaimItem,
    ContentElement,
    DebtorType,
    FeeRule,
    ReasonCode,
    Regime,
    Sender,
    SentLetter,
    StepCode,
    catalogue_for,
    check_step,
    content_label,
    default_rules,
)

from .support import d, kr, new_act_rules

S = StepCode
E = ContentElement


def test_todays_catalogue_in_kredins_order():
    assert CURRENT_CATALOGUE.codes == (
        S.FRIENDLY_REMINDER,
        S.REMINDER,
        S.COLLECTION_NOTICE,
        S.PAYMENT_DEMAND,
        S.FINAL_NOTICE_ENFORCEMENT,
        S.FINAL_NOTICE_BANKRUPTCY,
        S.PRE_SUIT_NOTICE,
        S.ENFORCEMENT_REQUEST,
        S.CONCILIATION_COMPLAINT,
        S.BANKRUPTCY_NOTICE,
        S.BANKRUPTCY_PETITION,
    )


def test_fee_rules_and_who_sends():
    step = CURRENT_CATALOGUE.step
    assert step(S.FRIENDLY_REMINDER).fee_rule is FeeRule.NONE
    assert step(S.REMINDER).fee_rule is FeeRule.REMINDER_FRACTION
    assert step(S.COLLECTION_NOTICE).fee_rule is FeeRule.REMINDER_FRACTION
    assert step(S.PAYMENT_DEMAND).fee_rule is FeeRule.PAYMENT_DEMAND_FRACTION
    assert step(S.ENFORCEMENT_REQUEST).fee_rule is FeeRule.COURT_FEE
    assert Sender.CREDITOR in step(S.COLLECTION_NOTICE).senders
    assert Sender.LICENSED_AGENCY in step(S.COLLECTION_NOTICE).senders
    assert not step(S.PAYMENT_DEMAND).optional  # carries the § 4-18 notice
    assert step(S.PAYMENT_DEMAND).enforcement_notice
    assert {s.code for s in CURRENT_CATALOGUE.steps if s.business_only} == {
        S.FINAL_NOTICE_BANKRUPTCY,
        S.BANKRUPTCY_NOTICE,
        S.BANKRUPTCY_PETITION,
    }


def test_minimum_deadlines_come_from_the_data():
    rules = default_rules()
    on = d("2026-03-01")
    days = {s.code: s.minimum_deadline_days(on=on, rules=rules) for s in CURRENT_CATALOGUE.steps}
    assert days[S.FRIENDLY_REMINDER] == 7
    assert days[S.REMINDER] == days[S.COLLECTION_NOTICE] == days[S.PAYMENT_DEMAND] == 14
    assert days[S.ENFORCEMENT_REQUEST] is None  # a filing gives the debtor no deadline


@pytest.mark.parametrize(
    ("step", "must_have"),
    [
        (S.REMINDER, {E.AMOUNT, E.CLAIM_DESCRIPTION}),
        (S.COLLECTION_NOTICE, {E.COLLECTION_WILL_START, E.PAYMENT_DEADLINE}),
        (
            S.PAYMENT_DEMAND,
            {
                E.CREDITOR_NAME,
                E.CLAIM_DESCRIPTION,
                E.AMOUNTS_ITEMISED,
                E.INTEREST_RATE_AND_START,
                E.PAY_OR_OBJECT,
                E.COSTS_AND_ENFORCEMENT_WARNING,
                E.ENFORCEMENT_WARNING,
            },
        ),
        (S.FINAL_NOTICE_ENFORCEMENT, {E.ENFORCEMENT_WARNING, E.CLAIM_BASIS_AND_EXTENT}),
        (S.PRE_SUIT_NOTICE, {E.LAWSUIT_WARNING, E.ASKS_DEBTOR_POSITION}),
        (S.ENFORCEMENT_REQUEST, {E.COPIES_OF_BASIS_AND_NOTICE, E.CONCILIATION_IF_OBJECTED}),
    ],
)
def test_required_content_follows_the_law(step, must_have):
    assert must_have <= set(CURRENT_CATALOGUE.step(step).required_content)


def test_interest_rate_is_required_only_in_the_payment_demand():
    with_rate = {
        s.code for s in CURRENT_CATALOGUE.steps if E.INTEREST_RATE_AND_START in s.required_content
    }
    assert with_rate == {S.PAYMENT_DEMAND}


def test_every_content_element_has_both_labels():
    for element in ContentElement:
        assert content_label(element, lang="nb") and content_label(element, lang="en")


def test_new_act_catalogue_as_data():
    step = NEW_ACT_CATALOGUE.step
    assert step(S.REMINDER) is None  # replaced by the kravbrev
    assert step(S.DEMAND_LETTER).fee_rule is FeeRule.DEMAND_LETTER_FEE
    assert step(S.COLLECTION_NOTICE).senders == frozenset({Sender.LICENSED_AGENCY})
    assert step(S.PAYMENT_DEMAND).senders == frozenset({Sender.LICENSED_AGENCY})
    assert step(S.COLLECTION_NOTICE).fee_rule is FeeRule.NONE
    assert Sender.CREDITOR in step(S.FINAL_NOTICE_ENFORCEMENT).senders  # tvfbl, another act


def test_catalogue_for_defaults_to_todays_law_on_any_date():
    for day in ("2020-01-01", "2026-12-01", "2027-01-01", "2035-06-30"):
        assert catalogue_for(on=d(day)).regime is Regime.INKASSOLOVEN_1988


def test_catalogue_switches_on_the_in_force_date():
    rules = new_act_rules()
    assert catalogue_for(on=d("2026-12-31"), rules=rules).regime is Regime.INKASSOLOVEN_1988
    new = catalogue_for(on=d("2027-01-01"), rules=rules)
    assert new.regime is Regime.INKASSOLOVEN_2026
    assert new.in_force_from == d("2027-01-01")


def test_same_case_planned_on_both_sides_of_the_in_force_date():
    rules = new_act_rules(demand_letter_fee="38")
    case = CaseHistory(
        debtor_type=DebtorType.CONSUMER,
        items=(ClaimItem(kr("10000"), d("2026-11-01")),),
        letters=(SentLetter(S.REMINDER, d("2026-11-20"), d("2026-12-04"), kr("38")),),
    )
    before, after = d("2026-12-20"), d("2027-01-05")

    def verdict(step, on):
        return check_step(case=case, step=step, on=on, rules=rules)

    # Before: the creditor's own inkassovarsel, with a second 1/20 fee.
    notice = verdict(S.COLLECTION_NOTICE, before)
    assert notice.allowed and notice.fee.increase == kr("38.00")
    early_kravbrev = verdict(S.DEMAND_LETTER, before)
    assert [r.code for r in early_kravbrev.reasons] == [ReasonCode.STEP_NOT_AVAILABLE]
    assert early_kravbrev.earliest == d("2027-01-01")

    # After: only an agency may send the inkassovarsel; the kravbrev replaces the reminder.
    refused = verdict(S.COLLECTION_NOTICE, after)
    assert [r.code for r in refused.reasons] == [ReasonCode.SENDER_NOT_ALLOWED]
    assert refused.earliest is None
    assert refused.messages("nb") == [
        "Etter den nye inkassoloven (LOV-2026-05-22-19) kan bare et inkassoforetak sende "
        "inkassovarselet"
    ]
    assert [r.code for r in verdict(S.REMINDER, after).reasons] == [ReasonCode.STEP_NOT_AVAILABLE]
    kravbrev = verdict(S.DEMAND_LETTER, after)
    assert kravbrev.allowed
    assert kravbrev.fee.increase == kr("38.00")  # the second fee of the case, as today
    assert verdict(S.FINAL_NOTICE_ENFORCEMENT, after).allowed
