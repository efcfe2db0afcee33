"""The Business NXT client: what Kredin asks of Business NXT, one method per question.

It is a facade over three parts: `transport` (the only code that sends HTTP: tokens, rate
limit, timeouts, retries of reads, error mapping), `paging` (cursor paging, counts, the
prefetch thread) and `queries` (the GraphQL documents and their filter variables).
The errors live in `errors` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import requests
from django.conf import settings

from integrations.businessnxt import queries
from integrations.businessnxt.errors import (
    BusinessNxtError,
    MutationNotSent,
    NotAuthorized,
    OutcomeUnknown,
    TransientFailure,
)
from integrations.businessnxt.paging import PageReader
from integrations.businessnxt.queries import yyyymmdd
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
from integrations.businessnxt.transport import TokenProvider, Transport

__all__ = [
    "BusinessNxtClient",
    "BusinessNxtError",
    "MutationNotSent",
    "NotAuthorized",
    "OutcomeUnknown",
    "TransientFailure",
    "yyyymmdd",
]

T = TypeVar("T")


def _given(value: T | None, default: T) -> T:
    """A value the caller passed (False and 0 included), else the setting."""
    return default if value is None else value


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
        self._transport = Transport(
            token_provider=token_provider,
            limiter_key=limiter_key,
            graphql_url=graphql_url or settings.BUSINESS_NXT_GRAPHQL_URL,
            timeout=timeout or settings.OUTBOUND_HTTP_TIMEOUT,
            max_attempts=max_attempts or settings.BUSINESS_NXT_MAX_ATTEMPTS,
            # Tests shorten the waits; production backs off from half a second up to 30.
            retry_wait=_given(retry_wait, settings.BUSINESS_NXT_RETRY_WAIT_SECONDS),
            retry_wait_max=_given(retry_wait_max, settings.BUSINESS_NXT_RETRY_WAIT_MAX_SECONDS),
            session=session or requests.Session(),
        )
        self._pages = PageReader(
            # Through self.execute, looked up on each call, so there is one way in.
            execute=lambda document, variables: self.execute(document, variables),
            prefetch=_given(prefetch, settings.BUSINESS_NXT_PREFETCH),
            max_attempts=self._transport.max_attempts,
        )

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> BusinessNxtClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def max_attempts(self) -> int:
        return self._transport.max_attempts

    @property
    def requests_sent(self) -> int:
        return self._transport.requests_sent

    @property
    def pages_refetched(self) -> int:
        return self._pages.pages_refetched

    # --- any operation ----------------------------------------------------------------

    def execute(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        operation_name: str | None = None,
    ) -> dict[str, Any]:
        """Run one GraphQL operation and return its `data`. Reads are retried on passing
        trouble. A mutation is sent once (see `execute_mutation`)."""
        return self._transport.execute(document, variables, operation_name=operation_name)

    def execute_mutation(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        operation_name: str | None = None,
    ) -> dict[str, Any]:
        """Send a write exactly once, whatever the document looks like. `OutcomeUnknown`
        means it may have been applied: read back before sending it again.
        `MutationNotSent` means it was not, and can be sent after `retry_after`."""
        return self._transport.execute(
            document, variables, operation_name=operation_name, as_mutation=True
        )

    # --- reads ------------------------------------------------------------------------

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
    # See `queries.open_entry_variables` and `queries.transaction_variables` for `narrow`.

    def customers(
        self, *, company_no: int, changed_since: str = "", page_size: int | None = None
    ) -> Iterator[Page[RemoteCustomer]]:
        variables = queries.customer_variables(company_no=company_no, changed_since=changed_since)
        return self.pages(
            query=queries.CUSTOMERS,
            variables=variables,
            convert=customer_from_row,
            page_size=page_size,
        )

    def customers_count(self, *, company_no: int, changed_since: str = "") -> int:
        variables = queries.customer_variables(company_no=company_no, changed_since=changed_since)
        return self.count(queries.CUSTOMERS, variables)

    def open_entries(
        self, *, company_no: int, page_size: int | None = None, **narrow: Any
    ) -> Iterator[Page[RemoteEntry]]:
        """Open items (invoices and credit notes)."""
        variables = queries.open_entry_variables(company_no=company_no, **narrow)
        return self.pages(
            query=queries.OPEN_ENTRIES,
            variables=variables,
            convert=entry_from_row,
            page_size=page_size,
        )

    def open_entries_count(self, *, company_no: int, **narrow: Any) -> int:
        variables = queries.open_entry_variables(company_no=company_no, **narrow)
        return self.count(queries.OPEN_ENTRIES, variables)

    def transactions(
        self, *, company_no: int, page_size: int | None = None, **narrow: Any
    ) -> Iterator[Page[RemoteEntry]]:
        """Every posting on customers: invoices, payments and credit notes, settled or not."""
        variables = queries.transaction_variables(company_no=company_no, **narrow)
        return self.pages(
            query=queries.TRANSACTIONS,
            variables=variables,
            convert=entry_from_row,
            page_size=page_size,
        )

    def transactions_count(self, *, company_no: int, **narrow: Any) -> int:
        variables = queries.transaction_variables(company_no=company_no, **narrow)
        return self.count(queries.TRANSACTIONS, variables)

    # --- paging -----------------------------------------------------------------------

    def count(self, query: queries.PagedQuery, variables: dict[str, Any]) -> int:
        return self._pages.count(query, variables)

    def pages(
        self,
        *,
        query: queries.PagedQuery,
        variables: dict[str, Any],
        convert: Callable[[dict[str, Any]], T],
        page_size: int | None = None,
        after: str | None = None,
    ) -> Iterator[Page[T]]:
        return self._pages.pages(
            query=query, variables=variables, convert=convert, page_size=page_size, after=after
        )
