"""Rounding money the way each rule says, on exact values.

Amounts pass between functions as Decimal kroner with two places. Inside a calculation
that divides by 365 or 366 the exact value does not terminate in decimal, so it is kept
as a Fraction and rounded once, here.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

ORE = Decimal("0.01")
ZERO = Decimal("0.00")


def require_money(value: object, *, name: str) -> Decimal:
    """Accept a finite Decimal (or int); refuse float, whose binary value is never exact."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal, got {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"{name} must be finite, got {amount}")
    return amount


def to_fraction(amount: Decimal) -> Fraction:
    return Fraction(amount)


def ore_half_up(value: Fraction) -> Decimal:
    """Round a non-negative exact value to øre, .5 øre up."""
    return _from_ore(math.floor(value * 100 + Fraction(1, 2)))


def ore_floor(value: Fraction) -> Decimal:
    return _from_ore(math.floor(value * 100))


def krone_half_up(value: Fraction) -> Decimal:
    """Nearest whole krone, 50 øre up (inkassoforskriften § 1-2 from 2026: 37.50 gives 38)."""
    return _from_ore(math.floor(value + Fraction(1, 2)) * 100)


def krone_floor(value: Fraction) -> Decimal:
    """Whole kroner, rounded down (rettsgebyrloven § 6 a for court fees)."""
    return _from_ore(math.floor(value) * 100)


def _from_ore(ore: int) -> Decimal:
    # Built from the digits, so no context precision can round a large amount.
    return Decimal(f"{ore}E-2")
