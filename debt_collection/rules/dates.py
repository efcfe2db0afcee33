"""Calendar arithmetic and date formatting without the locale module or Django.

The locale module depends on what the host has installed, and Django's formats need
settings; a letter's date must read the same on every machine.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

Lang = Literal["nb", "en"]

NORWEGIAN_MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_date(day: date, *, lang: Lang) -> str:
    """3. februar 2026 (bokmål) or 3 February 2026 (English)."""
    if lang == "nb":
        return f"{day.day}. {NORWEGIAN_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def add_months(day: date, months: int) -> date:
    """The same day number `months` later; the month's last day when that day does not exist.

    A period of months ends on the day with the same number (domstolloven § 148 reading),
    so 31 August + 6 months is 28/29 February.
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def add_period(day: date, *, value: int, unit: str) -> date:
    if unit == "days":
        return add_days(day, value)
    if unit == "months":
        return add_months(day, value)
    if unit == "years":
        return add_years(day, value)
    raise ValueError(f"unknown period unit {unit!r}")


def half_year_start(day: date) -> date:
    """1 January or 1 July on or before `day`: the dates the interest rate changes."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)
