"""The GraphQL operations Kredin sends to Business NXT (names and shapes as documented).

Paged reads come in two shapes: the first page asks for `totalCount` (progress needs it),
the following pages do not, so the server is not asked to count the whole table again for
every page.
"""

from __future__ import annotations

from dataclasses import dataclass

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
