"""The Business NXT GraphQL client: the only module that sends HTTP requests to Business NXT.

Every call goes through `BusinessNxtClient.execute`: a shared rate limiter, explicit
timeouts, one forced token refresh on HTTP 401, and retries with exponential backoff on
transient failures only (HTTP 429 and 5xx, timeouts, connection errors and the
OUTSTANDING_LIMIT_EXCEEDED error). Everything else surfaces as a typed error.

Paged reads fetch the next page in a background thread while the caller stores the current
one, so a sync costs little more than the paging itself. A page that repeats the previous
one, or does not continue where the previous one ended, is fetched again.
"""

from __future__ import annotations

import base64
import binascii
import contextvars
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import requests
from django.conf import settings
from django.db import connections
from tenacity import (
    RetryCallState,
    retry,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from integrations.businessnxt import queries
from integrations.businessnxt.records import (
    Company,
    CompanyInfo,
    LedgerAccount,
    Page,
    RemoteCustomer,
    RemoteEntry,
    customer_from_row,
    entry_from_row,
)
from integrations.ratelimit import shared_limiter
from kredin.tasks import TransientError

logger = logging.getLogger(__name__)

USER_AGENT = "Kredin/1.0 (+https://kredin.no)"
T = TypeVar("T")
# access_token_for refreshes a token 60 s before it expires, so one it handed out stays
# good for at least this long: no need to ask the database before every request.
TOKEN_REUSE_SECONDS = 30.0


class BusinessNxtError(Exception):
    """Business NXT refused the request for a reason retrying will not fix."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class NotAuthorized(BusinessNxtError):
    """HTTP 401 even with a freshly refreshed access token."""


class TransientFailure(TransientError):
    """Worth retrying: the service is busy, slow or briefly broken."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


TokenProvider = Callable[[bool], str]
"""Returns an access token; called with True to force a refresh after a 401."""


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


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


class BusinessNxtClient:
    def __init__(
        self,
        *,
        token_provider: TokenProvider,
        limiter_key: str,
        graphql_url: str | None = None,
        timeout: float | None = None,
        max_attempts: int | None = None,
        retry_wait: float | None = None,
        retry_wait_max: float | None = None,
        prefetch: bool | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self._token_provider = token_provider
        self._limiter_key = limiter_key
        self.graphql_url = graphql_url or settings.BUSINESS_NXT_GRAPHQL_URL
        self.timeout = timeout or settings.OUTBOUND_HTTP_TIMEOUT
        self.max_attempts = max_attempts or getattr(settings, "BUSINESS_NXT_MAX_ATTEMPTS", 6)
        # Tests shorten the waits; production backs off from half a second up to 30.
        self.retry_wait = (
            retry_wait
            if retry_wait is not None
            else getattr(settings, "BUSINESS_NXT_RETRY_WAIT_SECONDS", 0.5)
        )
        self.retry_wait_max = (
            retry_wait_max
            if retry_wait_max is not None
            else getattr(settings, "BUSINESS_NXT_RETRY_WAIT_MAX_SECONDS", 30.0)
        )
        self.prefetch = (
            prefetch if prefetch is not None else getattr(settings, "BUSINESS_NXT_PREFETCH", True)
        )
        self._session = session or requests.Session()
        self._session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self._token_lock = threading.Lock()
        self._token: tuple[str, float] | None = None
        self.requests_sent = 0
        self.pages_refetched = 0

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> BusinessNxtClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- transport ------------------------------------------------------------------

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one GraphQL operation and return its `data`."""
        attempt = retry(
            retry=retry_if_exception_type(TransientError),
            wait=self._wait,
            stop=stop_after_attempt(self.max_attempts),
            reraise=True,
            before_sleep=self._log_retry,
        )(self._execute_once)
        return attempt(query, variables or {})

    def _wait(self, retry_state: RetryCallState) -> float:
        backoff = wait_exponential_jitter(
            multiplier=self.retry_wait, max=self.retry_wait_max, jitter=self.retry_wait
        )(retry_state)
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        retry_after = getattr(exc, "retry_after", None) or 0
        return max(backoff, min(retry_after, 2 * self.retry_wait_max))

    @staticmethod
    def _log_retry(retry_state: RetryCallState) -> None:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        logger.info(
            "Business NXT attempt %s failed (%s); retrying", retry_state.attempt_number, exc
        )

    def _execute_once(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = self._post(query, variables, force_refresh=False)
        if response.status_code == 401:
            response = self._post(query, variables, force_refresh=True)
            if response.status_code == 401:
                raise NotAuthorized("Business NXT did not accept the access token.")
        if response.status_code == 429:
            raise TransientFailure(
                "Business NXT rate limit (HTTP 429).", retry_after=_retry_after(response)
            )
        if response.status_code >= 500:
            raise TransientFailure(f"Business NXT server error (HTTP {response.status_code}).")
        if response.status_code != 200:
            raise BusinessNxtError(f"Unexpected HTTP {response.status_code} from Business NXT.")
        try:
            # Money stays Decimal from the wire on: no detour through float.
            body = json.loads(response.content, parse_float=Decimal)
        except ValueError as exc:
            raise TransientFailure(
                "Business NXT answered with something that is not JSON."
            ) from exc
        errors = body.get("errors") or []
        if errors:
            first = errors[0]
            code = (first.get("extensions") or {}).get("code", "")
            message = first.get("message", "GraphQL error")
            if code == "OUTSTANDING_LIMIT_EXCEEDED":
                raise TransientFailure(message, retry_after=1.0)
            raise BusinessNxtError(message, code=code)
        return body.get("data") or {}

    def _access_token(self, force_refresh: bool) -> str:
        with self._token_lock:
            now = time.monotonic()
            if not force_refresh and self._token and now - self._token[1] < TOKEN_REUSE_SECONDS:
                return self._token[0]
            token = self._token_provider(force_refresh)
            self._token = (token, now)
            return token

    def _post(self, query: str, variables: dict[str, Any], *, force_refresh: bool):
        shared_limiter().acquire(self._limiter_key)
        token = self._access_token(force_refresh)
        self.requests_sent += 1
        try:
            return self._session.post(
                self.graphql_url,
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {token}"},
                timeout=self.timeout,
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise TransientFailure(f"Business NXT did not answer ({type(exc).__name__}).") from exc

    # --- reads ----------------------------------------------------------------------

    def available_companies(self) -> list[Company]:
        data = self.execute(queries.AVAILABLE_COMPANIES)
        return [
            Company(
                company_no=int(row["vismaNetCompanyId"]),
                name=row.get("name") or "",
                customer_no=int(row.get("vismaNetCustomerId") or 0),
            )
            for row in data["availableCompanies"]["items"] or []
        ]

    def company_information(self, *, company_no: int) -> CompanyInfo:
        data = self.execute(queries.COMPANY_INFORMATION, {"cid": company_no})
        items = ((data.get("useCompany") or {}).get("companyInformation") or {}).get("items") or []
        row = items[0] if items else {}
        return CompanyInfo(
            name=row.get("name") or "", organization_number=row.get("companyNo") or ""
        )

    def ledger_accounts(self, *, company_no: int) -> list[LedgerAccount]:
        accounts: list[LedgerAccount] = []
        for page in self.pages(
            query=queries.LEDGER_ACCOUNTS,
            variables={"cid": company_no},
            convert=lambda row: LedgerAccount(account_no=int(row["accountNo"]), name=row["name"]),
            page_size=500,
        ):
            accounts.extend(page.items)
        return accounts

    # Each table read comes as pages, and as a count (one cheap request) for progress bars.

    def customers(
        self, *, company_no: int, changed_since: str = "", page_size: int | None = None
    ) -> Iterator[Page[RemoteCustomer]]:
        variables = _customer_variables(company_no, changed_since)
        return self.pages(
            query=queries.CUSTOMERS,
            variables=variables,
            convert=customer_from_row,
            page_size=page_size,
        )

    def customers_count(self, *, company_no: int, changed_since: str = "") -> int:
        return self.count(queries.CUSTOMERS, _customer_variables(company_no, changed_since))

    def open_entries(
        self, *, company_no: int, page_size: int | None = None, **narrow: Any
    ) -> Iterator[Page[RemoteEntry]]:
        """Open items (invoices and credit notes); see `_open_entry_variables` for `narrow`."""
        variables = _open_entry_variables(company_no, **narrow)
        return self.pages(
            query=queries.OPEN_ENTRIES,
            variables=variables,
            convert=entry_from_row,
            page_size=page_size,
        )

    def open_entries_count(self, *, company_no: int, **narrow: Any) -> int:
        return self.count(queries.OPEN_ENTRIES, _open_entry_variables(company_no, **narrow))

    def transactions(
        self, *, company_no: int, page_size: int | None = None, **narrow: Any
    ) -> Iterator[Page[RemoteEntry]]:
        """Every posting on customers: invoices, payments and credit notes, settled or not."""
        variables = _transaction_variables(company_no, **narrow)
        return self.pages(
            query=queries.TRANSACTIONS,
            variables=variables,
            convert=entry_from_row,
            page_size=page_size,
        )

    def transactions_count(self, *, company_no: int, **narrow: Any) -> int:
        return self.count(queries.TRANSACTIONS, _transaction_variables(company_no, **narrow))

    def count(self, query: queries.PagedQuery, variables: dict[str, Any]) -> int:
        data = self.execute(query.text(with_total=True), {**variables, "first": 1, "after": None})
        return int(self._connection(data, query.table).get("totalCount") or 0)

    # --- paging ---------------------------------------------------------------------

    def pages(
        self,
        *,
        query: queries.PagedQuery,
        variables: dict[str, Any],
        convert: Callable[[dict[str, Any]], T],
        page_size: int | None = None,
        after: str | None = None,
    ) -> Iterator[Page[T]]:
        size = page_size or settings.BUSINESS_NXT_PAGE_SIZE
        first_text, next_text = query.text(with_total=True), query.text(with_total=False)

        def fetch(cursor: str | None, text: str) -> dict[str, Any]:
            return self._connection(
                self.execute(text, {**variables, "first": size, "after": cursor}), query.table
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
                        contextvars.copy_context().run,
                        self._in_thread,
                        fetch,
                        end_cursor,
                        next_text,
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

    @staticmethod
    def _in_thread(fetch: Callable, cursor: str | None, text: str) -> dict[str, Any]:
        try:
            return fetch(cursor, text)
        finally:
            # A forced token refresh may have opened a database connection in this thread.
            connections.close_all()

    def _checked(
        self,
        connection: dict[str, Any],
        cursor: str | None,
        previous_rows: list | None,
        refetch: Callable[[], dict[str, Any]],
    ) -> dict[str, Any]:
        """Fetch a page again while it repeats the previous one or starts in the wrong place."""
        for _ in range(self.max_attempts):
            problem = _page_problem(connection, cursor, previous_rows)
            if not problem:
                return connection
            self.pages_refetched += 1
            logger.warning(
                "Business NXT page after cursor %r %s; fetching it again", cursor, problem
            )
            connection = refetch()
        if _page_problem(connection, cursor, previous_rows):
            raise TransientFailure("Business NXT kept serving a page that does not follow on.")
        return connection

    @staticmethod
    def _connection(data: dict[str, Any], table: str) -> dict[str, Any]:
        company = data.get("useCompany")
        if company is None:
            raise BusinessNxtError(
                "Business NXT gave no access to the company.", code="NO_COMPANY_ACCESS"
            )
        return company.get(table) or {}


def _page_problem(
    connection: dict[str, Any], cursor: str | None, previous_rows: list | None
) -> str:
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


def _customer_variables(company_no: int, changed_since: str) -> dict[str, Any]:
    conditions: list[dict[str, Any]] = [{"customerNo": {"_gt": 0}}]
    if changed_since:
        conditions.append({"changedTimestamp": {"_gte": changed_since}})
    return {"cid": company_no, "filter": {"_and": conditions}}


def _open_entry_variables(
    company_no: int,
    *,
    due_on_or_before: date | None = None,
    due_after: date | None = None,
    voucher_date_from: date | None = None,
    changed_since: str = "",
    invoice_nos: list[str] | None = None,
) -> dict[str, Any]:
    conditions: list[dict[str, Any]] = [
        {"customerNo": {"_gt": 0}},
        {"outstandingAmountDomestic": {"_not_eq": 0}},
    ]
    if due_on_or_before:
        conditions.append({"dueDate": {"_lte": yyyymmdd(due_on_or_before)}})
    if due_after:
        conditions.append({"dueDate": {"_gt": yyyymmdd(due_after)}})
    if voucher_date_from:
        conditions.append({"voucherDate": {"_gte": yyyymmdd(voucher_date_from)}})
    if changed_since:
        conditions.append({"changedTimestamp": {"_gte": changed_since}})
    if invoice_nos is not None:
        conditions.append({"invoiceNo": {"_in": invoice_nos}})
    return {"cid": company_no, "filter": {"_and": conditions}}


def _transaction_variables(
    company_no: int,
    *,
    voucher_date_from: date | None = None,
    changed_since: str = "",
    invoice_nos: list[str] | None = None,
    audit_nos: list[int] | None = None,
) -> dict[str, Any]:
    conditions: list[dict[str, Any]] = [{"customerNo": {"_gt": 0}}]
    if voucher_date_from:
        conditions.append({"voucherDate": {"_gte": yyyymmdd(voucher_date_from)}})
    if changed_since:
        conditions.append({"changedTimestamp": {"_gte": changed_since}})
    if invoice_nos is not None:
        conditions.append({"invoiceNo": {"_in": invoice_nos}})
    if audit_nos is not None:
        conditions.append({"auditNo": {"_in": audit_nos}})
    return {"cid": company_no, "filter": {"_and": conditions}}


def yyyymmdd(value: date) -> int:
    return value.year * 10000 + value.month * 100 + value.day
