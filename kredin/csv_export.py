"""CSV for spreadsheets, safe against formula injection (OWASP's CSV-injection rule).

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel and
LibreOffice as a formula; customer names and invoice texts come from outside, so such a
cell gets a leading apostrophe, which spreadsheets show as text. A plain number such as
`-1250,00` cannot be a formula and stays as it is, so credit notes remain numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


def csv_safe_cell(value: Any) -> Any:
    risky = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    if risky and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, for streaming responses."""

    def write(self, value: str) -> str:
        return value


class CsvLines:
    """`line(row)` gives one CSV line with every cell made safe; for StreamingHttpResponse.

    Semicolons and CRLF, as Norwegian Excel expects; `header()` starts with a byte-order
    mark so æøå open correctly.
    """

    def __init__(self, *, delimiter: str = ";") -> None:
        self._writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")

    def line(self, row: Iterable[Any]) -> str:
        return self._writer.writerow([csv_safe_cell(cell) for cell in row])

    def header(self, names: Iterable[str]) -> str:
        return "\ufeff" + self.line(names)
