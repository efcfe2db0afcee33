"""Helpers for the payment tests: a case on a fresh sandbox invoice, the debtor paying
through the sandbox's bank, and what Business NXT then holds for the customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum

from debt_collection.autopilot import run_day
from debt_collection.models import Case, CollectionSettings
from debt_collection.selectors.cases import case_view
from integrations.models import PostingSettings
from kredin.clock import today_in_norway
from ledger.models import OpenItem
from sandbox.models import CustomerTransaction, GeneralLedgerTransaction
from sandbox.nxt.ledger import add_credit_note, add_invoice, company_by_no, register_payment
from sandbox.seeding import FEE_ACCOUNT, INTEREST_ACCOUNT

FEE_SERIES = 6  # "Diverse bilag" in the seeded company


def collect_with_reminder_first(organization, **overrides) -> CollectionSettings:
    """Automatic collection whose first letter is the purring with its fee."""
    values = {
        "autopilot": "automatic",
        "use_friendly_reminder": False,
        "channels": "email",
        "sender_name": "Alice Rørlegger AS",
        "sender_organization_number": organization.organization_number,
        "bank_account": "15030012345",
        "sender_email": "post@alice.example",
        **overrides,
    }
    return CollectionSettings.objects.create(**values)


def book_income_to_sandbox_accounts(integration) -> PostingSettings:
    return PostingSettings.objects.update_or_create(
        integration=integration,
        defaults={
            "organization_id": integration.organization_id,
            "fee_income_account": FEE_ACCOUNT,
            "interest_income_account": INTEREST_ACCOUNT,
            "voucher_series_no": FEE_SERIES,
        },
    )[0]


@dataclass
class Debtor:
    """One sandbox customer with one overdue invoice, mirrored, and its case."""

    sandbox: object  # SandboxIntegration
    customer_no: int
    invoice_no: str
    kid: str

    @property
    def company_no(self) -> int:
        return self.sandbox.company_no

    def sync(self) -> None:
        run = self.sandbox.sync(kind="incremental")
        assert run.status == "succeeded", run.error_code

    def day(self):
        return run_day(on=today_in_norway())

    @property
    def item(self) -> OpenItem:
        return OpenItem.objects.get(invoice_no=self.invoice_no)

    @property
    def case(self) -> Case:
        return Case.objects.get(customer__customer_no=self.customer_no)

    def owed_today(self) -> Decimal:
        return case_view(case=self.case, today=today_in_norway()).claim.to_date

    def pays(self, amount: Decimal | None = None) -> None:
        register_payment(company_no=self.company_no, kid=self.kid, amount=amount)

    def credited(self, amount: Decimal) -> None:
        add_credit_note(company_no=self.company_no, invoice_no=self.invoice_no, amount=amount)

    def balance_in_business_nxt(self) -> Decimal:
        rows = CustomerTransaction.objects.filter(
            company=company_by_no(self.company_no), customer_no=self.customer_no
        )
        return rows.aggregate(total=Sum("outstanding_amount_domestic"))["total"] or Decimal("0")

    def income_booked(self, account_no: int) -> Decimal:
        rows = GeneralLedgerTransaction.objects.filter(
            company=company_by_no(self.company_no), account_no=account_no, text__contains="Kredin"
        )
        return -(rows.aggregate(total=Sum("amount_domestic"))["total"] or Decimal("0"))

    def journals(self) -> set[int]:
        return set(
            GeneralLedgerTransaction.objects.filter(
                company=company_by_no(self.company_no), text__contains="Kredin"
            ).values_list("voucher_journal_no", flat=True)
        )


def debtor_with_overdue_invoice(
    sandbox, *, amount: str = "10000.00", days_overdue: int = 40
) -> Debtor:
    """A new invoice on a seeded customer with nothing else open, then a sync."""
    company = company_by_no(sandbox.company_no)
    open_customers = set(
        CustomerTransaction.objects.filter(company=company)
        .exclude(outstanding_amount_domestic=0)
        .values_list("customer_no", flat=True)
    )
    from sandbox.models import Associate

    customer_no = (
        Associate.objects.filter(company=company, customer_no__gt=0)
        .exclude(customer_no__in=open_customers)
        .exclude(company_no="")  # a business, with an organisation number
        .order_by("customer_no")
        .values_list("customer_no", flat=True)
        .first()
    )
    assert customer_no, "the seeded company has no customer without open items"
    today = today_in_norway()
    row = add_invoice(
        company_no=sandbox.company_no,
        customer_no=customer_no,
        amount=Decimal(amount),
        voucher_date=today - timedelta(days=days_overdue + 14),
        due_date=today - timedelta(days=days_overdue),
    )
    debtor = Debtor(
        sandbox=sandbox, customer_no=customer_no, invoice_no=row.invoice_no, kid=row.cid
    )
    run = sandbox.sync(kind="full")
    assert run.status == "succeeded", run.error_code
    return debtor


def paid_to(case, part: str) -> Decimal:
    """What the claim ledger has the case's payments cover of one part."""
    from debt_collection.models import ClaimEntry, EntryKind

    entries = ClaimEntry.objects.filter(case=case, kind=EntryKind.PAYMENT, part=part)
    return -sum((entry.amount for entry in entries), Decimal("0.00"))
