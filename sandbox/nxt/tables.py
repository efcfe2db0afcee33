"""The company tables the stand-in serves: GraphQL names mapped onto sandbox model fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model, Q

from sandbox import models as m

INT, STRING, DECIMAL, DATETIME, BOOL = "Int", "String", "Decimal", "DateTime", "Boolean"


@dataclass(frozen=True)
class Column:
    name: str
    attr: str
    kind: str


@dataclass(frozen=True)
class Table:
    type_name: str
    query_field: str
    model: type[Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    base_filter: Q = field(default_factory=Q)
    joins: tuple[str, ...] = ()
    company_lookup: str = "company"

    def column(self, name: str) -> Column:
        return self._by_name()[name]

    def _by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}


def _cols(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    stamps = (
        ("createdTimestamp", "created_timestamp", DATETIME),
        ("changedTimestamp", "changed_timestamp", DATETIME),
    )
    return tuple(Column(*spec) for spec in (*specs, *stamps))


ASSOCIATE = Table(
    "Associate",
    "associate",
    m.Associate,
    _cols(
        ("associateNo", "associate_no", INT),
        ("customerNo", "customer_no", INT),
        ("supplierNo", "supplier_no", INT),
        ("name", "name", STRING),
        ("shortName", "short_name", STRING),
        ("companyNo", "company_no", STRING),
        ("addressLine1", "address_line1", STRING),
        ("addressLine2", "address_line2", STRING),
        ("postCode", "post_code", STRING),
        ("postalArea", "postal_area", STRING),
        ("countryNo", "country_no", INT),
        ("emailAddress", "email_address", STRING),
        ("phone", "phone", STRING),
        ("mobilePhone", "mobile_phone", STRING),
    ),
    key=("associate_no",),
)

_TRANSACTION_COLUMNS = _cols(
    ("voucherJournalNo", "voucher_journal_no", INT),
    ("auditNo", "audit_no", INT),
    ("customerNo", "customer_no", INT),
    ("voucherNo", "voucher_no", INT),
    ("voucherDate", "voucher_date", INT),
    ("valueDate", "value_date", INT),
    ("dueDate", "due_date", INT),
    ("invoiceNo", "invoice_no", STRING),
    ("text", "text", STRING),
    ("cid", "cid", STRING),
    ("currency", "currency", STRING),
    ("currencyNo", "currency_no", INT),
    ("amountDomestic", "amount_domestic", DECIMAL),
    ("amountInCurrency", "amount_in_currency", DECIMAL),
    ("outstandingAmountDomestic", "outstanding_amount_domestic", DECIMAL),
    ("outstandingAmountInCurrency", "outstanding_amount_in_currency", DECIMAL),
    ("creditedAmountDomestic", "credited_amount_domestic", DECIMAL),
    ("paidDate", "paid_date", INT),
    ("paidLast", "paid_date", INT),
    ("paidStatus", "paid_status", INT),
    ("voucherType", "voucher_type", INT),
    ("debtCollectionCaseNo", "debt_collection_case_no", INT),
)

CUSTOMER_TRANSACTION = Table(
    "CustomerTransaction",
    "customerTransaction",
    m.CustomerTransaction,
    _TRANSACTION_COLUMNS,
    key=("voucher_journal_no", "audit_no"),
    joins=("joinup_Associate_via_Customer",),
)

OPEN_CUSTOMER_ENTRY = Table(
    "OpenCustomerEntry",
    "openCustomerEntry",
    m.CustomerTransaction,
    _TRANSACTION_COLUMNS,
    key=("voucher_journal_no", "audit_no"),
    base_filter=~Q(outstanding_amount_domestic=0),
    joins=("joinup_Associate_via_Customer",),
)

# Posted general-ledger lines. The table and field names follow Visma Business's data model
# (reference §3.5: posted vouchers "show up in customerTransaction/generalLedgerTransaction");
# the field list, the signed amount (debit > 0, credit < 0) and the key are not confirmed by
# the public docs. batchNo (the batch that posted the line) is not confirmed either.
GENERAL_LEDGER_TRANSACTION = Table(
    "GeneralLedgerTransaction",
    "generalLedgerTransaction",
    m.GeneralLedgerTransaction,
    _cols(
        ("voucherJournalNo", "voucher_journal_no", INT),
        ("auditNo", "audit_no", INT),
        ("accountNo", "account_no", INT),
        ("batchNo", "batch_no", INT),
        ("voucherNo", "voucher_no", INT),
        ("voucherDate", "voucher_date", INT),
        ("valueDate", "value_date", INT),
        ("voucherType", "voucher_type", INT),
        ("text", "text", STRING),
        ("invoiceNo", "invoice_no", STRING),
        ("customerNo", "customer_no", INT),
        ("currencyNo", "currency_no", INT),
        ("amountDomestic", "amount_domestic", DECIMAL),
        ("amountInCurrency", "amount_in_currency", DECIMAL),
    ),
    key=("voucher_journal_no", "audit_no"),
)

GENERAL_LEDGER_ACCOUNT = Table(
    "GeneralLedgerAccount",
    "generalLedgerAccount",
    m.GeneralLedgerAccount,
    _cols(
        ("accountNo", "account_no", INT),
        ("name", "name", STRING),
        ("accountType", "account_type", INT),
    ),
    key=("account_no",),
)

VOUCHER_SERIES = Table(
    "VoucherSeries",
    "voucherSeries",
    m.VoucherSeries,
    _cols(
        ("voucherSeriesNo", "voucher_series_no", INT),
        ("name", "name", STRING),
        ("firstVoucherNo", "first_voucher_no", INT),
        ("lastVoucherNo", "last_voucher_no", INT),
        ("nextVoucherNo", "next_voucher_no", INT),
    ),
    key=("voucher_series_no",),
)

COMPANY_INFORMATION = Table(
    "CompanyInformation",
    "companyInformation",
    m.VismaCompany,
    (
        Column("name", "name", STRING),
        Column("companyNo", "organization_number", STRING),
        Column("vismaNetCompanyId", "company_no", INT),
    ),
    key=("pk",),
    company_lookup="pk",
)

BATCH = Table(
    "Batch",
    "batch",
    m.Batch,
    _cols(
        ("batchNo", "batch_no", INT),
        ("voucherSeriesNo", "voucher_series_no", INT),
        ("valueDate", "value_date", INT),
    ),
    key=("batch_no",),
    base_filter=Q(posted=False),
    joins=("joindown_Voucher_via_Batch",),
)

VOUCHER = Table(
    "Voucher",
    "voucher",
    m.Voucher,
    _cols(
        ("batchNo", "batch__batch_no", INT),
        ("lineNo", "line_no", INT),
        ("voucherNo", "voucher_no", INT),
        ("voucherDate", "voucher_date", INT),
        ("valueDate", "value_date", INT),
        ("dueDate", "due_date", INT),
        ("voucherType", "voucher_type", INT),
        ("debitAccountNo", "debit_account_no", INT),
        ("debitAccountType", "debit_account_type", INT),
        ("creditAccountNo", "credit_account_no", INT),
        ("creditAccountType", "credit_account_type", INT),
        ("amountDomestic", "amount_domestic", DECIMAL),
        ("customerNo", "customer_no", INT),
        ("invoiceNo", "invoice_no", STRING),
        ("text", "text", STRING),
        ("cid", "cid", STRING),
    ),
    key=("batch__batch_no", "line_no"),
    base_filter=Q(batch__posted=False),
)

TABLES = (
    ASSOCIATE,
    CUSTOMER_TRANSACTION,
    OPEN_CUSTOMER_ENTRY,
    GENERAL_LEDGER_TRANSACTION,
    GENERAL_LEDGER_ACCOUNT,
    VOUCHER_SERIES,
    COMPANY_INFORMATION,
    BATCH,
    VOUCHER,
)
