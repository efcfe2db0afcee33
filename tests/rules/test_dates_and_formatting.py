"""Dates and money in bokmål and English, without the locale module."""

from __future__ import annotations

import pytest

from debt_collection.rules import format_date
from debt_collection.rules.dates import add_months, half_year_start
from debt_collection.rules.formatting import format_money

from .support import d, kr


@pytest.mark.parametrize(
    ("day", "nb", "en"),
    [
        ("2026-02-03", "3. februar 2026", "3 February 2026"),
        ("2024-02-29", "29. februar 2024", "29 February 2024"),
        ("2026-12-31", "31. desember 2026", "31 December 2026"),
        ("2027-05-01", "1. mai 2027", "1 May 2027"),
    ],
)
def test_format_date(day, nb, en):
    assert format_date(d(day), lang="nb") == nb
    assert format_date(d(day), lang="en") == en


def test_add_months_clamps_to_the_month_end():
    assert add_months(d("2025-08-31"), 6) == d("2026-02-28")
    assert add_months(d("2023-08-31"), 6) == d("2024-02-29")
    assert add_months(d("2026-01-24"), 6) == d("2026-07-24")
    assert add_months(d("2026-11-15"), 2) == d("2027-01-15")


def test_half_year_start():
    assert half_year_start(d("2026-06-30")) == d("2026-01-01")
    assert half_year_start(d("2026-07-01")) == d("2026-07-01")


def test_format_money():
    assert format_money(kr("1234.5"), lang="nb") == "1 234,50 kr"
    assert format_money(kr("1234.5"), lang="en") == "NOK 1,234.50"
