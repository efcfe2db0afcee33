"""FilterExpression_<Table> and orderBy arguments translated into Django queries."""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_

from django.db.models import Q
from graphql import GraphQLError

from sandbox.nxt.tables import Table


def like_to_regex(pattern: str) -> str:
    """SQL LIKE (% and _) as an anchored regex; matching is case-insensitive, as in NXT."""
    parts = []
    for char in pattern:
        if char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return "^" + "".join(parts) + "$"


def _pair(op: str, values) -> tuple:
    if not isinstance(values, list) or len(values) != 2:
        raise GraphQLError(f"{op} expects a list of exactly two values.")
    return values[0], values[1]


def _column_q(attr: str, ops: dict) -> Q:
    parts = []
    for op, value in ops.items():
        if op == "_eq":
            parts.append(Q(**{f"{attr}__isnull": True}) if value is None else Q(**{attr: value}))
        elif op == "_not_eq":
            parts.append(Q(**{f"{attr}__isnull": False}) if value is None else ~Q(**{attr: value}))
        elif op in ("_gt", "_gte", "_lt", "_lte"):
            parts.append(Q(**{f"{attr}__{op[1:]}": value}))
        elif op == "_in":
            parts.append(Q(**{f"{attr}__in": value or []}))
        elif op == "_not_in":
            parts.append(~Q(**{f"{attr}__in": value or []}))
        elif op in ("_between", "_not_between"):
            low, high = _pair(op, value)
            between = Q(**{f"{attr}__gte": low, f"{attr}__lte": high})
            parts.append(between if op == "_between" else ~between)
        elif op in ("_like", "_not_like"):
            like = Q(**{f"{attr}__iregex": like_to_regex(value or "")})
            parts.append(like if op == "_like" else ~like)
    return reduce(and_, parts, Q())


def to_q(table: Table, expression: dict | None) -> Q:
    if not expression:
        return Q()
    parts = []
    for key, value in expression.items():
        if key == "_and":
            parts.append(reduce(and_, (to_q(table, e) for e in value or []), Q()))
        elif key == "_or":
            children = [to_q(table, e) for e in value or []]
            if children:
                parts.append(reduce(or_, children))
        elif key == "_not":
            parts.append(~to_q(table, value))
        elif value is not None:
            parts.append(_column_q(table.column(key).attr, value))
    return reduce(and_, parts, Q())


def order_fields(table: Table, order_by, sort_order=None) -> list[str]:
    """``orderBy: [{name: ASC}]`` (or legacy ``sortOrder: {name: ASC}``) → order_by() args."""
    entries = []
    for item in order_by or []:
        entries.extend(item.items())
    if sort_order:
        entries.extend(sort_order.items())
    fields = []
    for name, direction in entries:
        attr = table.column(name).attr
        fields.append(f"-{attr}" if direction == "DESC" else attr)
    # The table key is unique per company, so appending it gives the total order that keeps
    # cursor pagination stable (and matches the key indexes).
    fields.extend(k for k in table.key if k not in fields and f"-{k}" not in fields)
    return fields
