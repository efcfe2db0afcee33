"""Relay-like pages over a queryset: items, totalCount, pageInfo with base64 integer cursors.

A cursor is base64 of a 0-based position: ``startCursor`` is the position of the first item,
``endCursor`` the position after the last one, so ``after: endCursor`` continues exactly where a
page ended (first page of 10: ``MA==`` / ``MTA=``, as in the Business NXT docs).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from functools import cached_property

from graphql import GraphQLError


def encode_cursor(position: int) -> str:
    return base64.b64encode(str(position).encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        position = int(base64.b64decode(cursor.encode(), validate=True).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise GraphQLError(f"Invalid cursor: {cursor!r}") from exc
    if position < 0:
        raise GraphQLError(f"Invalid cursor: {cursor!r}")
    return position


@dataclass
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None
    skip: int | None = None

    @classmethod
    def from_args(cls, args: dict) -> PageRequest:
        request = cls(**{k: args.get(k) for k in ("first", "after", "last", "before", "skip")})
        for name in ("first", "last", "skip"):
            value = getattr(request, name)
            if value is not None and value < 0:
                raise GraphQLError(f"The value for '{name}' must be a positive integer.")
        return request


@dataclass
class PageInfo:
    hasNextPage: bool
    hasPreviousPage: bool
    startCursor: str | None
    endCursor: str | None


class Page:
    """Computes only what the query selects: a plain forward page never runs COUNT(*)."""

    def __init__(self, queryset, request: PageRequest, *, rewind: bool = False):
        self.queryset = queryset
        self.request = request
        self.rewind = rewind

    @cached_property
    def totalCount(self) -> int:
        return self.queryset.count()

    @cached_property
    def _window(self) -> tuple[int, list, bool]:
        r = self.request
        start = decode_cursor(r.after) if r.after else 0
        end = decode_cursor(r.before) if r.before else None
        backwards = r.first is None and r.last is not None
        if r.skip:
            if backwards:
                end = (self.totalCount if end is None else end) - r.skip
            else:
                start += r.skip
        if backwards:
            end = self.totalCount if end is None else min(end, self.totalCount)
            start = max(start, end - r.last)
        elif r.first is not None:
            end = start + r.first if end is None else min(end, start + r.first)
        if self.rewind and start > 0:
            size = (end - start) if end is not None else start
            start, end = max(0, start - size), start
        if end is not None and end <= start:
            return start, [], start < self.totalCount
        if end is None:
            items = _siblings(list(self.queryset[start:]))
            return start, items, False
        rows = list(self.queryset[start : end + 1])
        return start, _siblings(rows[: end - start]), len(rows) > end - start

    @property
    def items(self) -> list:
        return self._window[1]

    @property
    def pageInfo(self) -> PageInfo:
        start, items, has_next = self._window
        return PageInfo(
            hasNextPage=has_next,
            hasPreviousPage=start > 0,
            startCursor=encode_cursor(start) if items else None,
            endCursor=encode_cursor(start + len(items)) if items else None,
        )


def _siblings(rows: list) -> list:
    # Lets join resolvers load related rows for the whole page in one query.
    for row in rows:
        row._sbx_siblings = rows
    return rows
