"""The Business NXT GraphQL client: the only module that sends HTTP requests to Business NXT.

Every call goes through `BusinessNxtClient.execute`: a shared rate limiter, explicit
timeouts, one forced token refresh on HTTP 401, and retries with exponential backoff on
transient failures only (HTTP 429 and 5xx, timeouts, connection errors and the
OUTSTANDING_LIMIT_EXCEEDED error). Everything else surfaces as a typed error.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, TypeVar

import requests
from django.conf import settings
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


def _wait(retry_state: RetryCallState) -> float:
    backoff = wait_exponential_jitter(initial=0.5, max=30, jitter=0.5)(retry_state)
    exc = retry_state.outcome.exception() if retry_state.outcome else None
    retry_after = getattr(exc, "retry_after", None)
    return max(backoff, min(retry_after or 0, 60))


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


def encode_cursor(position: int) -> str:
    return base64.b64encode(str(position).encode()).decode()


class BusinessNxtClient:
    def __init__(
        self,
        *,
        token_provider: TokenProvider,
        limiter_key: str,
        graphql_url: str | None = None,
        timeout: float | None = None,
        max_attempts: int = 6,
        session: requests.Session | None = None,
    ) -> None:
        self._token_provider = token_provider
        self._limiter_key = limiter_key
        self.graphql_url = graphql_url or settings.BUSINESS_NXT_GRAPHQL_URL
        self.timeout = timeout or settings.OUTBOUND_HTTP_TIMEOUT
        self.max_attempts = max_attempts
        self._session = session or requests.Session()
        self._session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.requests_sent = 0

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
            wait=_wait,
            stop=stop_after_attempt(self.max_attempts),
            reraise=True,
        )(self._execute_once)
        return attempt(query, variables or {})

    def _execute_once(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = self._post(query, variables, force_refresh=False)
        if response.status_code == 401:
            response = self._post(query, variables, force_refresh=True)
            if response.status_code == 401:
                raise NotAuthorized("Business NXT did not accept the access token.")
        if response.status_code == 429:
            raise TransientFailure("Business NXT rate limit (HTTP 429).",
                                   retry_after=_retry_after(response))
        if response.status_code >= 500:
            raise TransientFailure(f"Business NXT server error (HTTP {response.status_code}).")
        if response.status_code != 200:
            raise BusinessNxtError(f"Unexpected HTTP {response.status_code} from Business NXT.")
        try:
            body = response.json()
        except ValueError as exc:
            raise TransientFailure("Business NXT answered with something that is not JSON.") from exc
        errors = body.get("errors") or []
        if errors:
            first = errors[0]
            code = (first.get("extensions") or {}).get("code", "")
            message = first.get("message", "GraphQL error")
            if code == "OUTSTANDING_LIMIT_EXCEEDED":
                raise TransientFailure(message, retry_after=1.0)
            raise BusinessNxtError(message, code=code)
        return body.get("data") or {}

    def _post(self, query: str, variables: dict[str, Any], *, force_refresh: bool):
        shared_limiter().acquire(self._limiter_key)
        token = self._token_provider(force_refresh)
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
        return CompanyInfo(name=row.get("name") or "", organization_number=row.get("companyNo") or "")

    def ledger_accounts(self, *, company_no: int) -> list[LedgerAccount]:
        accounts: list[LedgerAccount] = []
        for page in self._pages(
            query=queries.LEDGER_ACCOUNTS,
            table="generalLedgerAccount",
            variables={"cid": company_no},
            convert=lambda row: LedgerAccount(account_no=int(row["accountNo"]), name=row["name"]),
            page_size=500,
        ):
            accounts.extend(page.items)
        return accounts

    def customers(
        self, *, company_no: int, changed_since: str = "", page_size: int | None = None,
        after: str | None = None,
    ) -> Iterator[Page[RemoteCustomer]]:
        conditions: list[dict[str, Any]] = [{"customerNo": {"_gt": 0}}]
        if changed_since:
            conditions.append({"changedTimestamp": {"_gte": changed_since}})
        return self._pages(
            query=queries.CUSTOMERS,
            table="associate",
            variables={"cid": company_no, "filter": {"_and": conditions}},
            convert=customer_from_row,
            page_size=page_size,
            after=after,
        )

    def open_entries(
        self, *, company_no: int, due_on_or_before: date, voucher_date_from: date | None,
        page_size: int | None = None, after: str | None = None,
    ) -> Iterator[Page[RemoteEntry]]:
        """Open items (invoices and credit notes) due on or before a date."""
        conditions: list[dict[str, Any]] = [
            {"dueDate": {"_lte": _yyyymmdd(due_on_or_before)}},
            {"outstandingAmountDomestic": {"_not_eq": 0}},
        ]
        if voucher_date_from:
            conditions.append({"voucherDate": {"_gte": _yyyymmdd(voucher_date_from)}})
        return self._pages(
            query=queries.OPEN_ENTRIES,
            table="openCustomerEntry",
            variables={"cid": company_no, "filter": {"_and": conditions}},
            convert=entry_from_row,
            page_size=page_size,
            after=after,
        )

    def transactions(
        self, *, company_no: int, voucher_date_from: date | None, changed_since: str = "",
        invoice_nos: list[str] | None = None, page_size: int | None = None,
        after: str | None = None,
    ) -> Iterator[Page[RemoteEntry]]:
        """Every posting on customers: invoices, payments and credit notes, settled or not."""
        conditions: list[dict[str, Any]] = [{"customerNo": {"_gt": 0}}]
        if voucher_date_from:
            conditions.append({"voucherDate": {"_gte": _yyyymmdd(voucher_date_from)}})
        if changed_since:
            conditions.append({"changedTimestamp": {"_gte": changed_since}})
        if invoice_nos is not None:
            conditions.append({"invoiceNo": {"_in": invoice_nos}})
        return self._pages(
            query=queries.TRANSACTIONS,
            table="customerTransaction",
            variables={"cid": company_no, "filter": {"_and": conditions}},
            convert=entry_from_row,
            page_size=page_size,
            after=after,
        )

    def _pages(
        self, *, query: str, table: str, variables: dict[str, Any],
        convert: Callable[[dict[str, Any]], T], page_size: int | None = None,
        after: str | None = None,
    ) -> Iterator[Page[T]]:
        size = page_size or settings.BUSINESS_NXT_PAGE_SIZE
        cursor = after
        while True:
            data = self.execute(query, {**variables, "first": size, "after": cursor})
            company = data.get("useCompany")
            if company is None:
                raise BusinessNxtError("Business NXT gave no access to the company.",
                                       code="NO_COMPANY_ACCESS")
            connection = company.get(table) or {}
            info = connection.get("pageInfo") or {}
            rows = connection.get("items") or []
            yield Page(
                items=[convert(row) for row in rows],
                total_count=int(connection.get("totalCount") or 0),
                end_cursor=info.get("endCursor"),
                has_next=bool(info.get("hasNextPage")) and bool(rows),
            )
            if not info.get("hasNextPage") or not rows:
                return
            cursor = info.get("endCursor")


def _yyyymmdd(value: date) -> int:
    return value.year * 10000 + value.month * 100 + value.day
