"""Posting over real HTTP: every line of an updated batch in customerTransaction and
generalLedgerTransaction under one journal, voucher_create into an existing batch,
batch_delete, the validation errors, and bank payments by KID (exact, partial, overpaid)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from sandbox.models import Associate, Batch, GeneralLedgerTransaction, Voucher, VoucherSeries
from sandbox.nxt import ledger
from tests.sandbox.live import CREATE_BATCH, GL_LINES, UPDATE_BATCH

pytestmark = pytest.mark.django_db(transaction=True)

CUSTOMER = 19001


@pytest.fixture
def customer(company) -> int:
    """A customer of its own, so its balance is only what the test books."""
    now = timezone.now()
    Associate.objects.create(
        company=company,
        associate_no=9001,
        customer_no=CUSTOMER,
        name="Ny Kunde AS",
        created_timestamp=now,
        changed_timestamp=now,
    )
    return CUSTOMER


def _invoice(live, amount: str = "10000", invoice_no: str = "90001") -> dict:
    return live.control(
        "invoice", {"customer_no": CUSTOMER, "amount": amount, "invoice_no": invoice_no}
    )


def _gl(account: int, amount: str, **extra) -> dict:
    return {"debitAccountNo": 1920, "creditAccountNo": account, "amountDomestic": amount, **extra}


# --- 1. posting writes every line under one journal -----------------------------------------


def test_fee_and_interest_voucher_clears_the_credit_left_by_an_overpayment(live, customer):
    kid = _invoice(live)["cid"]
    paid = live.control("payment", {"kid": kid, "amount": "10158"})
    assert (paid["excess"], paid["invoiceOutstandingAmountDomestic"]) == ("158.00", "0.00")
    entries, balance = live.open_entries(CUSTOMER)
    assert balance == Decimal("-158.00")
    assert [(e["amountDomestic"], e["outstandingAmountDomestic"]) for e in entries] == [
        (Decimal("-158.00"), Decimal("-158.00"))
    ]

    common = {"customerNo": CUSTOMER, "invoiceNo": "90001", "voucherDate": 20260115}
    batch = live.create_batch(
        [
            {
                "debitAccountNo": CUSTOMER,
                "debitAccountType": 1,
                "amountDomestic": "158.00",
                "text": "Gebyr og renter 90001",
                **common,
            },
            {
                "creditAccountNo": 3900,
                "creditAccountType": 3,
                "amountDomestic": "38.00",
                "text": "Purregebyr 90001",
                **common,
            },
            {
                "creditAccountNo": 8050,
                "amountDomestic": "120.00",
                "text": "Forsinkelsesrente 90001",
                **common,
            },
        ]
    )
    voucher_no = batch["vouchers"]["items"][0]["voucherNo"]
    journal = live.update_batch(batch["batchNo"])

    customer_lines = live.customer_lines(voucherJournalNo=journal)
    assert [(r["customerNo"], r["amountDomestic"], r["voucherNo"]) for r in customer_lines] == [
        (CUSTOMER, Decimal("158.00"), voucher_no)
    ]
    gl_lines = live.gl_lines(voucherJournalNo=journal)
    assert [(r["accountNo"], r["amountDomestic"]) for r in gl_lines] == [
        (3900, Decimal("-38.00")),
        (8050, Decimal("-120.00")),
    ]
    assert {(r["batchNo"], r["voucherNo"], r["customerNo"]) for r in gl_lines} == {
        (batch["batchNo"], voucher_no, CUSTOMER)
    }
    entries, balance = live.open_entries(CUSTOMER)
    assert (entries, balance) == ([], Decimal("0.00"))


def test_the_bank_side_of_a_payment_reaches_the_general_ledger(live, customer):
    kid = _invoice(live)["cid"]
    paid = live.control("payment", {"kid": kid})
    rows = live.gl_lines(voucherJournalNo=paid["voucherJournalNo"])
    assert [(r["accountNo"], r["amountDomestic"], r["customerNo"]) for r in rows] == [
        (1920, Decimal("10000.00"), CUSTOMER)
    ]


def test_general_ledger_lines_filter_on_text_voucher_batch_and_invoice_and_page(live):
    batch = live.create_batch(
        [
            _gl(3900, "10", text="Gebyr A", invoiceNo="A-1"),
            _gl(3900, "20", text="Gebyr B", invoiceNo="B-1", voucherNo=60010),
            _gl(8050, "30", text="Rente C", invoiceNo="C-1"),
        ]
    )
    journal = live.update_batch(batch["batchNo"])
    assert len(live.gl_lines(voucherJournalNo=journal)) == 6  # a debit and a credit per line
    assert [r["amountDomestic"] for r in live.gl_lines(text="Gebyr B")] == [
        Decimal("20.00"),
        Decimal("-20.00"),
    ]
    assert {r["text"] for r in live.gl_lines(voucherNo=60010)} == {"Gebyr B"}
    assert {r["accountNo"] for r in live.gl_lines(invoiceNo="C-1")} == {1920, 8050}
    assert len(live.gl_lines(batchNo=batch["batchNo"], accountNo=3900)) == 2

    pages, after = [], None
    while True:
        variables = {"filter": {"batchNo": {"_eq": batch["batchNo"]}}, "first": 4, "after": after}
        page = live.data(GL_LINES, variables)["generalLedgerTransaction"]
        pages.append(len(page["items"]))
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == [4, 2]
    assert page["totalCount"] == 6


def test_customer_lines_filter_on_text_and_voucher_no(live, customer):
    batch = live.create_batch(
        [
            {
                "debitAccountNo": CUSTOMER,
                "creditAccountNo": 3900,
                "customerNo": CUSTOMER,
                "amountDomestic": "70",
                "text": "Purregebyr X",
                "voucherNo": 60020,
            }
        ]
    )
    journal = live.update_batch(batch["batchNo"])
    rows = live.customer_lines(text="Purregebyr X")
    assert [(r["voucherJournalNo"], r["voucherNo"]) for r in rows] == [(journal, 60020)]
    assert live.customer_lines(voucherNo=60020, customerNo=CUSTOMER) == rows


def test_an_unbalanced_voucher_is_refused_and_stays_in_its_batch(live):
    batch = live.create_batch([{"debitAccountNo": 1920, "amountDomestic": "50"}])
    errors, data = live.errors(UPDATE_BATCH, {"batchNo": batch["batchNo"]})
    assert errors[0]["extensions"]["code"] == "VOUCHER_NOT_IN_BALANCE"
    assert data == {"useCompany": {"batch_processings": {"updateBatch": None}}}
    assert Batch.objects.get(batch_no=batch["batchNo"]).posted is False
    assert not GeneralLedgerTransaction.objects.exists()


# --- 2. voucher_create into an existing batch, and batch_delete --------------------------------

VOUCHER_CREATE = """mutation add_vouchers($cid: Int!, $values: [Voucher_Input!]!) {
  useCompany(no: $cid) { voucher_create(values: $values) {
    affectedRows items { batchNo lineNo voucherNo amountDomestic } } } }"""

BATCH_DELETE = """mutation delete_batch($cid: Int!, $batchNo: Int!) { useCompany(no: $cid) {
  batch_delete(filter: {batchNo: {_eq: $batchNo}}) { affectedRows items { batchNo } } } }"""

BATCH_BY_NO = """query batch_by_no($cid: Int!, $batchNo: Int!) { useCompany(no: $cid) {
  batch(filter: {batchNo: {_eq: $batchNo}}) { totalCount }
  voucher(filter: {batchNo: {_eq: $batchNo}}) { totalCount } } }"""


def test_vouchers_added_to_an_existing_batch_post_with_it(live):
    """The older documented flow: read nextVoucherNo, create the batch, then its vouchers."""
    series = live.data(
        """query series($cid: Int!) { useCompany(no: $cid) {
          voucherSeries(filter: {voucherSeriesNo: {_eq: 6}}) { items { nextVoucherNo } } } }"""
    )["voucherSeries"]["items"][0]
    voucher_no = series["nextVoucherNo"]
    batch = live.create_batch([])
    line = {"batchNo": batch["batchNo"], **_gl(3900, "70"), "voucherNo": voucher_no}
    added = live.data(VOUCHER_CREATE, {"values": [line]})["voucher_create"]
    assert added == {
        "affectedRows": 1,
        "items": [
            {
                "batchNo": batch["batchNo"],
                "lineNo": 1,
                "voucherNo": voucher_no,
                "amountDomestic": Decimal("70.00"),
            }
        ],
    }
    again = live.data(
        VOUCHER_CREATE, {"values": [{"batchNo": batch["batchNo"], **_gl(8050, "12.5")}]}
    )["voucher_create"]["items"]
    assert [(v["lineNo"], v["voucherNo"]) for v in again] == [(2, voucher_no + 1)]
    journal = live.update_batch(batch["batchNo"])
    assert sorted(r["amountDomestic"] for r in live.gl_lines(voucherJournalNo=journal)) == [
        Decimal("-70.00"),
        Decimal("-12.50"),
        Decimal("12.50"),
        Decimal("70.00"),
    ]


def test_batch_delete_removes_an_unposted_batch_and_its_vouchers(live):
    batch = live.create_batch([_gl(3900, "70"), _gl(8050, "10")])
    assert Voucher.objects.filter(batch__batch_no=batch["batchNo"]).count() == 2
    deleted = live.data(BATCH_DELETE, {"batchNo": batch["batchNo"]})["batch_delete"]
    assert deleted == {"affectedRows": 1, "items": [{"batchNo": batch["batchNo"]}]}
    left = live.data(BATCH_BY_NO, {"batchNo": batch["batchNo"]})
    assert (left["batch"]["totalCount"], left["voucher"]["totalCount"]) == (0, 0)
    assert not Voucher.objects.exists()
    again = live.data(BATCH_DELETE, {"batchNo": batch["batchNo"]})["batch_delete"]
    assert again == {"affectedRows": 0, "items": []}


def test_batch_delete_cannot_reach_a_posted_batch(live):
    batch = live.create_batch([_gl(3900, "70")])
    journal = live.update_batch(batch["batchNo"])
    deleted = live.data(BATCH_DELETE, {"batchNo": batch["batchNo"]})["batch_delete"]
    assert deleted["affectedRows"] == 0
    assert len(live.gl_lines(voucherJournalNo=journal)) == 2


# --- 2. validation errors ---------------------------------------------------------------------


def _exhaust_series_6(company) -> None:
    VoucherSeries.objects.filter(company=company, voucher_series_no=6).update(next_voucher_no=70000)


@pytest.mark.parametrize(
    ("vouchers", "series", "code", "words"),
    [
        ([_gl(9999, "70")], 6, "UNKNOWN_ACCOUNT", "General ledger account 9999 does not exist"),
        (
            [{**_gl(99999, "70"), "creditAccountType": 1}],
            6,
            "UNKNOWN_ACCOUNT",
            "Customer 99999 does not exist",
        ),
        ([_gl(3900, "70")], 42, "UNKNOWN_VOUCHER_SERIES", "Voucher series 42 does not exist"),
        ([_gl(3900, "0")], 6, "INVALID_AMOUNT", "must not be 0"),
        ([{"debitAccountNo": 1920, "creditAccountNo": 3900}], 6, "INVALID_AMOUNT", "not be 0"),
        ([_gl(3900, "70", voucherNo=70000)], 6, "VOUCHER_SERIES_EXHAUSTED", "is exhausted"),
    ],
    ids=["gl-account", "customer", "series", "zero", "no-amount", "number-past-the-series"],
)
def test_batch_create_refuses_bad_vouchers_with_an_error_and_creates_nothing(
    live, vouchers, series, code, words
):
    errors, data = live.errors(CREATE_BATCH, {"vsn": series, "vouchers": vouchers})
    assert errors[0]["extensions"]["code"] == code
    assert words in errors[0]["message"]
    assert errors[0]["path"] == ["useCompany", "batch_create"]
    assert data == {"useCompany": {"batch_create": None}}
    assert not Batch.objects.exists()
    assert not Voucher.objects.exists()


def test_an_exhausted_series_refuses_the_next_voucher_number(live, company):
    _exhaust_series_6(company)
    errors, _ = live.errors(CREATE_BATCH, {"vsn": 6, "vouchers": [_gl(3900, "70")]})
    assert errors[0]["extensions"]["code"] == "VOUCHER_SERIES_EXHAUSTED"
    assert "Voucher series 6 is exhausted" in errors[0]["message"]
    assert not Batch.objects.exists()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (_gl(9999, "70"), "UNKNOWN_ACCOUNT"),
        (_gl(3900, "0"), "INVALID_AMOUNT"),
        ({**_gl(3900, "70"), "voucherNo": 70001}, "VOUCHER_SERIES_EXHAUSTED"),
    ],
    ids=["account", "zero", "exhausted"],
)
def test_voucher_create_refuses_bad_vouchers(live, value, code):
    batch = live.create_batch([])
    errors, data = live.errors(VOUCHER_CREATE, {"values": [{"batchNo": batch["batchNo"], **value}]})
    assert errors[0]["extensions"]["code"] == code
    assert data == {"useCompany": {"voucher_create": None}}
    assert not Voucher.objects.exists()


def test_voucher_create_needs_an_existing_unposted_batch(live):
    errors, _ = live.errors(VOUCHER_CREATE, {"values": [{"batchNo": 4711, **_gl(3900, "70")}]})
    assert errors[0]["extensions"]["code"] == "UNKNOWN_BATCH"
    errors, _ = live.errors(VOUCHER_CREATE, {"values": [_gl(3900, "70")]})
    assert errors[0]["extensions"]["code"] == "MISSING_BATCH_NO"


# --- 4. bank payments by KID ------------------------------------------------------------------


def test_partial_payment_by_kid_leaves_the_rest_open(live, customer):
    kid = _invoice(live)["cid"]
    paid = live.control("payment", {"kid": kid, "amount": "4000"})
    assert (paid["amountDomestic"], paid["outstandingAmountDomestic"]) == ("-4000.00", "0.00")
    assert (paid["excess"], paid["invoiceOutstandingAmountDomestic"]) == ("0.00", "6000.00")
    lines = live.customer_lines(invoiceNo="90001", customerNo=CUSTOMER)
    invoice = next(r for r in lines if r["amountDomestic"] > 0)
    assert (invoice["outstandingAmountDomestic"], invoice["paidStatus"]) == (
        Decimal("6000.00"),
        ledger.PAID_PARTLY,
    )
    entries, balance = live.open_entries(CUSTOMER)
    assert balance == Decimal("6000.00")
    assert [e["outstandingAmountDomestic"] for e in entries] == [Decimal("6000.00")]


def test_exact_payment_by_kid_settles_the_invoice(live, customer):
    kid = _invoice(live)["cid"]
    paid = live.control("payment", {"kid": kid})
    assert (paid["amountDomestic"], paid["invoiceOutstandingAmountDomestic"]) == (
        "-10000.00",
        "0.00",
    )
    assert len(paid["lines"]) == 1
    assert live.open_entries(CUSTOMER) == ([], Decimal("0.00"))


def test_overpayment_by_kid_closes_the_invoice_and_leaves_an_unmatched_credit(live, customer):
    kid = _invoice(live)["cid"]
    paid = live.control("payment", {"kid": kid, "amount": "10158"})
    assert [(r["amountDomestic"], r["outstandingAmountDomestic"]) for r in paid["lines"]] == [
        ("-10000.00", "0.00"),
        ("-158.00", "-158.00"),
    ]
    assert {r["voucherJournalNo"] for r in paid["lines"]} == {paid["voucherJournalNo"]}
    entries, balance = live.open_entries(CUSTOMER)
    assert entries == [
        {
            "invoiceNo": "90001",
            "cid": kid,
            "amountDomestic": Decimal("-158.00"),
            "outstandingAmountDomestic": Decimal("-158.00"),
        }
    ]
    assert balance == Decimal("-158.00")


def test_payment_switch_refuses_bad_bodies(live, customer):
    kid = _invoice(live)["cid"]
    assert "error" in live.control("payment", {"kid": kid, "amount": "0"}, status=400)
    assert "error" in live.control("payment", {"amount": "10"}, status=400)
    assert "error" in live.control("payment", {"kid": "000000000"}, status=404)
