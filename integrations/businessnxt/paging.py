"""Cursor paging over Business NXT tables (`first`/`after`), with counts and page checks.

The next page is fetched in a background thread while the caller stores the current one,
so a sync costs little more than the paging itself. A page that repeats the previous one,
or does not continue where the previous one ended, is fetched again.
"""

from __future__ import annotations

import base64
import binascii
import contextvars
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections

from integrations.businessnxt.errors import BusinessNxtError, TransientFailure
from integrations.businessnxt.queries import PagedQuery
from integrations.businessnxt.records import Page

logger = logging.getLogger(__name__)

T = TypeVar("T")

Execute = Callable[[str, dict[str, Any]], dict[str, Any]]
"""Runs one read (document, variables) and returns its `data`."""


def encode_cursor(position: int) -> str:
    return base64.b64encode(str(position).encode()).decode()


def cursor_position(cursor: str | None) -> int | None:
    """Business NXT cursors are base64 row positions; None when one is not (they are opaque)."""
    if not cursor:
        return None
    try:
        return int(base64.b64decode(cursor.encode(), validate=True).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


class PageReader:
    def __init__(self, *, execute: Execute, prefetch: bool, max_attempts: int) -> None:
        self._execute = execute
        self.prefetch = prefetch
        self.max_attempts = max_attempts
        self.pages_refetched = 0

    def count(self, query: PagedQuery, variables: dict[str, Any]) -> int:
        data = self._execute(query.text(with_total=True), {**variables, "first": 1, "after": None})
        return int(company_table(data, query.table).get("totalCount") or 0)

    def pages(
        self,
        *,
        query: PagedQuery,
        variables: dict[str, Any],
        convert: Callable[[dict[str, Any]], T],
        page_size: int | None = None,
        after: str | None = None,
    ) -> Iterator[Page[T]]:
        size = page_size or settings.BUSINESS_NXT_PAGE_SIZE
        first_text, next_text = query.text(with_total=True), query.text(with_total=False)

        def fetch(cursor: str | None, text: str) -> dict[str, Any]:
            return company_table(
                self._execute(text, {**variables, "first": size, "after": cursor}), query.table
            )

        executor = ThreadPoolExecutor(max_workers=1) if self.prefetch else None
        pending: Future | None = None
        try:
            cursor = after
            connection = fetch(cursor, first_text)
            total = int(connection.get("totalCount") or 0)
            previous_rows: list | None = None
            while True:
                connection = self._checked(
                    connection, cursor, previous_rows, lambda c=cursor: fetch(c, next_text)
                )
                info = connection.get("pageInfo") or {}
                rows = connection.get("items") or []
                has_next = bool(info.get("hasNextPage")) and bool(rows)
                end_cursor = info.get("endCursor")
                if has_next and executor is not None:
                    # The caller's context (its organisation scope) goes along: a token
                    # refresh in the thread reads the tenant's credentials.
                    pending = executor.submit(
                        contextvars.copy_context().run, _in_thread, fetch, end_cursor, next_text
                    )
                yield Page(
                    items=[convert(row) for row in rows],
                    total_count=total,
                    end_cursor=end_cursor,
                    has_next=has_next,
                )
                if not has_next:
                    return
                previous_rows, cursor = rows, end_cursor
                if pending is not None:
                    connection, pending = pending.result(), None
                else:
                    connection = fetch(cursor, next_text)
        finally:
            if pending is not None:
                pending.cancel()
            if executor is not None:
                executor.shutdown(wait=True)

    def _checked(
        self,
        connection: dict[str, Any],
        cursor: str | None,
        previous_rows: list | None,
        refetch: Callable[[], dict[str, Any]],
    ) -> dict[str, Any]:
        """Fetch a page again while it repeats the previous one or starts in the wrong place."""
        for _ in range(self.max_attempts):
            problem = page_problem(connection, cursor, previous_rows)
            if not problem:
                return connection
            self.pages_refetched += 1
            logger.warning(
                "Business NXT page after cursor %r %s; fetching it again", cursor, problem
            )
            connection = refetch()
        if page_problem(connection, cursor, previous_rows):
            raise TransientFailure("Business NXT kept serving a page that does not follow on.")
        return connection


def _in_thread(fetch: Callable, cursor: str | None, text: str) -> dict[str, Any]:
    try:
        return fetch(cursor, text)
    finally:
        # A forced token refresh may have opened a database connection in this thread.
        connections.close_all()


def company_table(data: dict[str, Any], table: str) -> dict[str, Any]:
    """The connection object of `table` under `useCompany`; an error without company access."""
    company = data.get("useCompany")
    if company is None:
        raise BusinessNxtError(
            "Business NXT gave no access to the company.", code="NO_COMPANY_ACCESS"
        )
    return company.get(table) or {}


def page_problem(connection: dict[str, Any], cursor: str | None, previous_rows: list | None) -> str:
    """Why a page does not follow the previous one ("" when it does)."""
    rows = connection.get("items") or []
    if previous_rows is None or not rows:
        return ""
    if rows == previous_rows:
        return "repeats the previous page"
    end = cursor_position((connection.get("pageInfo") or {}).get("endCursor"))
    start = cursor_position(cursor)
    if end is not None and start is not None and end != start + len(rows):
        return f"does not continue at position {start} (ends at {end})"
    return ""
