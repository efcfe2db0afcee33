"""The GraphQL operations Kredin sends to Business NXT (names and shapes as documented)."""

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

LEDGER_ACCOUNTS = """
query ledgerAccounts($cid: Int!, $first: Int, $after: String) {
  useCompany(no: $cid) {
    generalLedgerAccount(first: $first, after: $after, orderBy: [{accountNo: ASC}]) {
      totalCount pageInfo { hasNextPage endCursor } items { accountNo name }
    }
  }
}
"""

CUSTOMERS = """
query customers($cid: Int!, $first: Int, $after: String, $filter: FilterExpression_Associate) {
  useCompany(no: $cid) {
    associate(first: $first, after: $after, filter: $filter, orderBy: [{associateNo: ASC}]) {
      totalCount
      pageInfo { hasNextPage endCursor }
      items {
        associateNo customerNo name companyNo addressLine1 addressLine2 postCode postalArea
        emailAddress phone mobilePhone changedTimestamp
      }
    }
  }
}
"""

_ENTRY_FIELDS = """
        voucherJournalNo auditNo customerNo voucherNo voucherDate dueDate invoiceNo text cid
        amountDomestic outstandingAmountDomestic changedTimestamp
"""

OPEN_ENTRIES = (
    """
query openEntries($cid: Int!, $first: Int, $after: String,
                  $filter: FilterExpression_OpenCustomerEntry) {
  useCompany(no: $cid) {
    openCustomerEntry(first: $first, after: $after, filter: $filter,
                      orderBy: [{voucherJournalNo: ASC}, {auditNo: ASC}]) {
      totalCount
      pageInfo { hasNextPage endCursor }
      items {"""
    + _ENTRY_FIELDS
    + """      }
    }
  }
}
"""
)

TRANSACTIONS = (
    """
query transactions($cid: Int!, $first: Int, $after: String,
                   $filter: FilterExpression_CustomerTransaction) {
  useCompany(no: $cid) {
    customerTransaction(first: $first, after: $after, filter: $filter,
                        orderBy: [{voucherJournalNo: ASC}, {auditNo: ASC}]) {
      totalCount
      pageInfo { hasNextPage endCursor }
      items {"""
    + _ENTRY_FIELDS
    + """      }
    }
  }
}
"""
)
