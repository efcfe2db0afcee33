"""Shared test data and functions for the rules tests. Deliberately not a conftest: these
tests also run with `--noconftest -p no:django`, where no conftest is loaded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from debt_collection.rules import DEFAULT_RATES_PATH, Rules, parse_rules

DEFAULT_TEXT = DEFAULT_RATES_PATH.read_text(encoding="utf-8")


def replaced(old: str, new: str, *, text: str = DEFAULT_TEXT, count: int = 1) -> str:
    """The default rates text with `old` replaced; fails loudly if `old` is not there, so a
    test never passes because its edit silently missed."""
    assert text.count(old) >= count, f"{old!r} not found in the rates file"
    return text.replace(old, new, count)


def rules_from(text: str) -> Rules:
    return parse_rules(text, origin="test")


NEW_ACT_FROM_2027 = replaced('in_force = ""', "in_force = 2027-01-01")

# Figures for 2027 so letters after the new Act's start can show interest and fees.
EXTRA_2027_ROWS = """
[[late_interest]]
valid_from = 2027-01-01
valid_to = 2027-06-30
rate_percent = "12.00"
source = "test figure"
verified = false

[[b2b_compensation]]
valid_from = 2027-01-01
valid_to = 2027-06-30
amount_nok = "450"
source = "test figure"
verified = false
"""


def new_act_rules(*, demand_letter_fee: str = "") -> Rules:
    text = NEW_ACT_FROM_2027 + EXTRA_2027_ROWS
    if demand_letter_fee:
        text = replaced(
            'valid_from = 2026-05-22\namount_nok = ""',
            f'valid_from = 2026-05-22\namount_nok = "{demand_letter_fee}"',
            text=text,
        )
    return rules_from(text)


def d(text: str) -> date:
    return date.fromisoformat(text)


def kr(text: str) -> Decimal:
    return Decimal(text)
