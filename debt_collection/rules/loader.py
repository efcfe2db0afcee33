"""Read and check a rates file: `load_rules(path)`, and the cached `default_rules()`."""

from __future__ import annotations

import functools
import tomllib
from datetime import date
from pathlib import Path

from .errors import RulesDataError
from .ruleset import Rules
from .tables import Alignment, Kind, TableSpec, parse_table

DEFAULT_RATES_PATH = Path(__file__).resolve().parent / "data" / "rates.toml"
SCHEMA_VERSION = 1

LETTER_TYPES = frozenset(
    {
        "friendly_reminder",
        "reminder",
        "collection_notice",
        "payment_demand",
        "enforcement_notice",
        "bankruptcy_warning",
        "pre_suit_notice",
        "bankruptcy_notice",
        "demand_letter",
        "remainder_note",
        "interest_note",
    }
)
COURT_FEE_STEPS = frozenset(
    {"enforcement_request", "conciliation_complaint", "bankruptcy_service", "bankruptcy_opening"}
)
PERIOD_NAMES = frozenset(
    {
        "fee_earliest_after_due",
        "second_fee_minimum_deadline",
        "fee_reset_after_last_fee",
        "enforcement_after_notice",
        "enforcement_notice_validity",
        "bankruptcy_notice_after_first_demand",
        "bankruptcy_petition_after_notice",
        "limitation",
    }
)
CLAIM_PARTS = ("costs", "interest", "principal")

TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec("late_interest", {"rate_percent": Kind.DECIMAL}, alignment=Alignment.HALF_YEAR),
    TableSpec(
        "b2b_compensation",
        {"amount_nok": Kind.OPTIONAL_DECIMAL},
        alignment=Alignment.HALF_YEAR,
    ),
    TableSpec(
        "inkassosats",
        {"amount_nok": Kind.DECIMAL, "fee_rounding": Kind.TEXT},
        choices={"fee_rounding": frozenset({"nearest_krone", "nearest_ore"})},
    ),
    TableSpec("fee_fractions", {"reminder": Kind.FRACTION, "payment_demand": Kind.FRACTION}),
    TableSpec("court_fee_unit", {"amount_nok": Kind.OPTIONAL_DECIMAL}, alignment=Alignment.YEAR),
    TableSpec("court_fee_multipliers", {"multiplier": Kind.OPTIONAL_DECIMAL}, key="step"),
    TableSpec("minimum_deadlines", {"days": Kind.INTEGER}, key="letter_type"),
    TableSpec(
        "periods",
        {"value": Kind.INTEGER, "unit": Kind.TEXT},
        key="name",
        choices={"unit": frozenset({"days", "months", "years"})},
    ),
    TableSpec("payment_allocation_order", {"order": Kind.TEXT_LIST}),
    TableSpec("demand_letter_fee", {"amount_nok": Kind.OPTIONAL_DECIMAL}),
    TableSpec("new_debt_collection_act", {"law": Kind.TEXT, "in_force": Kind.OPTIONAL_DATE}),
)
ALLOWED_KEYS = {
    "court_fee_multipliers": COURT_FEE_STEPS,
    "minimum_deadlines": LETTER_TYPES,
    "periods": PERIOD_NAMES,
}


def load_rules(path: Path | str) -> Rules:
    """Read and check the rates file at `path`; raises RulesDataError on bad data."""
    path = Path(path)
    return parse_rules(path.read_text(encoding="utf-8"), origin=str(path))


@functools.cache
def default_rules() -> Rules:
    """The rates file shipped with the package, read once per process."""
    return load_rules(DEFAULT_RATES_PATH)


def parse_rules(text: str, *, origin: str = "<string>") -> Rules:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesDataError(table="(file)", row=None, origin=origin, problem=str(error)) from None
    if document.get("schema") != SCHEMA_VERSION:
        raise RulesDataError(
            table="schema", row=None, origin=origin, problem=f"must be {SCHEMA_VERSION}"
        )
    known = {spec.name for spec in TABLE_SPECS} | {"schema"}
    unknown = sorted(set(document) - known)
    if unknown:
        raise RulesDataError(
            table=unknown[0], row=None, origin=origin, problem="is not a known table"
        )
    tables = {}
    for spec in TABLE_SPECS:
        if spec.name not in document:
            raise RulesDataError(table=spec.name, row=None, origin=origin, problem="is missing")
        tables[spec.name] = parse_table(spec, document[spec.name], origin=origin)
    _check_cross_table_rules(tables, origin)
    return Rules(origin=origin, tables=tables)


def _check_cross_table_rules(tables: dict, origin: str) -> None:
    for table_name, allowed in ALLOWED_KEYS.items():
        for row in tables[table_name].rows:
            if row.key not in allowed:
                raise RulesDataError(
                    table=table_name,
                    row=row.index,
                    origin=origin,
                    problem=f"{row.key!r} is not one of {', '.join(sorted(allowed))}",
                )
    for row in tables["payment_allocation_order"].rows:
        if sorted(row.values["order"]) != sorted(CLAIM_PARTS):
            raise RulesDataError(
                table="payment_allocation_order",
                row=row.index,
                origin=origin,
                problem=f"order must name each of {', '.join(CLAIM_PARTS)} exactly once",
            )
    act_rows = tables["new_debt_collection_act"].rows
    if len(act_rows) != 1:
        raise RulesDataError(
            table="new_debt_collection_act",
            row=None,
            origin=origin,
            problem="must have exactly one row",
        )
    in_force = act_rows[0].values["in_force"]
    if isinstance(in_force, date) and in_force < act_rows[0].valid_from:
        raise RulesDataError(
            table="new_debt_collection_act",
            row=act_rows[0].index,
            origin=origin,
            problem=f"in_force {in_force} is before the act was adopted ({act_rows[0].valid_from})",
        )
