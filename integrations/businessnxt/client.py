"""The Business NXT client: what Kredin asks of Business NXT, one method per question.

It is a facade over three parts: `transport` (the only code that sends HTTP: tokens, rate
limit, timeouts, retries of reads, error mapping), `paging` (cursor paging, counts, the
prefetch thread) and `queries` (the GraphQL documents and their filter variables).
The errors live in `errors` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
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
    CreatedBatch,
    LedgerAccount,
    OpenBatch,
    Page,
    PostedLine,
    RemoteCustomer,
    RemoteEntry,
    VoucherLine,
    VoucherSeries,
    customer_from_row,
    customer_line_from_row,
    entry_from_row,
    general_ledger_line_from_row,
    like_pattern,
    open_batches_from_rows,
    text_has_key,
    voucher_series_from_row,
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

    # --- voucher posting (reference §3) ----------------------------------------------
    # Writes are sent once through execute_mutation, and OutcomeUnknown, MutationNotSent
    # and BusinessNxtError (with Business NXT's code, e.g. UNKNOWN_ACCOUNT) reach the
    # caller as they are. After OutcomeUnknown, the reads below tell what was applied:
    # put a key of your own in every line's text and look for it.

    def voucher_series(self, *, company_no: int) -> list[VoucherSeries]:
        return self._all(
            query=queries.VOUCHER_SERIES,
            variables={"cid": company_no},
            convert=voucher_series_from_row,
        )

    def batch_create(
        self,
        *,
        company_no: int,
        voucher_series_no: int,
        voucher_date: date,
        lines: list[VoucherLine],
        voucher_no: int | None = None,
    ) -> CreatedBatch:
        """One batch holding one voucher of `lines`, created in one mutation (not posted).

        Without `voucher_no` the lines carry none, and Business NXT gives them the series'
        next number, the same for every line of the batch (so the stand-in; the docs' own
        example reads nextVoucherNo from `voucher_series` first and passes it in)."""
        if not lines:
            raise ValueError("A voucher needs at least one line.")
        day = yyyymmdd(voucher_date)
        values = [
            {
                "voucherSeriesNo": voucher_series_no,
                "valueDate": day,
                "vouchers": [
                    line.as_input(voucher_date=day, voucher_no=voucher_no) for line in lines
                ],
            }
        ]
        data = self.execute_mutation(queries.BATCH_CREATE, {"cid": company_no, "values": values})
        result = _mutation_field(data, "batch_create")
        items = result.get("items") or []
        vouchers = ((items[0].get("vouchers") or {}).get("items") or []) if items else []
        if len(items) != 1 or not items[0].get("batchNo") or not vouchers:
            raise OutcomeUnknown(
                operation_name="create_batch", reason="the answer names no batch and voucher"
            )
        return CreatedBatch(
            batch_no=int(items[0]["batchNo"]), voucher_no=int(vouchers[0].get("voucherNo") or 0)
        )

    def batch_post(self, *, company_no: int, batch_no: int) -> int:
        """Update (post) a batch; returns the voucher journal number it was posted under."""
        data = self.execute_mutation(queries.BATCH_UPDATE, {"cid": company_no, "batchNo": batch_no})
        result = (_mutation_field(data, "batch_processings") or {}).get("updateBatch") or {}
        if not result.get("succeeded"):
            raise BusinessNxtError(
                f"Business NXT did not post batch {batch_no} (no open batch by that number).",
                code="BATCH_NOT_POSTED",
                data=data,
            )
        if not result.get("voucherJournalNo"):
            raise OutcomeUnknown(
                operation_name="update_batch", reason="posted, but no voucher journal number"
            )
        return int(result["voucherJournalNo"])

    def batch_delete(self, *, company_no: int, batch_no: int) -> int:
        """Delete a batch that is not posted yet; returns how many batches went (0 or 1).
        A posted batch has left the batch table and is out of reach."""
        data = self.execute_mutation(queries.BATCH_DELETE, {"cid": company_no, "batchNo": batch_no})
        return int(_mutation_field(data, "batch_delete").get("affectedRows") or 0)

    def open_batches_with_text(self, *, company_no: int, text_contains: str) -> list[OpenBatch]:
        """Batches not yet posted, through their lines whose text contains the key."""
        rows = self._all(
            query=queries.OPEN_VOUCHERS,
            variables=queries.text_like_variables(
                company_no=company_no, pattern=like_pattern(text_contains)
            ),
            convert=lambda row: row,
        )
        found = [row for row in rows if text_has_key(row.get("text") or "", text_contains)]
        return open_batches_from_rows(found)

    def posted_lines_with_text(self, *, company_no: int, text_contains: str) -> list[PostedLine]:
        """Posted lines whose text contains the key: the customer ledger's, then the
        general ledger's, each in journal order."""
        variables = queries.text_like_variables(
            company_no=company_no, pattern=like_pattern(text_contains)
        )
        lines = self._all(
            query=queries.POSTED_CUSTOMER_LINES, variables=variables, convert=customer_line_from_row
        ) + self._all(
            query=queries.POSTED_GENERAL_LEDGER_LINES,
            variables=variables,
            convert=general_ledger_line_from_row,
        )
        return [line for line in lines if text_has_key(line.text, text_contains)]

    def _all(
        self,
        *,
        query: queries.PagedQuery,
        variables: dict[str, Any],
        convert: Callable[[dict[str, Any]], T],
    ) -> list[T]:
        return [
            item
            for page in self.pages(query=query, variables=variables, convert=convert)
            for item in page.items
        ]

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


def _mutation_field(data: dict[str, Any], field: str) -> dict[str, Any]:
    """The result of a mutation field under `useCompany`; an error without company access."""
    company = data.get("useCompany")
    if company is None:
        raise BusinessNxtError(
            "Business NXT gave no access to the company.", code="NO_COMPANY_ACCESS", data=data
        )
    return company.get(field) or {}
