"""Decimal and DateTime scalars, and the JSON encoding that keeps money exact.

Decimal values go out as JSON numbers with exactly two decimals (``1250.00``); read them with
``json.loads(..., parse_float=Decimal)``. DateTime values go out as Europe/Oslo wall-clock
strings ``yyyy-MM-dd HH:mm:ss.fff`` (Business NXT reports server-local time without a zone) and
are accepted in filters as ``2024-10-01T12:45:33``, ``2024-10-01 12:45:33.798``, ``2024-10-01``
or with an explicit offset.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from graphql import GraphQLError, GraphQLScalarType
from graphql.language import FloatValueNode, IntValueNode, StringValueNode

CENT = Decimal("0.01")


def to_decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise GraphQLError(f"Invalid decimal value: {value!r}") from exc


def _decimal_literal(node, _variables=None):
    if isinstance(node, IntValueNode | FloatValueNode | StringValueNode):
        return to_decimal(node.value)
    raise GraphQLError("Decimal literal expected.")


DecimalScalar = GraphQLScalarType(
    "Decimal",
    serialize=lambda v: to_decimal(v).quantize(CENT),
    parse_value=lambda v: to_decimal(v),
    parse_literal=_decimal_literal,
)


def format_datetime(value: datetime) -> str:
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return local.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def parse_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value
    text = str(value).strip().replace(" ", "T", 1).replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise GraphQLError(f"Invalid DateTime value: {value!r}") from exc
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _datetime_literal(node, _variables=None):
    if isinstance(node, StringValueNode):
        return parse_datetime(node.value)
    raise GraphQLError("DateTime literal must be a string.")


DateTimeScalar = GraphQLScalarType(
    "DateTime",
    serialize=format_datetime,
    parse_value=parse_datetime,
    parse_literal=_datetime_literal,
)

_MARK = "\u0001dec:"
_MARKED = re.compile('"\u0001dec:(-?[0-9]+\\.[0-9]+)"'.replace("\u0001", "\\\\u0001"))


def _mark(value):
    if isinstance(value, Decimal):
        return f"{_MARK}{value:.2f}"
    if isinstance(value, dict):
        return {k: _mark(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark(v) for v in value]
    return value


def dumps(payload: dict) -> str:
    """JSON with Decimals written as bare numbers (json cannot emit them natively)."""
    return _MARKED.sub(r"\1", json.dumps(_mark(payload)))
