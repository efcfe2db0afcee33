"""Late interest: hand-worked examples, an independent day-by-day sum, and properties."""

from __future__ import annotations

import calendar
import itertools
import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debt_collection.rules import FigureUnknownError, interest_breakdown, late_interest

from .support import d, kr, replaced, rules_from

# The published rates (forsinkelsesrenteloven § 3), typed in here so the check does not lean
# on the data file.
PUBLISHED_RATE_STARTS = [
    ("2019-07-01", "9.25"), ("2020-01-01", "9.50"), ("2020-07-01", "8.00"),
    ("2021-01-01", "8.00"), ("2021-07-01", "8.00"), ("2022-01-01", "8.50"),
    ("2022-07-01", "9.25"), ("2023-01-01", "10.75"), ("2023-07-01", "11.75"),
    ("2024-01-01", "12.50"), ("2024-07-01", "12.50"), ("2025-01-01", "12.50"),
    ("2025-07-01", "12.25"), ("2026-01-01", "12.00"), ("2026-07-01", "12.25"),
]  # fmt: skip
FIRST_DAY = date(2019, 7, 1)
LAST_DAY = date(2026, 12, 31)


def published_rate(day: date) -> Fraction:
    rate = None
    for start, percent in PUBLISHED_RATE_STARTS:
        if date.fromisoformat(start) <= day:
            rate = Fraction(percent)
    assert rate is not None
    return rate


def day_by_day(principal: Decimal, due: date, until: date) -> Decimal:
    """The rule read literally: one term per day, summed exactly, rounded half up once."""
    total = Fraction(0)
    day = due + timedelta(days=1)
    while day <= until:
        divisor = 366 if calendar.isleap(day.year) else 365
        total += Fraction(principal) * published_rate(day) / 100 / divisor
        day += timedelta(days=1)
    return Decimal(math.floor(total * 100 + Fraction(1, 2))) / 100


@pytest.mark.parametrize(
    ("principal", "due", "until", "expected"),
    [
        # 10 000 x 12.5 % x 2 / 366 (29 February and 1 March 2024) = 6.8306
        ("10000", "2024-02-28", "2024-03-01", "6.83"),
        # across 1 July 2025: 10 days at 12.50 % and 10 at 12.25 %, both /365
        # = 342.4658 + 335.6164 = 678.0822
        ("100000", "2025-06-20", "2025-07-10", "678.08"),
        # across 1 January 2025, same rate, divisor 366 then 365: 34.1530 + 34.2466 = 68.3996
        ("10000", "2024-12-21", "2025-01-10", "68.40"),
        # one day: 1 000 x 12 % / 365 = 0.3288
        ("1000", "2026-01-01", "2026-01-02", "0.33"),
        # a whole leap year at 12.5 %: exactly 12.5 % of the principal
        ("8000", "2023-12-31", "2024-12-31", "1000.00"),
    ],
)
def test_worked_examples(principal, due, until, expected):
    assert late_interest(kr(principal), d(due), d(until)) == kr(expected)


def test_keywords_work():
    assert late_interest(principal=kr("10000"), due_date=d("2024-02-28"), until=d("2024-03-01"))


def test_no_interest_up_to_and_on_the_due_date():
    assert late_interest(kr("5000"), d("2025-03-10"), d("2025-03-10")) == Decimal("0.00")
    assert late_interest(kr("5000"), d("2025-03-10"), d("2025-01-01")) == Decimal("0.00")
    assert str(late_interest(kr("5000"), d("2025-03-10"), d("2025-03-10"))) == "0.00"


def test_negative_principal_is_refused():
    with pytest.raises(ValueError, match="negative"):
        late_interest(kr("-1"), d("2025-01-01"), d("2025-02-01"))


def test_float_principal_is_refused():
    with pytest.raises(TypeError):
        late_interest(100.0, d("2025-01-01"), d("2025-02-01"))


def test_days_without_a_known_rate_raise_instead_of_guessing():
    with pytest.raises(FigureUnknownError) as caught:
        late_interest(kr("1000"), d("2026-12-20"), d("2027-01-05"))
    assert caught.value.on == d("2027-01-01")
    assert caught.value.table == "late_interest"


def test_a_different_rates_file_changes_the_result():
    rules = rules_from(replaced('rate_percent = "12.00"', 'rate_percent = "24.00"'))
    normal = late_interest(kr("10000"), d("2026-01-31"), d("2026-03-02"))
    doubled = late_interest(kr("10000"), d("2026-01-31"), d("2026-03-02"), rules=rules)
    assert doubled == normal * 2


def test_breakdown_splits_at_rate_changes_and_divisor_changes_only():
    periods = interest_breakdown(kr("10000"), d("2023-12-15"), d("2025-07-10"))
    assert [(p.first_day, p.last_day, p.days, p.rate_percent, p.divisor) for p in periods] == [
        (d("2023-12-16"), d("2023-12-31"), 16, Decimal("11.75"), 365),
        # 2024 H1 and H2 share 12.50 % and /366: one period, not two
        (d("2024-01-01"), d("2024-12-31"), 366, Decimal("12.50"), 366),
        # the rate stays 12.50 % into 2025 but the divisor changes
        (d("2025-01-01"), d("2025-06-30"), 181, Decimal("12.50"), 365),
        (d("2025-07-01"), d("2025-07-10"), 10, Decimal("12.25"), 365),
    ]
    assert sum(p.amount for p in periods) == late_interest(
        kr("10000"), d("2023-12-15"), d("2025-07-10")
    )


def test_breakdown_gives_the_missing_ore_to_the_largest_remainder():
    # Exact parts 342.4658 and 335.6164: floors 342.46 + 335.61 = 678.07, total 678.08;
    # the second has the larger remainder (0.644 øre against 0.575) and gets the øre.
    periods = interest_breakdown(kr("100000"), d("2025-06-20"), d("2025-07-10"))
    assert [p.amount for p in periods] == [kr("342.46"), kr("335.62")]


def test_breakdown_is_empty_without_interest_days():
    assert interest_breakdown(kr("100"), d("2025-01-01"), d("2025-01-01")) == ()


money = st.integers(min_value=0, max_value=10_000_000_00).map(lambda ore: Decimal(ore) / 100)
days_in_data = st.dates(min_value=FIRST_DAY - timedelta(days=1), max_value=LAST_DAY)


@settings(max_examples=60, deadline=None)
@given(principal=money, due=days_in_data, length=st.integers(min_value=0, max_value=800))
def test_matches_the_day_by_day_sum(principal, due, length):
    until = min(due + timedelta(days=length), LAST_DAY)
    assert late_interest(principal, due, until) == day_by_day(principal, due, until)


@given(principal=money, dates=st.lists(days_in_data, min_size=3, max_size=3))
def test_additive_over_split_periods(principal, dates):
    start, middle, end = sorted(dates)
    whole = late_interest(principal, start, end)
    # The second part is interest from `middle` on, i.e. with `middle` as its due date.
    parts = late_interest(principal, start, middle) + late_interest(principal, middle, end)
    assert abs(parts - whole) <= Decimal("0.01")


@given(a=money, b=money, due=days_in_data, until=days_in_data)
def test_monotone_in_principal(a, b, due, until):
    low, high = sorted((a, b))
    assert late_interest(low, due, until) <= late_interest(high, due, until)


@given(principal=money, due=days_in_data, ends=st.lists(days_in_data, min_size=2, max_size=2))
def test_monotone_in_until(principal, due, ends):
    early, late = sorted(ends)
    assert late_interest(principal, due, early) <= late_interest(principal, due, late)


@given(due=days_in_data, until=days_in_data)
def test_zero_principal_earns_nothing(due, until):
    assert late_interest(Decimal("0"), due, until) == Decimal("0.00")


@given(principal=money, due=days_in_data, until=days_in_data)
def test_breakdown_sums_to_the_total_and_each_part_is_within_an_ore(principal, due, until):
    periods = interest_breakdown(principal, due, until)
    assert sum((p.amount for p in periods), Decimal("0.00")) == late_interest(principal, due, until)
    assert sum(p.days for p in periods) == max(0, (until - due).days)
    for period in periods:
        exact = Fraction(principal) * Fraction(period.rate_percent) * period.days
        exact /= 100 * period.divisor
        assert abs(Fraction(period.amount) - exact) < Fraction(1, 100)
    for earlier, later in itertools.pairwise(periods):
        assert later.first_day == earlier.last_day + timedelta(days=1)
        assert (earlier.rate_percent, earlier.divisor) != (later.rate_percent, later.divisor)
