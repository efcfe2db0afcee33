"""Is the rates file behind the calendar? For a status page and /healthz.

The late-interest rate and the § 3a compensation are set for every half-year from
1 January and 1 July. From those dates on, a file without a row starting that day would
make every interest-bearing letter wait (the guardrail refuses rather than guess), so it
is reported. The court fee unit R is set per calendar year and is reported the same way
when this year's figure is missing or left empty.
"""

from __future__ import annotations

from datetime import date

from .dates import half_year_start
from .loader import default_rules
from .reasons import Reason, ReasonCode
from .ruleset import Rules

HALF_YEAR_TABLES = ("late_interest", "b2b_compensation")

StaleTable = Reason  # code + params + message(lang); `params["table"]` names the table


def stale_tables(*, today: date, rules: Rules | None = None) -> list[StaleTable]:
    rules = rules if rules is not None else default_rules()
    findings: list[StaleTable] = []
    half_year = half_year_start(today)
    for table in HALF_YEAR_TABLES:
        starts = {row.valid_from for row in rules.tables[table].rows}
        if half_year not in starts:
            findings.append(
                Reason(ReasonCode.HALF_YEAR_ROW_MISSING, {"table": table, "half_year": half_year})
            )
    year_row = rules.tables["court_fee_unit"].row_for(today)
    if year_row is None or year_row.values["amount_nok"] is None:
        findings.append(
            Reason(ReasonCode.YEAR_FIGURE_MISSING, {"table": "court_fee_unit", "year": today.year})
        )
    return findings
