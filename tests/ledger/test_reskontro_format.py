"""Money in Norwegian style: 1 234,50 kr with non-breaking spaces."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.templatetags.ledger_format import amount, format_amount, nok

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0"), "0,00"),
        (Decimal("5.5"), "5,50"),
        (Decimal("999.99"), "999,99"),
        (Decimal("1234.5"), f"1{NBSP}234,50"),
        (Decimal("1234567.891"), f"1{NBSP}234{NBSP}567,89"),
        (Decimal("-2500"), f"−2{NBSP}500,00"),
        ("100", "100,00"),
        (12, "12,00"),
    ],
)
def test_amount_formats_norwegian_style(value, expected):
    assert amount(value) == expected


def test_nok_appends_currency_with_non_breaking_space():
    assert nok(Decimal("1234.5")) == f"1{NBSP}234,50{NBSP}kr"


def test_amount_rounds_half_up():
    assert amount(Decimal("0.005")) == "0,01"


@pytest.mark.parametrize("value", [None, "", "abc"])
def test_amount_is_empty_for_missing_or_bad_values(value):
    assert amount(value) == ""
    assert nok(value) == ""


def test_format_amount_for_spreadsheets_has_no_grouping_and_ascii_minus():
    assert format_amount(Decimal("-1234.5"), thousands="", minus="-") == "-1234,50"
