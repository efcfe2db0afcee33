"""Dated tables: parse and check rows of the rates file, then look a row up by date.

Each table is described by a `TableSpec` (its value fields and their kinds), so one
checker covers them all and every error names the table and the row.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from .errors import RulesDataError


class Kind(enum.Enum):
    DECIMAL = 'a decimal string such as "12.50"'
    OPTIONAL_DECIMAL = 'a decimal string, or "" when not known'
    INTEGER = "a whole number"
    FRACTION = 'a fraction string such as "1/20"'
    TEXT = "a string"
    OPTIONAL_DATE = 'a date, or "" when not known'
    TEXT_LIST = "a list of strings"


class Alignment(enum.Enum):
    ANY = "any day"
    HALF_YEAR = "1 January or 1 July"
    YEAR = "1 January"


@dataclass(frozen=True)
class TableSpec:
    name: str
    fields: Mapping[str, Kind]
    key: str | None = None  # rows are grouped by this field; each group is its own timeline
    choices: Mapping[str, frozenset[str]] = field(default_factory=dict)
    alignment: Alignment = Alignment.ANY


@dataclass(frozen=True)
class DatedRow:
    table: str
    index: int  # 1-based position among the table's rows in the file, for error messages
    valid_from: date
    valid_to: date | None  # inclusive; None = until further notice
    source: str
    verified: bool
    note: str
    values: Mapping[str, object]
    key: str | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class DatedTable:
    spec: TableSpec
    rows: tuple[DatedRow, ...]  # sorted by key, then valid_from

    def row_for(self, day: date, *, key: str | None = None) -> DatedRow | None:
        for row in self.rows:
            if row.key == key and row.covers(day):
                return row
        return None

    def keys(self) -> tuple[str | None, ...]:
        return tuple(dict.fromkeys(row.key for row in self.rows))


COMMON_FIELDS = frozenset({"valid_from", "valid_to", "source", "verified", "note"})


def parse_table(spec: TableSpec, raw_rows: object, *, origin: str) -> DatedTable:
    if not isinstance(raw_rows, list) or not raw_rows:
        raise RulesDataError(
            table=spec.name, row=None, origin=origin, problem="must be a non-empty [[table]] list"
        )
    rows = [_parse_row(spec, raw, index, origin) for index, raw in enumerate(raw_rows, start=1)]
    rows.sort(key=lambda row: (row.key or "", row.valid_from))
    _check_timelines(spec, rows, origin)
    return DatedTable(spec=spec, rows=tuple(rows))


def _parse_row(spec: TableSpec, raw: object, index: int, origin: str) -> DatedRow:
    def fail(problem: str) -> RulesDataError:
        return RulesDataError(table=spec.name, row=index, problem=problem, origin=origin)

    if not isinstance(raw, dict):
        raise fail("is not a table of fields")
    allowed = COMMON_FIELDS | set(spec.fields) | ({spec.key} if spec.key else set())
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise fail(f"unknown field(s) {', '.join(unknown)}")
    valid_from = raw.get("valid_from")
    valid_to = raw.get("valid_to")
    if not _is_date(valid_from):
        raise fail("valid_from must be a TOML date (YYYY-MM-DD)")
    if valid_to is not None and not _is_date(valid_to):
        raise fail("valid_to must be a TOML date (YYYY-MM-DD) or left out")
    if valid_to is not None and valid_to < valid_from:
        raise fail(f"valid_to {valid_to} is before valid_from {valid_from}")
    _check_alignment(spec, valid_from, valid_to, fail)
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise fail("source must be a non-empty string (URL or citation)")
    verified = raw.get("verified")
    if not isinstance(verified, bool):
        raise fail("verified must be true or false")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise fail("note must be a string")
    key = None
    if spec.key:
        key = raw.get(spec.key)
        if not isinstance(key, str) or not key:
            raise fail(f"{spec.key} must be a non-empty string")
    values = {
        name: _parse_value(kind, raw.get(name), name, fail) for name, kind in spec.fields.items()
    }
    for name, allowed_values in spec.choices.items():
        if values[name] not in allowed_values:
            raise fail(f"{name} must be one of {', '.join(sorted(allowed_values))}")
    return DatedRow(
        table=spec.name,
        index=index,
        valid_from=valid_from,
        valid_to=valid_to,
        source=source,
        verified=verified,
        note=note,
        values=values,
        key=key,
    )


def _is_date(value: object) -> bool:
    # tomllib gives datetime for a date-time, which is a date subclass; a legal period
    # starts on a day, not at a time.
    return isinstance(value, date) and type(value) is date


def _check_alignment(spec: TableSpec, start: date, end: date | None, fail) -> None:
    if spec.alignment is Alignment.ANY:
        return
    starts = {(1, 1), (7, 1)} if spec.alignment is Alignment.HALF_YEAR else {(1, 1)}
    ends = {(6, 30), (12, 31)} if spec.alignment is Alignment.HALF_YEAR else {(12, 31)}
    if (start.month, start.day) not in starts:
        raise fail(f"valid_from {start} must fall on {spec.alignment.value}")
    if end is not None and (end.month, end.day) not in ends:
        raise fail(f"valid_to {end} must be the day before {spec.alignment.value}")


def _parse_value(kind: Kind, value: object, name: str, fail) -> object:
    if value is None:
        raise fail(f"{name} is missing ({kind.value})")
    if kind is Kind.OPTIONAL_DECIMAL and value == "":
        return None
    if kind in (Kind.DECIMAL, Kind.OPTIONAL_DECIMAL):
        return _parse_decimal(value, name, kind, fail)
    if kind is Kind.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise fail(f"{name} must be {kind.value} (0 or more)")
        return value
    if kind is Kind.FRACTION:
        return _parse_fraction(value, name, kind, fail)
    if kind is Kind.TEXT:
        if not isinstance(value, str):
            raise fail(f"{name} must be {kind.value}")
        return value
    if kind is Kind.OPTIONAL_DATE:
        if value == "":
            return None
        if not _is_date(value):
            raise fail(f"{name} must be {kind.value}")
        return value
    if kind is Kind.TEXT_LIST:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail(f"{name} must be {kind.value}")
        return tuple(value)
    raise AssertionError(kind)  # pragma: no cover


def _parse_decimal(value: object, name: str, kind: Kind, fail) -> Decimal:
    if isinstance(value, float):
        raise fail(f'{name} is a TOML float; write it as a string, e.g. "{value}"')
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise fail(f"{name} must be {kind.value}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise fail(f"{name} {value!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise fail(f"{name} {value!r} must be a finite number, 0 or more")
    return number


def _parse_fraction(value: object, name: str, kind: Kind, fail) -> Fraction:
    if not isinstance(value, str) or "/" not in value:
        raise fail(f"{name} must be {kind.value}")
    try:
        fraction = Fraction(value.replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        raise fail(f"{name} {value!r} is not a fraction") from None
    if not 0 < fraction <= 1:
        raise fail(f"{name} {value!r} must be more than 0 and at most 1")
    return fraction


def _check_timelines(spec: TableSpec, rows: Sequence[DatedRow], origin: str) -> None:
    """Consecutive rows of one timeline must touch: the next starts the day after one ends."""
    for earlier, later in itertools.pairwise(rows):
        if earlier.key != later.key:
            continue

        def fail(problem: str, row: DatedRow = later) -> RulesDataError:
            return RulesDataError(table=spec.name, row=row.index, problem=problem, origin=origin)

        label = f" for {spec.key} {later.key!r}" if later.key else ""
        if earlier.valid_to is None:
            raise fail(
                f"row {earlier.index} has no valid_to but is not the newest row{label}",
                earlier,
            )
        if later.valid_from <= earlier.valid_to:
            raise fail(
                f"overlap{label}: starts {later.valid_from}, but row {earlier.index} "
                f"runs to {earlier.valid_to}"
            )
        expected = earlier.valid_to + timedelta(days=1)
        if later.valid_from != expected:
            raise fail(
                f"gap{label}: starts {later.valid_from}, but row {earlier.index} ends "
                f"{earlier.valid_to} (expected {expected})"
            )
