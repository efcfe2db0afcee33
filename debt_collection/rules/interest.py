"""Late-payment interest (forsinkelsesrente) under forsinkelsesrenteloven §§ 2-3.

Every calendar day d with due_date < d <= until earns
    principal x rate(d) / 100 / (366 if d's year is a leap year else 365),
rate(d) being the percent per year in force on d (one day is 1/365 of the annual rate,
1/366 in leap years; simple interest, none on interest). The first interest day is the
day after the due date (Altinn's practical reading).

The sum is exact: 1/365 has no finite decimal expansion, so the parts are added as
Fractions and rounded half-up to øre once, at the end. Rounding each period first would
let a long claim drift by several øre from the same claim computed in one go.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .dates import days_in_year
from .loader import default_rules
from .money import ZERO, ore_floor, ore_half_up, require_money, to_fraction
from .ruleset import Rules


@dataclass(frozen=True)
class InterestPeriod:
    """Days that share one rate and one day-count divisor; both ends inclusive."""

    first_day: date
    last_day: date
    days: int
    rate_percent: Decimal
    divisor: int  # 365, or 366 in a leap year
    amount: Decimal  # this period's share of the rounded total, in kroner and øre


@dataclass(frozen=True)
class _ExactPeriod:
    first_day: date
    last_day: date
    rate_percent: Decimal
    divisor: int

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def exact_amount(self, principal: Fraction) -> Fraction:
        return principal * to_fraction(self.rate_percent) * self.days / (100 * self.divisor)


def late_interest(
    principal: Decimal, due_date: date, until: date, *, rules: Rules | None = None
) -> Decimal:
    """Statutory late interest on `principal` for the days after `due_date` up to `until`."""
    exact = _exact_periods(principal, due_date, until, rules)
    base = to_fraction(principal)
    return ore_half_up(sum((period.exact_amount(base) for period in exact), Fraction(0)))


def interest_breakdown(
    principal: Decimal, due_date: date, until: date, *, rules: Rules | None = None
) -> tuple[InterestPeriod, ...]:
    """The interest split at every rate change and wherever the divisor changes (a new year
    that is a leap year, or follows one).

    The periods' amounts add up exactly to `late_interest(...)`. Each period first gets its
    exact amount rounded down to øre; the øre still missing from the rounded total (never
    more than one per period) go one each to the periods with the largest cut-off remainder,
    the earlier period first on a tie. So no period is more than one øre from its exact
    share, and a letter can print the table and the total without the sum disagreeing.
    """
    exact = _exact_periods(principal, due_date, until, rules)
    base = to_fraction(principal)
    amounts = [period.exact_amount(base) for period in exact]
    total = ore_half_up(sum(amounts, Fraction(0)))
    floors = [ore_floor(amount) for amount in amounts]
    missing_ore = int((total - sum(floors, ZERO)) * 100)
    by_remainder = sorted(
        range(len(amounts)),
        key=lambda i: (-(amounts[i] * 100 - math.floor(amounts[i] * 100)), i),
    )
    for i in by_remainder[:missing_ore]:
        floors[i] += Decimal("0.01")
    return tuple(
        InterestPeriod(
            first_day=period.first_day,
            last_day=period.last_day,
            days=period.days,
            rate_percent=period.rate_percent,
            divisor=period.divisor,
            amount=amount,
        )
        for period, amount in zip(exact, floors, strict=True)
    )


def _exact_periods(
    principal: Decimal, due_date: date, until: date, rules: Rules | None
) -> list[_ExactPeriod]:
    principal = require_money(principal, name="principal")
    if principal < 0:
        raise ValueError(f"principal must not be negative, got {principal}")
    if not isinstance(due_date, date) or not isinstance(until, date):
        raise TypeError("due_date and until must be dates")
    rules = rules if rules is not None else default_rules()
    periods: list[_ExactPeriod] = []
    day = due_date + timedelta(days=1)
    while day <= until:
        row = rules.late_interest_row(day)  # FigureUnknownError past the newest rate
        rate = rules.late_interest_percent(day)
        ends = [until, date(day.year, 12, 31)]
        if row.valid_to is not None:
            ends.append(row.valid_to)
        last = min(ends)
        divisor = days_in_year(day.year)
        previous = periods[-1] if periods else None
        if previous and previous.rate_percent == rate and previous.divisor == divisor:
            # Same rate and divisor as the period before (e.g. two half-years at 12.50 %):
            # one line on the letter, not two.
            periods[-1] = _ExactPeriod(previous.first_day, last, rate, divisor)
        else:
            periods.append(_ExactPeriod(day, last, rate, divisor))
        day = last + timedelta(days=1)
    return periods
