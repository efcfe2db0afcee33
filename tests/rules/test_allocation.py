"""Part-payments go to costs, then interest, then principal (the data's order)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debt_collection.rules import ClaimBalance, ClaimPart, allocate_payment

from .support import d, kr, replaced, rules_from

ON = d("2026-03-01")


def balance(costs="38", interest="120", principal="10000") -> ClaimBalance:
    return ClaimBalance(costs=kr(costs), interest=kr(interest), principal=kr(principal))


def test_partial_payment_covers_costs_then_interest_then_principal():
    result = allocate_payment(balance=balance(), amount=kr("1000"), on=ON)
    assert (result.costs, result.interest, result.principal, result.overpayment) == (
        kr("38"),
        kr("120"),
        kr("842"),
        kr("0"),
    )
    assert result.remaining == balance(costs="0", interest="0", principal="9158")


def test_payment_smaller_than_the_costs_touches_nothing_else():
    result = allocate_payment(balance=balance(), amount=kr("20"), on=ON)
    assert (result.costs, result.interest, result.principal) == (kr("20"), 0, 0)
    assert result.remaining.costs == kr("18")


def test_payment_that_reaches_into_interest_only():
    result = allocate_payment(balance=balance(), amount=kr("100"), on=ON)
    assert (result.costs, result.interest, result.principal) == (kr("38"), kr("62"), 0)


def test_exact_payment_settles_everything():
    # Kredin's worked example: 10 158 kr paid on 10 000 + fee 38 + interest 120.
    result = allocate_payment(balance=balance(), amount=kr("10158"), on=ON)
    assert result.remaining.total == 0
    assert result.overpayment == 0


def test_overpayment_is_returned_separately():
    result = allocate_payment(balance=balance(), amount=kr("10200"), on=ON)
    assert result.overpayment == kr("42")
    assert result.principal == kr("10000")


def test_successive_payments_continue_where_the_last_left_off():
    first = allocate_payment(balance=balance(), amount=kr("100"), on=ON)
    second = allocate_payment(balance=first.remaining, amount=kr("100"), on=ON)
    assert (second.costs, second.interest, second.principal) == (0, kr("58"), kr("42"))


def test_payment_before_any_fee_or_interest_goes_to_principal():
    result = allocate_payment(balance=balance(costs="0", interest="0"), amount=kr("500"), on=ON)
    assert result.principal == kr("500")


def test_an_explicit_order_is_followed():
    order = (ClaimPart.PRINCIPAL, ClaimPart.INTEREST, ClaimPart.COSTS)
    result = allocate_payment(balance=balance(), amount=kr("10050"), on=ON, order=order)
    assert (result.principal, result.interest, result.costs) == (kr("10000"), kr("50"), 0)


def test_the_order_in_the_data_file_is_used():
    text = replaced(
        'order = ["costs", "interest", "principal"]', 'order = ["interest", "costs", "principal"]'
    )
    result = allocate_payment(balance=balance(), amount=kr("130"), on=ON, rules=rules_from(text))
    assert (result.interest, result.costs) == (kr("120"), kr("10"))


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        allocate_payment(balance=balance(), amount=kr("-1"), on=ON)
    with pytest.raises(ValueError):
        ClaimBalance(costs=kr("-1"), interest=kr("0"), principal=kr("0"))
    with pytest.raises(TypeError):
        allocate_payment(balance=balance(), amount=1.5, on=ON)
    with pytest.raises(ValueError):
        allocate_payment(balance=balance(), amount=kr("1"), on=ON, order=(ClaimPart.COSTS,))


money = st.integers(min_value=0, max_value=10_000_000).map(lambda ore: Decimal(ore) / 100)


@given(costs=money, interest=money, principal=money, amount=money)
def test_allocation_adds_up_and_never_goes_negative(costs, interest, principal, amount):
    claim = ClaimBalance(costs=costs, interest=interest, principal=principal)
    result = allocate_payment(balance=claim, amount=amount, on=ON)
    parts = [result.of(part) for part in ClaimPart]
    assert sum(parts) + result.overpayment == amount
    assert all(part >= 0 for part in parts) and result.overpayment >= 0
    for part in ClaimPart:
        assert result.of(part) + result.remaining.of(part) == claim.of(part)
        assert result.remaining.of(part) >= 0
    # The legal order: a later part gets money only once the earlier ones are covered.
    if result.interest > 0:
        assert result.remaining.costs == 0
    if result.principal > 0:
        assert result.remaining.costs == 0 and result.remaining.interest == 0
    if result.overpayment > 0:
        assert result.remaining.total == 0
