"""`Rules`: the checked contents of one rates file, with typed look-ups by date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .dates import add_period
from .errors import FigureUnknownError
from .tables import DatedRow, DatedTable


@dataclass(frozen=True)
class FeeFractions:
    reminder: Fraction  # purring, inkassovarsel (and, assumed, a new-Act kravbrev count)
    payment_demand: Fraction  # the creditor's own betalingsoppfordring


@dataclass(frozen=True)
class Inkassosats:
    amount: Decimal
    fee_rounding: str  # "nearest_krone" or "nearest_ore"


@dataclass(frozen=True)
class Rules:
    origin: str  # the file it was read from, for messages
    tables: Mapping[str, DatedTable]

    # -- generic -------------------------------------------------------------------------

    def row(self, table: str, on: date, *, key: str | None = None) -> DatedRow:
        row = self.tables[table].row_for(on, key=key)
        if row is None:
            raise FigureUnknownError(table=table, on=on, key=key)
        return row

    def figure(self, table: str, field: str, on: date, *, key: str | None = None) -> object:
        """The value, or FigureUnknownError when no row covers `on` or the row leaves it empty."""
        value = self.row(table, on, key=key).values[field]
        if value is None:
            raise FigureUnknownError(table=table, on=on, key=key)
        return value

    # -- interest and compensation ------------------------------------------------------------

    def late_interest_row(self, on: date) -> DatedRow:
        return self.row("late_interest", on)

    def late_interest_percent(self, on: date) -> Decimal:
        return self.figure("late_interest", "rate_percent", on)

    def b2b_compensation(self, on: date) -> Decimal:
        return self.figure("b2b_compensation", "amount_nok", on)

    # -- fees --------------------------------------------------------------------------------

    def inkassosats(self, on: date) -> Inkassosats:
        row = self.row("inkassosats", on)
        amount = self.figure("inkassosats", "amount_nok", on)
        return Inkassosats(amount=amount, fee_rounding=row.values["fee_rounding"])

    def fee_fractions(self, *, due_date: date) -> FeeFractions:
        row = self.row("fee_fractions", due_date)
        return FeeFractions(
            reminder=row.values["reminder"],
            payment_demand=row.values["payment_demand"],
        )

    def demand_letter_fee(self, on: date) -> Decimal:
        return self.figure("demand_letter_fee", "amount_nok", on)

    def court_fee_unit(self, on: date) -> Decimal:
        return self.figure("court_fee_unit", "amount_nok", on)

    def court_fee_multiplier(self, step: str, on: date) -> Decimal:
        return self.figure("court_fee_multipliers", "multiplier", on, key=step)

    # -- deadlines and periods ---------------------------------------------------------------

    def minimum_deadline_days(self, letter_type: str, on: date) -> int:
        return self.figure("minimum_deadlines", "days", on, key=letter_type)

    def period_end(self, name: str, *, start: date) -> date:
        """`start` plus the named period, using the period in force on `start`."""
        row = self.row("periods", start, key=name)
        return add_period(start, value=row.values["value"], unit=row.values["unit"])

    def period_days(self, name: str, on: date) -> int:
        row = self.row("periods", on, key=name)
        if row.values["unit"] != "days":
            raise ValueError(f"period {name} is in {row.values['unit']}, not days")
        return row.values["value"]

    def allocation_order(self, on: date) -> tuple[str, ...]:
        return self.figure("payment_allocation_order", "order", on)

    # -- the new Debt Collection Act ---------------------------------------------------------

    @property
    def new_act_in_force(self) -> date | None:
        """When LOV-2026-05-22-19 takes effect, or None while no date has been set."""
        rows = self.tables["new_debt_collection_act"].rows
        return rows[-1].values["in_force"]
