"""sandbox_seed: reproducible, realistic, idempotent."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from stdnum import luhn
from stdnum.no import orgnr

from sandbox.models import Associate, CustomerTransaction, GeneralLedgerAccount
from sandbox.seeding import seed_company

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)
FIELDS = [
    "voucher_journal_no",
    "audit_no",
    "customer_no",
    "voucher_date",
    "due_date",
    "invoice_no",
    "cid",
    "amount_domestic",
    "outstanding_amount_domestic",
    "paid_status",
    "voucher_type",
    "changed_timestamp",
]


def _snapshot(company) -> tuple[list, list]:
    rows = list(
        CustomerTransaction.objects.filter(company=company)
        .order_by("audit_no")
        .values_list(*FIELDS)
    )
    people = list(
        Associate.objects.filter(company=company)
        .order_by("associate_no")
        .values_list("associate_no", "customer_no", "name", "company_no", "address_line1")
    )
    return rows, people


def test_same_seed_and_today_give_identical_rows():
    company = seed_company(customers=40, invoices=200, seed=5, today=TODAY).company
    first = _snapshot(company)
    seed_company(customers=40, invoices=200, seed=5, today=TODAY)
    assert _snapshot(company) == first
    assert CustomerTransaction.objects.filter(company=company).count() == len(first[0])


def test_another_seed_gives_other_rows():
    company = seed_company(customers=40, invoices=200, seed=5, today=TODAY).company
    first = _snapshot(company)
    seed_company(customers=40, invoices=200, seed=6, today=TODAY)
    assert _snapshot(company) != first


def test_ledger_is_realistic():
    company = seed_company(customers=60, invoices=400, seed=2, today=TODAY).company
    numbers = list(
        Associate.objects.filter(company=company)
        .exclude(company_no="")
        .values_list("company_no", flat=True)
    )
    assert any(orgnr.is_valid(n) for n in numbers) and not all(orgnr.is_valid(n) for n in numbers)
    assert Associate.objects.filter(company=company, company_no="").exists()  # persons
    invoices = CustomerTransaction.objects.filter(company=company, voucher_type=1)
    assert all(luhn.is_valid(cid) for cid in invoices.values_list("cid", flat=True))
    assert invoices.filter(outstanding_amount_domestic=0).exists()
    assert invoices.filter(paid_status=2).exists()  # part-paid
    assert CustomerTransaction.objects.filter(company=company, voucher_type=2).exists()
    accounts = set(
        GeneralLedgerAccount.objects.filter(company=company).values_list("account_no", flat=True)
    )
    assert {1500, 1920, 3900, 8050} <= accounts


def test_command_prints_the_company_last():
    out = StringIO()
    call_command(
        "sandbox_seed",
        "--customers",
        "5",
        "--invoices",
        "10",
        "--seed",
        "1",
        "--today",
        "2026-01-01",
        "--company-no",
        "5550001",
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    assert lines[-1] == "company: 5550001"
    assert any("demo@visma.sandbox" in line for line in lines)
