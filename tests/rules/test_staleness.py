"""The staleness check: a half-year without its interest or § 3a row is reported."""

from __future__ import annotations

from debt_collection.rules import ReasonCode, stale_tables

from .support import DEFAULT_TEXT, EXTRA_2027_ROWS, d, replaced, rules_from

# The shipped data leaves R for 2026 empty; fill it so only the half-year check speaks.
COMPLETE_2026 = rules_from(
    replaced(
        'amount_nok = ""\nsource = "none (no figure found)"\nverified = false\n'
        'note = "UNVERIFIED: R for 2026',
        'amount_nok = "1345"\nsource = "test figure"\nverified = false\n'
        'note = "UNVERIFIED: R for 2026',
    )
)


def test_up_to_date_file_reports_nothing():
    assert stale_tables(today=d("2026-12-01"), rules=COMPLETE_2026) == []


def test_new_half_year_without_rows_is_reported_with_both_languages():
    findings = stale_tables(today=d("2027-01-01"), rules=COMPLETE_2026)
    assert [(f.code, f.params["table"]) for f in findings[:2]] == [
        (ReasonCode.HALF_YEAR_ROW_MISSING, "late_interest"),
        (ReasonCode.HALF_YEAR_ROW_MISSING, "b2b_compensation"),
    ]
    assert findings[0].params["half_year"] == d("2027-01-01")
    assert findings[0].message("nb") == (
        "Satstabellen mangler forsinkelsesrente for halvåret som startet 1. januar 2027"
    )
    assert findings[1].message("en") == (
        "The rates table lacks the § 3a compensation for the half-year that started on "
        "1 January 2027"
    )


def test_the_day_before_a_new_half_year_is_not_stale():
    assert stale_tables(today=d("2026-12-31"), rules=COMPLETE_2026) == []


def test_adding_the_rows_clears_the_warning():
    rules = rules_from(DEFAULT_TEXT + EXTRA_2027_ROWS)
    codes = [f.code for f in stale_tables(today=d("2027-03-01"), rules=rules)]
    assert ReasonCode.HALF_YEAR_ROW_MISSING not in codes


def test_a_missing_court_fee_unit_for_this_year_is_reported():
    findings = stale_tables(today=d("2026-12-01"))  # the shipped file leaves R for 2026 empty
    assert [(f.code, f.params) for f in findings] == [
        (ReasonCode.YEAR_FIGURE_MISSING, {"table": "court_fee_unit", "year": 2026})
    ]
    assert findings[0].message("nb") == "Satstabellen mangler rettsgebyr for 2026"


def test_mid_half_year_checks_the_half_year_start():
    findings = stale_tables(today=d("2027-05-20"), rules=COMPLETE_2026)
    assert {f.params.get("half_year") for f in findings[:2]} == {d("2027-01-01")}
