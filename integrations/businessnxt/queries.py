"""The GraphQL operations Kredin sends to Business NXT (names and shapes as documented), and
the filter variables that narrow them.

Paged reads come in two shapes: the first page asks for `totalCount` (progress needs it),
the following pages do not, so the server is not asked to count the whole table again for
every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

AVAILABLE_COMPANIES = """
query availableCompanies {
  availableCompanies { totalCount items { name vismaNetCompanyId vismaNetCustomerId } }
}
"""

COMPANY_INFORMATION = """
query companyInformation($cid: Int!) {
  useCompany(no: $cid) { companyInformation { items { name companyNo } } }
}
"""


@dataclass(frozen=True)
class PagedQuery:
    """One paged table read; `text(with_total)` is the operation to send."""

    name: str
    table: str
    filter_type: str
    order_by: str
    fields: str

    def text(self, *, with_total: bool) -> str:
        filter_arg = f", $filter: {self.filter_type}" if self.filter_type else ""
        filter_use = ", filter: $filter" if self.filter_type else ""
        total = "totalCount" if with_total else ""
        return (
            f"query {self.name}($cid: Int!, $first: Int, $after: String{filter_arg}) {{\n"
            f"  useCompany(no: $cid) {{\n"
            f"    {self.table}(first: $first, after: $after{filter_use},\n"
            f"      orderBy: {self.order_by}) {{\n"
            f"      {total}\n"
            f"      pageInfo {{ hasNextPage endCursor }}\n"
            f"      items {{ {self.fields} }}\n"
            f"    }}\n"
            f"  }}\n"
            f"}}\n"
        )


LEDGER_ACCOUNTS = PagedQuery(
    name="ledgerAccounts",
    table="generalLedgerAccount",
    filter_type="",
    order_by="[{accountNo: ASC}]",
    fields="accountNo name",
)

CUSTOMERS = PagedQuery(
    name="customers",
    table="associate",
    filter_type="FilterExpression_Associate",
    order_by="[{associateNo: ASC}]",
    fields=(
        "associateNo customerNo name companyNo addressLine1 addressLine2 postCode postalArea "
        "emailAddress phone mobilePhone changedTimestamp"
    ),
)

_ENTRY_FIELDS = (
    "voucherJournalNo auditNo customerNo voucherNo voucherDate dueDate invoiceNo text cid "
    "voucherType amountDomestic outstandingAmountDomestic changedTimestamp"
)

OPEN_ENTRIES = PagedQuery(
    name="openEntries",
    table="openCustomerEntry",
    filter_type="FilterExpression_OpenCustomerEntry",
    order_by="[{voucherJournalNo: ASC}, {auditNo: ASC}]",
    fields=_ENTRY_FIELDS,
)

TRANSACTIONS = PagedQuery(
    name="transactions",
    table="customerTransaction",
    filter_type="FilterExpression_CustomerTransaction",
    order_by="[{voucherJournalNo: ASC}, {auditNo: ASC}]",
    fields=_ENTRY_FIELDS,
)


# --- voucher posting (reference §3): the series, the batch and its vouchers, posted lines ---

VOUCHER_SERIES = PagedQuery(
    name="voucherSeries",
    table="voucherSeries",
    filter_type="",
    order_by="[{voucherSeriesNo: ASC}]",
    fields="voucherSeriesNo name nextVoucherNo lastVoucherNo",
)

# Unposted lines (the voucher table holds only batches not yet updated).
OPEN_VOUCHERS = PagedQuery(
    name="openVouchers",
    table="voucher",
    filter_type="FilterExpression_Voucher",
    order_by="[{batchNo: ASC}, {lineNo: ASC}]",
    fields="batchNo lineNo voucherNo debitAccountNo creditAccountNo amountDomestic text",
)

POSTED_CUSTOMER_LINES = PagedQuery(
    name="postedCustomerLines",
    table="customerTransaction",
    filter_type="FilterExpression_CustomerTransaction",
    order_by="[{voucherJournalNo: ASC}, {auditNo: ASC}]",
    fields="voucherJournalNo auditNo customerNo voucherNo invoiceNo text amountDomestic",
)

POSTED_GENERAL_LEDGER_LINES = PagedQuery(
    name="postedGeneralLedgerLines",
    table="generalLedgerTransaction",
    filter_type="FilterExpression_GeneralLedgerTransaction",
    order_by="[{voucherJournalNo: ASC}, {auditNo: ASC}]",
    fields="voucherJournalNo auditNo accountNo customerNo voucherNo invoiceNo text amountDomestic",
)

# One batch with its vouchers nested, in one mutation (the docs' newer flow, §3.5).
BATCH_CREATE = """
mutation create_batch($cid: Int!, $values: [Batch_Input!]!) {
  useCompany(no: $cid) {
    batch_create(values: $values) {
      affectedRows
      items {
        batchNo
        vouchers: joindown_Voucher_via_Batch { items { lineNo voucherNo } }
      }
    }
  }
}
"""

# The batch update posts the batch. The processing's name and its voucherJournalNo are not
# in Visma's public pages; two independent sources use this shape (§3.5, §3.6).
BATCH_UPDATE = """
mutation update_batch($cid: Int!, $batchNo: Int!) {
  useCompany(no: $cid) {
    batch_processings {
      updateBatch(filter: {batchNo: {_eq: $batchNo}}) { succeeded voucherJournalNo }
    }
  }
}
"""

BATCH_DELETE = """
mutation delete_batch($cid: Int!, $batchNo: Int!) {
  useCompany(no: $cid) {
    batch_delete(filter: {batchNo: {_eq: $batchNo}}) { affectedRows }
  }
}
"""


def text_like_variables(*, company_no: int, pattern: str) -> dict[str, Any]:
    return {"cid": company_no, "filter": {"text": {"_like": pattern}}}


# --- filters: the variables for CUSTOMERS, OPEN_ENTRIES and TRANSACTIONS -------------------
# Every filter asks for customerNo > 0: the associate table holds suppliers too (docs §2.9).


def customer_variables(*, company_no: int, changed_since: str = "") -> dict[str, Any]:
    conditions: list[dict[str, Any]] = [{"customerNo": {"_gt": 0}}]
    if changed_since:
        conditions.append({"changedTimestamp": {"_gte": changed_since}})
    return {"cid": company_no, "filter": {"_and": conditions}}


def open_entry_variables(
    *,
    company_no: int,
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


def transaction_variables(
    *,
    company_no: int,
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
    """Business NXT stores dates as integers (docs §2.7)."""
    return value.year * 10000 + value.month * 100 + value.day
