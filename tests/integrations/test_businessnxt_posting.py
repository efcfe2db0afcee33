"""Voucher posting through the client, over real HTTP against the Business NXT stand-in:
a fee and interest voucher created, posted and read back by its text; an open batch
deleted; refusals with Business NXT's codes; and faults before and after the commit, each
resolved by reading back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from integrations.businessnxt.client import (
    BusinessNxtError,
    MutationNotSent,
    OutcomeUnknown,
)
from integrations.businessnxt.records import (
    CreatedBatch,
    OpenBatch,
    PostedLine,
    VoucherLine,
    VoucherSeries,
)
from integrations.connectors import client_for
from sandbox.models import Associate, Batch, CustomerTransaction, GeneralLedgerTransaction
from sandbox.nxt import faults
from sandbox.seeding import FEE_ACCOUNT, INTEREST_ACCOUNT

pytestmark = pytest.mark.django_db(transaction=True)

SERIES = 6  # "Diverse bilag", 60000-69999 in the seeded company
INVOICE = "90001"
ON = date(2026, 1, 15)


@pytest.fixture
def nxt(sandbox_integration):
    with client_for(sandbox_integration.integration) as client:
        yield client


@pytest.fixture
def company_no(sandbox_integration) -> int:
    return sandbox_integration.company_no


@pytest.fixture
def customer_no(sandbox_company) -> int:
    return (
        Associate.objects.filter(company=sandbox_company, customer_no__gt=0)
        .order_by("customer_no")
        .values_list("customer_no", flat=True)
        .first()
    )


def fee_and_interest(customer_no: int, key: str, fee="38.00", interest="120.00"):
    fee, interest = Decimal(fee), Decimal(interest)
    return [
        VoucherLine.customer_debit(
            customer_no=customer_no,
            amount=fee + interest,
            invoice_no=INVOICE,
            text=f"Kredin {key} gebyr og renter",
        ),
        VoucherLine.income_credit(
            account_no=FEE_ACCOUNT,
            amount=fee,
            invoice_no=INVOICE,
            text=f"Kredin {key} purregebyr",
            customer_no=customer_no,
        ),
        VoucherLine.income_credit(
            account_no=INTEREST_ACCOUNT,
            amount=interest,
            invoice_no=INVOICE,
            text=f"Kredin {key} renter",
            customer_no=customer_no,
        ),
    ]


def create(nxt, company_no, lines, series=SERIES) -> CreatedBatch:
    return nxt.batch_create(
        company_no=company_no, voucher_series_no=series, voucher_date=ON, lines=lines
    )


# --- the happy path ---------------------------------------------------------------------------


def test_voucher_series_are_read_with_their_numbers(nxt, company_no):
    series = nxt.voucher_series(company_no=company_no)

    assert [s.series_no for s in series] == [1, 2, 3, 6]
    assert (
        VoucherSeries(
            series_no=6, name="Diverse bilag", next_voucher_no=60000, last_voucher_no=69999
        )
        in series
    )


def test_a_fee_and_interest_voucher_is_created_posted_and_found_by_its_text(
    nxt, company_no, customer_no
):
    created = create(nxt, company_no, fee_and_interest(customer_no, "K-0001"))

    # Every line got the series' next number, so the three lines are one voucher.
    assert created.voucher_no == 60000
    assert nxt.open_batches_with_text(company_no=company_no, text_contains="K-0001") == [
        OpenBatch(
            batch_no=created.batch_no,
            voucher_nos=(60000,),
            texts=(
                "Kredin K-0001 gebyr og renter",
                "Kredin K-0001 purregebyr",
                "Kredin K-0001 renter",
            ),
            amount=Decimal("158.00"),
        )
    ]
    assert nxt.posted_lines_with_text(company_no=company_no, text_contains="K-0001") == []

    journal = nxt.batch_post(company_no=company_no, batch_no=created.batch_no)

    assert nxt.open_batches_with_text(company_no=company_no, text_contains="K-0001") == []
    common = {"journal_no": journal, "voucher_no": 60000, "invoice_no": INVOICE}
    assert nxt.posted_lines_with_text(company_no=company_no, text_contains="K-0001") == [
        PostedLine(
            table="customer",
            account_no=None,
            customer_no=customer_no,
            amount=Decimal("158.00"),
            text="Kredin K-0001 gebyr og renter",
            **common,
        ),
        PostedLine(
            table="general_ledger",
            account_no=FEE_ACCOUNT,
            customer_no=customer_no,
            amount=Decimal("-38.00"),
            text="Kredin K-0001 purregebyr",
            **common,
        ),
        PostedLine(
            table="general_ledger",
            account_no=INTEREST_ACCOUNT,
            customer_no=customer_no,
            amount=Decimal("-120.00"),
            text="Kredin K-0001 renter",
            **common,
        ),
    ]
    # The series moved on: the next voucher gets the next number.
    assert create(nxt, company_no, fee_and_interest(customer_no, "K-0002")).voucher_no == 60001


def test_money_goes_out_and_comes_back_exact(nxt, company_no, customer_no):
    lines = fee_and_interest(customer_no, "K-0003", fee="0.10", interest="1234567890.29")
    journal = nxt.batch_post(
        company_no=company_no, batch_no=create(nxt, company_no, lines).batch_no
    )

    amounts = [
        line.amount
        for line in nxt.posted_lines_with_text(company_no=company_no, text_contains="K-0003")
    ]
    assert amounts == [Decimal("1234567890.39"), Decimal("-0.10"), Decimal("-1234567890.29")]
    assert GeneralLedgerTransaction.objects.filter(voucher_journal_no=journal).count() == 2


def test_the_text_search_is_a_substring_match_and_reads_every_page(nxt, company_no, customer_no):
    for key in ("K_0004", "KX0004", "K_00045"):
        create(nxt, company_no, fee_and_interest(customer_no, key))

    # LIKE reads "_" as any character; the client keeps only texts that hold the key.
    with override_settings(BUSINESS_NXT_PAGE_SIZE=2):
        found = nxt.open_batches_with_text(company_no=company_no, text_contains="k_0004")

    assert [batch.texts[0] for batch in found] == [
        "Kredin K_0004 gebyr og renter",
        "Kredin K_00045 gebyr og renter",
    ]
    for batch in found:
        nxt.batch_post(company_no=company_no, batch_no=batch.batch_no)
    with override_settings(BUSINESS_NXT_PAGE_SIZE=1):
        posted = nxt.posted_lines_with_text(company_no=company_no, text_contains="K_0004 ")
    assert [(line.table, line.amount) for line in posted] == [
        ("customer", Decimal("158.00")),
        ("general_ledger", Decimal("-38.00")),
        ("general_ledger", Decimal("-120.00")),
    ]


def test_an_open_batch_is_deleted_and_a_posted_one_is_out_of_reach(nxt, company_no, customer_no):
    open_batch = create(nxt, company_no, fee_and_interest(customer_no, "K-0005"))
    posted = create(nxt, company_no, fee_and_interest(customer_no, "K-0006"))
    nxt.batch_post(company_no=company_no, batch_no=posted.batch_no)

    assert nxt.batch_delete(company_no=company_no, batch_no=open_batch.batch_no) == 1
    assert nxt.open_batches_with_text(company_no=company_no, text_contains="K-0005") == []
    assert nxt.batch_delete(company_no=company_no, batch_no=open_batch.batch_no) == 0
    assert nxt.batch_delete(company_no=company_no, batch_no=posted.batch_no) == 0
    assert len(nxt.posted_lines_with_text(company_no=company_no, text_contains="K-0006")) == 3


# --- refusals ---------------------------------------------------------------------------------


def _lines_with(customer_no: int, **change) -> list[VoucherLine]:
    fee = VoucherLine.income_credit(
        account_no=change.get("account_no", FEE_ACCOUNT),
        amount=Decimal(change.get("amount", "38.00")),
        invoice_no=INVOICE,
        text="Kredin K-0007 purregebyr",
    )
    debit = VoucherLine.customer_debit(
        customer_no=customer_no, amount=Decimal("38.00"), invoice_no=INVOICE, text="Kredin K-0007"
    )
    return [debit, fee]


@pytest.mark.parametrize(
    ("change", "series", "code", "extensions"),
    [
        ({"account_no": 3999}, SERIES, "UNKNOWN_ACCOUNT", {"value": 3999}),
        ({}, 42, "UNKNOWN_VOUCHER_SERIES", {"value": 42}),
        ({"amount": "0"}, SERIES, "INVALID_AMOUNT", {"field": "amountDomestic"}),
    ],
    ids=["unknown-account", "unknown-series", "amount-0"],
)
def test_a_refused_voucher_raises_the_business_nxt_code_and_creates_nothing(
    nxt, company_no, customer_no, change, series, code, extensions
):
    with pytest.raises(BusinessNxtError) as raised:
        create(nxt, company_no, _lines_with(customer_no, **change), series=series)

    assert type(raised.value) is BusinessNxtError  # answered, so not OutcomeUnknown
    assert raised.value.code == code
    assert extensions.items() <= raised.value.extensions.items()
    assert not Batch.objects.exists()
    assert nxt.open_batches_with_text(company_no=company_no, text_contains="K-0007") == []


def test_an_unbalanced_voucher_is_refused_at_posting_and_stays_open(nxt, company_no, customer_no):
    created = create(nxt, company_no, fee_and_interest(customer_no, "K-0008")[:2])

    with pytest.raises(BusinessNxtError) as raised:
        nxt.batch_post(company_no=company_no, batch_no=created.batch_no)

    assert raised.value.code == "VOUCHER_NOT_IN_BALANCE"
    [still_open] = nxt.open_batches_with_text(company_no=company_no, text_contains="K-0008")
    assert still_open.batch_no == created.batch_no


def test_posting_a_batch_that_is_not_open_is_refused(nxt, company_no):
    with pytest.raises(BusinessNxtError) as raised:
        nxt.batch_post(company_no=company_no, batch_no=4711)
    assert raised.value.code == "BATCH_NOT_POSTED"


# --- faults: sent once, then read back --------------------------------------------------------


def test_batch_create_answer_lost_after_the_commit_is_found_among_the_open_batches(
    nxt, company_no, customer_no
):
    faults.set_fault(
        company_no=company_no, kind="http_500", operation="batch_create", phase="after_commit"
    )

    with pytest.raises(OutcomeUnknown):
        create(nxt, company_no, fee_and_interest(customer_no, "K-0009"))

    assert nxt.requests_sent == 1  # a write is never sent twice
    [found] = nxt.open_batches_with_text(company_no=company_no, text_contains="K-0009")
    assert (found.voucher_nos, found.amount) == ((60000,), Decimal("158.00"))
    assert Batch.objects.get().batch_no == found.batch_no


def test_update_batch_answer_lost_after_the_commit_is_found_among_the_posted_lines(
    nxt, company_no, customer_no
):
    created = create(nxt, company_no, fee_and_interest(customer_no, "K-0010"))
    faults.set_fault(
        company_no=company_no, kind="http_504", operation="updateBatch", phase="after_commit"
    )

    with pytest.raises(OutcomeUnknown):
        nxt.batch_post(company_no=company_no, batch_no=created.batch_no)

    posted = nxt.posted_lines_with_text(company_no=company_no, text_contains="K-0010")
    assert len(posted) == 3
    assert len({line.journal_no for line in posted}) == 1
    assert {line.voucher_no for line in posted} == {created.voucher_no}
    assert nxt.open_batches_with_text(company_no=company_no, text_contains="K-0010") == []


@pytest.mark.parametrize(
    ("kind", "raised"),
    [("http_500", OutcomeUnknown), ("http_429", MutationNotSent)],
)
def test_a_fault_before_batch_create_leaves_nothing(nxt, company_no, customer_no, kind, raised):
    faults.set_fault(company_no=company_no, kind=kind, operation="batch_create", phase="before")

    with pytest.raises(raised):
        create(nxt, company_no, fee_and_interest(customer_no, "K-0011"))

    assert nxt.open_batches_with_text(company_no=company_no, text_contains="K-0011") == []
    assert nxt.posted_lines_with_text(company_no=company_no, text_contains="K-0011") == []
    assert not Batch.objects.exists()


def test_a_fault_before_update_batch_leaves_the_batch_open(nxt, company_no, customer_no):
    created = create(nxt, company_no, fee_and_interest(customer_no, "K-0012"))
    faults.set_fault(company_no=company_no, kind="http_500", operation="updateBatch")

    with pytest.raises(OutcomeUnknown):
        nxt.batch_post(company_no=company_no, batch_no=created.batch_no)

    assert nxt.posted_lines_with_text(company_no=company_no, text_contains="K-0012") == []
    assert len(nxt.open_batches_with_text(company_no=company_no, text_contains="K-0012")) == 1
    assert not CustomerTransaction.objects.filter(text__contains="K-0012").exists()
    # Nothing was applied, so posting it now is safe and posts it once.
    journal = nxt.batch_post(company_no=company_no, batch_no=created.batch_no)
    posted = nxt.posted_lines_with_text(company_no=company_no, text_contains="K-0012")
    assert {line.journal_no for line in posted} == {journal}
