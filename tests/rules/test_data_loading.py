"""The rates file: its figures match the published ones, and bad data is refused by name."""

from __future__ import annotations

from decimal import Decimal

import pytest

from debt_collection.rules import (
    FigureUnknownError,
    RulesDataError,
    default_rules,
    load_rules,
)

from .support import DEFAULT_TEXT, d, new_act_rules, replaced, rules_from

# Late-interest rate and § 3a compensation by half-year, as published (forsinkelsesrenteloven
# §§ 3, 3a), typed in here, not read from the data file.
PUBLISHED_RATES = {
    "2019-07-01": ("9.25", "390"),
    "2020-01-01": ("9.50", "400"),
    "2020-07-01": ("8.00", "430"),
    "2021-01-01": ("8.00", None),
    "2021-07-01": ("8.00", "400"),
    "2022-01-01": ("8.50", "390"),
    "2022-07-01": ("9.25", "400"),
    "2023-01-01": ("10.75", "410"),
    "2023-07-01": ("11.75", "460"),
    "2024-01-01": ("12.50", "470"),
    "2024-07-01": ("12.50", "460"),
    "2025-01-01": ("12.50", "470"),
    "2025-07-01": ("12.25", "460"),
    "2026-01-01": ("12.00", "460"),
    "2026-07-01": ("12.25", "430"),
}


@pytest.mark.parametrize(("start", "figures"), PUBLISHED_RATES.items())
def test_half_year_figures_match_the_published_ones(start, figures):
    rate, compensation = figures
    rules = default_rules()
    assert rules.late_interest_percent(d(start)) == Decimal(rate)
    if compensation is None:
        with pytest.raises(FigureUnknownError):
            rules.b2b_compensation(d(start))
    else:
        assert rules.b2b_compensation(d(start)) == Decimal(compensation)


def test_rate_applies_through_the_last_day_of_its_half_year():
    rules = default_rules()
    assert rules.late_interest_percent(d("2025-06-30")) == Decimal("12.50")
    assert rules.late_interest_percent(d("2025-07-01")) == Decimal("12.25")


def test_no_rate_is_invented_before_or_after_the_data():
    rules = default_rules()
    with pytest.raises(FigureUnknownError):
        rules.late_interest_percent(d("2019-06-30"))
    with pytest.raises(FigureUnknownError):
        rules.late_interest_percent(d("2027-01-01"))


@pytest.mark.parametrize(
    "start",
    ["2024-07-01", "2025-07-01", "2026-07-01"],  # half-years with one secondary source only
)
def test_single_source_half_years_are_marked_unverified(start):
    for table in ("late_interest", "b2b_compensation"):
        row = default_rules().tables[table].row_for(d(start))
        assert row.verified is False
        assert row.note


def test_every_row_names_its_source():
    for table in default_rules().tables.values():
        for row in table.rows:
            assert row.source.strip(), (table.spec.name, row.index)


def test_inkassosats_by_sending_date():
    rules = default_rules()
    assert rules.inkassosats(d("2017-01-01")).amount == 700
    assert rules.inkassosats(d("2025-12-31")).amount == 700
    assert rules.inkassosats(d("2026-01-01")).amount == 750
    assert rules.inkassosats(d("2026-01-01")).fee_rounding == "nearest_krone"


def test_court_fee_unit_by_year_with_unknown_years_left_empty():
    rules = default_rules()
    assert rules.court_fee_unit(d("2024-06-01")) == 1277
    assert rules.court_fee_unit(d("2025-12-31")) == 1314
    for unknown in ("2023-05-01", "2026-05-01"):
        with pytest.raises(FigureUnknownError):
            rules.court_fee_unit(d(unknown))


def test_new_act_in_force_date_is_empty_by_default_and_can_be_set():
    assert default_rules().new_act_in_force is None
    assert new_act_rules().new_act_in_force == d("2027-01-01")


def test_load_rules_reads_another_file(tmp_path):
    path = tmp_path / "rates.toml"
    path.write_text(replaced('rate_percent = "12.00"', 'rate_percent = "11.00"'), encoding="utf-8")
    rules = load_rules(path)
    assert rules.late_interest_percent(d("2026-03-01")) == Decimal("11.00")
    assert rules.origin == str(path)


def test_default_rules_is_cached():
    assert default_rules() is default_rules()


def error_for(text: str) -> RulesDataError:
    with pytest.raises(RulesDataError) as caught:
        rules_from(text)
    return caught.value


def block(table: str, valid_from: str) -> str:
    """The text of one [[table]] row of the default file, header to blank line."""
    head = f"[[{table}]]\nvalid_from = {valid_from}\n"
    start = DEFAULT_TEXT.index(head)
    return DEFAULT_TEXT[start : DEFAULT_TEXT.index("\n\n", start) + 2]


def test_a_missing_half_year_is_a_gap_naming_table_and_row():
    error = error_for(DEFAULT_TEXT.replace(block("late_interest", "2025-07-01"), ""))
    assert error.table == "late_interest"
    assert error.row == 13  # the 2026-01-01 row, now 13th in the file
    assert "gap" in error.problem
    assert "2026-01-01" in error.problem


def test_overlapping_rows_are_refused():
    text = replaced(
        'valid_from = 2024-01-01\nvalid_to = 2024-12-31\namount_nok = "700"',
        'valid_from = 2023-12-01\nvalid_to = 2024-12-31\namount_nok = "700"',
    )
    error = error_for(text)
    assert (error.table, error.row) == ("inkassosats", 2)
    assert "overlap" in error.problem


def test_half_year_rows_must_end_on_a_half_year_end():
    text = replaced(
        "valid_from = 2025-07-01\nvalid_to = 2025-12-31\nrate_percent",
        "valid_from = 2025-07-01\nvalid_to = 2025-09-30\nrate_percent",
    )
    error = error_for(text)
    assert error.table == "late_interest"
    assert "day before 1 January or 1 July" in error.problem


def test_a_row_cannot_end_before_it_starts():
    text = replaced(
        'valid_from = 2021-01-01\nvalid_to = 2021-12-31\namount_nok = "1199"',
        'valid_from = 2021-01-01\nvalid_to = 2020-12-31\namount_nok = "1199"',
    )
    error = error_for(text)
    assert (error.table, error.row) == ("court_fee_unit", 3)
    assert "before valid_from" in error.problem


def test_gap_in_a_keyed_table_names_the_key():
    text = replaced(
        'step = "enforcement_request"\nvalid_from = 2021-01-01',
        'step = "enforcement_request"\nvalid_from = 2021-02-01',
    )
    error = error_for(text)
    assert error.table == "court_fee_multipliers"
    assert "gap" in error.problem
    assert "enforcement_request" in error.problem
    assert "row 2" in str(error)


def test_open_ended_row_must_be_the_newest():
    text = replaced(
        'valid_from = 2017-01-01\nvalid_to = 2023-12-31\namount_nok = "700"',
        'valid_from = 2017-01-01\namount_nok = "700"',
    )
    error = error_for(text)
    assert error.table == "inkassosats"
    assert "no valid_to" in error.problem


def test_float_money_is_refused_with_a_hint():
    error = error_for(replaced('rate_percent = "9.25"', "rate_percent = 9.25"))
    assert (error.table, error.row) == ("late_interest", 1)
    assert "string" in error.problem


@pytest.mark.parametrize(
    ("old", "new", "table", "words"),
    [
        (
            'rate_percent = "9.25"\nsource = "hokas.no (secondary)"',
            'rate_percent = "9.25"\nsource = ""',
            "late_interest",
            "source",
        ),
        ("days = 7", 'days = "7"', "minimum_deadlines", "whole number"),
        ("verified = true", 'verified = "yes"', "late_interest", "verified"),
        ('reminder = "1/20"', 'reminder = "0.05"', "fee_fractions", "fraction"),
        ('fee_rounding = "nearest_krone"', 'fee_rounding = "up"', "inkassosats", "fee_rounding"),
        (
            'letter_type = "reminder"',
            'letter_type = "remainder"',
            "minimum_deadlines",
            "remainder",
        ),
        ('unit = "months"', 'unit = "weeks"', "periods", "unit"),
        (
            'order = ["costs", "interest", "principal"]',
            'order = ["costs", "principal"]',
            "payment_allocation_order",
            "once",
        ),
        (
            "valid_from = 2019-07-01",
            "valid_from = 2019-07-02",
            "late_interest",
            "1 January or 1 July",
        ),
        (
            'rate_percent = "9.25"',
            'rate_percent = "9.25"\nratee = "1"',
            "late_interest",
            "unknown field",
        ),
        ('rate_percent = "9.25"', 'rate_percent = "-1"', "late_interest", "0 or more"),
        ('in_force = ""', "in_force = 2026-01-01", "new_debt_collection_act", "before the act"),
    ],
)
def test_bad_rows_are_refused_naming_table_and_problem(old, new, table, words):
    error = error_for(replaced(old, new))
    assert error.table == table
    assert words in error.problem
    assert error.row is not None


def test_missing_and_unknown_tables_and_schema():
    assert error_for(DEFAULT_TEXT.replace("schema = 1", "schema = 2")).table == "schema"
    assert error_for(DEFAULT_TEXT + "\n[[late_intrest]]\n").table == "late_intrest"
    renamed = DEFAULT_TEXT.replace("[[demand_letter_fee]]", "[[demand_letter_fees]]")
    assert error_for(renamed).table == "demand_letter_fees"
    missing = error_for(DEFAULT_TEXT.replace(block("demand_letter_fee", "2026-05-22"), ""))
    assert (missing.table, missing.problem) == ("demand_letter_fee", "is missing")


def test_broken_toml_is_a_rules_data_error():
    assert "(file)" in str(error_for(DEFAULT_TEXT + "\nthis is = = not toml\n"))
