"""Turn message parameters into text: dates, money, periods, steps, in bokmål or English."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from .catalogue import CURRENT_CATALOGUE, NEW_ACT_CATALOGUE, Regime, StepCode
from .dates import Lang, format_date

# Steps named inside a sentence, in the definite form a Norwegian sentence needs.
STEP_IN_SENTENCE: dict[StepCode, tuple[str, str]] = {
    StepCode.FRIENDLY_REMINDER: ("betalingspåminnelsen", "the payment reminder"),
    StepCode.REMINDER: ("purringen", "the reminder"),
    StepCode.COLLECTION_NOTICE: ("inkassovarselet", "the notice of collection"),
    StepCode.PAYMENT_DEMAND: ("betalingsoppfordringen", "the payment demand"),
    StepCode.FINAL_NOTICE_ENFORCEMENT: (
        "sistevarselet før utlegg",
        "the final notice before enforcement",
    ),
    StepCode.FINAL_NOTICE_BANKRUPTCY: (
        "purringen før konkursvarsel",
        "the reminder before bankruptcy notice",
    ),
    StepCode.PRE_SUIT_NOTICE: ("prosessvarselet", "the pre-suit notice"),
    StepCode.DEMAND_LETTER: ("kravbrevet", "the demand letter"),
    StepCode.ENFORCEMENT_REQUEST: ("begjæringen om utlegg", "the request for enforcement"),
    StepCode.CONCILIATION_COMPLAINT: ("forliksklagen", "the conciliation-board complaint"),
    StepCode.BANKRUPTCY_NOTICE: ("konkursvarselet", "the bankruptcy notice"),
    StepCode.BANKRUPTCY_PETITION: ("konkursbegjæringen", "the bankruptcy petition"),
    StepCode.REMAINDER_NOTE: ("restnotaen", "the statement of remaining balance"),
    StepCode.INTEREST_NOTE: ("rentenotaen", "the statement of late-payment interest"),
}

REGIME_NAMES: dict[Regime, tuple[str, str]] = {
    Regime.INKASSOLOVEN_1988: ("inkassoloven av 1988", "the Debt Collection Act of 1988"),
    Regime.INKASSOLOVEN_2026: (
        "den nye inkassoloven (LOV-2026-05-22-19)",
        "the new Debt Collection Act (LOV-2026-05-22-19)",
    ),
}

TABLE_NAMES: dict[str, tuple[str, str]] = {
    "late_interest": ("forsinkelsesrente", "the late-interest rate"),
    "b2b_compensation": ("kompensasjon etter § 3a", "the § 3a compensation"),
    "inkassosats": ("inkassosats", "the inkassosats"),
    "fee_fractions": ("gebyrbrøk", "the fee fractions"),
    "court_fee_unit": ("rettsgebyr", "the court fee unit"),
    "court_fee_multipliers": ("gebyrfaktor for rettslige skritt", "the court-fee multiplier"),
    "minimum_deadlines": ("minstefrist", "the minimum deadline"),
    "periods": ("lovbestemt frist", "the statutory period"),
    "demand_letter_fee": ("gebyr for kravbrev", "the demand-letter fee"),
    "payment_allocation_order": ("dekningsrekkefølge", "the payment order"),
}

UNITS = {
    "days": ("dag", "dager", "day", "days"),
    "months": ("måned", "måneder", "month", "months"),
    "years": ("år", "år", "year", "years"),
}


def step_in_sentence(step: StepCode, *, lang: Lang) -> str:
    norwegian, english = STEP_IN_SENTENCE[step]
    return norwegian if lang == "nb" else english


def step_title(step: StepCode, *, lang: Lang) -> str:
    for catalogue in (CURRENT_CATALOGUE, NEW_ACT_CATALOGUE):
        found = catalogue.step(step)
        if found is not None:
            return found.name(lang=lang)
    raise KeyError(step)  # pragma: no cover - every code is in a catalogue


def steps_in_sentence(steps: Iterable[StepCode], *, lang: Lang) -> str:
    names = [step_in_sentence(step, lang=lang) for step in sorted(steps)]
    joiner = " eller " if lang == "nb" else " or "
    return joiner.join(names)


def format_money(amount: Decimal, *, lang: Lang) -> str:
    """1 234,50 kr (bokmål) or NOK 1,234.50 (English)."""
    text = f"{amount:,.2f}"
    if lang == "nb":
        return text.replace(",", " ").replace(".", ",") + " kr"
    return f"NOK {text}"


def format_period(value: int, unit: str, *, lang: Lang) -> str:
    nb_one, nb_many, en_one, en_many = UNITS[unit]
    if lang == "nb":
        return f"{value} {nb_one if value == 1 else nb_many}"
    return f"{value} {en_one if value == 1 else en_many}"


def format_value(value: object, *, lang: Lang) -> str:
    if isinstance(value, StepCode):
        return step_in_sentence(value, lang=lang)
    if isinstance(value, Regime):
        norwegian, english = REGIME_NAMES[value]
        return norwegian if lang == "nb" else english
    if isinstance(value, date):
        return format_date(value, lang=lang)
    if isinstance(value, Decimal):
        return format_money(value, lang=lang)
    if isinstance(value, frozenset | tuple) and all(isinstance(v, StepCode) for v in value):
        return steps_in_sentence(value, lang=lang)
    return str(value)


def table_name(table: str, *, lang: Lang) -> str:
    norwegian, english = TABLE_NAMES.get(table, (table, table))
    return norwegian if lang == "nb" else english


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
