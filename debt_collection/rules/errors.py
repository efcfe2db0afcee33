"""The two ways the rules can fail: bad data, or data that lacks a figure for a date."""

from __future__ import annotations

from datetime import date


class RulesDataError(ValueError):
    """The rates file is malformed: names the table and the row (1-based, in file order)."""

    def __init__(self, *, table: str, row: int | None, problem: str, origin: str = "") -> None:
        self.table = table
        self.row = row
        self.problem = problem
        self.origin = origin
        where = f"{table} row {row}" if row is not None else table
        prefix = f"{origin}: " if origin else ""
        super().__init__(f"{prefix}{where}: {problem}")


class FigureUnknownError(LookupError):
    """The data has no figure for this date (a gap in coverage, or a row left empty on purpose).

    Code that needs the figure must refuse rather than guess: a wrong fee or rate printed on
    a letter to a debtor is worse than a letter that waits for the data to be filled in.
    """

    def __init__(self, *, table: str, on: date, key: str | None = None) -> None:
        self.table = table
        self.on = on
        self.key = key
        which = f"{table}[{key}]" if key else table
        super().__init__(f"{which} has no known figure for {on.isoformat()}")
