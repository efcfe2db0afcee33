"""The one CSV helper every export uses: OWASP's CSV-injection rule, and nothing more."""

import pytest

from kredin.csv_export import CsvLines, csv_safe_cell


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "-", "=", "-2+3+cmd|' /C calc'!A0"],
)
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(cell):
    assert csv_safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-250,00", "-250.00", "-3", "12345,67", "Bre ASA", "", "a=b"])
def test_numbers_and_ordinary_text_stay_as_they_are(cell):
    assert csv_safe_cell(cell) == cell


def test_non_text_cells_pass_through():
    assert csv_safe_cell(-5) == -5
    assert csv_safe_cell(None) is None


def test_lines_use_semicolons_crlf_and_a_bom_on_the_header():
    lines = CsvLines()

    assert lines.header(["Kunde", "Beløp"]) == "\ufeffKunde;Beløp\r\n"
    assert lines.line(["=cmd", "-1,00"]) == "'=cmd;-1,00\r\n"
