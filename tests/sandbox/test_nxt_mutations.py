"""Posting vouchers: batch_create, updateBatch, and the ledger effects in customerTransaction."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from sandbox.models import CustomerTransaction, VoucherSeries
from sandbox.nxt import ledger
from tests.sandbox.conftest import data_of, user_token
from tests.sandbox.control import control_post

pytestmark = pytest.mark.django_db

CREATE = """mutation create_batch_and_voucher($cid: Int!, $vsn: Int!, $vouchers: [Voucher_Input!]) {
  useCompany(no: $cid) {
    batch_create(values: [{voucherSeriesNo: $vsn, valueDate: 20260115, vouchers: $vouchers}]) {
      affectedRows
      items { batchNo valueDate
        vouchers: joindown_Voucher_via_Batch {
          items { lineNo voucherNo amountDomestic } } } } } }"""

UPDATE = """mutation update_batch($cid: Int!, $batchNo: Int!) { useCompany(no: $cid) {
  batch_processings {
    updateBatch(filter: {batchNo: {_eq: $batchNo}}) { succeeded voucherJournalNo } } } }"""


def _open_invoice(company) -> CustomerTransaction:
    return (
        CustomerTransaction.objects.filter(
            company=company, voucher_type=ledger.VT_INVOICE, outstanding_amount_domestic__gt=0
        )
        .exclude(outstanding_amount_domestic=0)
        .filter(paid_status=ledger.PAID_OPEN)
        .order_by("audit_no")
        .first()
    )


def _post(gql, company, vouchers: list[dict], series: int = 6) -> dict:
    created = data_of(gql(CREATE, {"cid": company.company_no, "vsn": series, "vouchers": vouchers}))
    batch = created["useCompany"]["batch_create"]["items"][0]
    updated = data_of(gql(UPDATE, {"cid": company.company_no, "batchNo": batch["batchNo"]}))
    assert updated["useCompany"]["batch_processings"]["updateBatch"]["succeeded"] is True
    return created["useCompany"]["batch_create"]


def test_batch_create_returns_batch_and_joined_vouchers(gql, company):
    payment = {
        "voucherNo": 60000,
        "debitAccountNo": 1920,
        "creditAccountNo": 3900,
        "amountDomestic": "70.00",
        "voucherDate": 20260115,
        "valueDate": 20260115,
    }
    vouchers = [payment, {**payment, "creditAccountNo": 8050, "amountDomestic": "12.5"}]
    data = data_of(gql(CREATE, {"cid": company.company_no, "vsn": 6, "vouchers": vouchers}))
    result = data["useCompany"]["batch_create"]
    assert result["affectedRows"] == 1
    batch = result["items"][0]
    assert batch["valueDate"] == 20260115
    assert batch["vouchers"]["items"] == [
        {"lineNo": 1, "voucherNo": 60000, "amountDomestic": Decimal("70.00")},
        {"lineNo": 2, "voucherNo": 60000, "amountDomestic": Decimal("12.50")},
    ]
    series = VoucherSeries.objects.get(company=company, voucher_series_no=6)
    assert series.next_voucher_no == 60001


def test_payment_credited_to_customer_settles_the_invoice(gql, company):
    invoice = _open_invoice(company)
    amount = str(invoice.outstanding_amount_domestic)
    _post(
        gql,
        company,
        [
            {
                "debitAccountNo": 1920,
                "creditAccountNo": invoice.customer_no,
                "customerNo": invoice.customer_no,
                "invoiceNo": invoice.invoice_no,
                "amountDomestic": amount,
                "voucherDate": 20260115,
                "valueDate": 20260115,
            }
        ],
    )
    invoice.refresh_from_db()
    assert invoice.outstanding_amount_domestic == 0
    assert invoice.paid_status == ledger.PAID_SETTLED
    query = """query($cid: Int!, $no: [String]) { useCompany(no: $cid) {
      openCustomerEntry(filter: {invoiceNo: {_in: $no}}) { totalCount } } }"""
    result = data_of(gql(query, {"cid": company.company_no, "no": [invoice.invoice_no]}))
    assert result["useCompany"]["openCustomerEntry"]["totalCount"] == 0


def test_part_payment_reduces_outstanding(gql, company):
    invoice = _open_invoice(company)
    before = invoice.outstanding_amount_domestic
    _post(
        gql,
        company,
        [
            {
                "debitAccountNo": 1920,
                "creditAccountNo": invoice.customer_no,
                "creditAccountType": 1,
                "customerNo": invoice.customer_no,
                "invoiceNo": invoice.invoice_no,
                "amountDomestic": "100.00",
                "voucherDate": 20260115,
            }
        ],
    )
    invoice.refresh_from_db()
    assert invoice.outstanding_amount_domestic == before - Decimal("100.00")
    payment = CustomerTransaction.objects.filter(company=company).latest("audit_no")
    assert payment.amount_domestic == Decimal("-100.00")


def test_debit_to_customer_adds_a_new_open_row(gql, company):
    customer_no = _open_invoice(company).customer_no
    _post(
        gql,
        company,
        [
            {
                "debitAccountNo": customer_no,
                "debitAccountType": 1,
                "creditAccountNo": 3900,
                "customerNo": customer_no,
                "invoiceNo": "FEE-1",
                "text": "Purregebyr",
                "amountDomestic": "70.00",
                "voucherDate": 20260115,
            }
        ],
    )
    row = CustomerTransaction.objects.get(company=company, invoice_no="FEE-1")
    assert (row.amount_domestic, row.outstanding_amount_domestic) == (Decimal("70"), Decimal("70"))


def test_posted_batch_leaves_the_batch_table(gql, company):
    _post(gql, company, [{"debitAccountNo": 1920, "creditAccountNo": 3900, "amountDomestic": 1}])
    query = "query($cid: Int) { useCompany(no: $cid) { batch { totalCount } } }"
    data = data_of(gql(query, {"cid": company.company_no}))
    assert data["useCompany"]["batch"]["totalCount"] == 0


def test_update_batch_without_match_does_not_succeed(gql, company):
    data = data_of(gql(UPDATE, {"cid": company.company_no, "batchNo": 999}))
    assert data["useCompany"]["batch_processings"]["updateBatch"]["succeeded"] is False


def test_read_only_token_cannot_post(gql, company, demo_user, demo_client):
    token = user_token(
        demo_user, demo_client, scope="openid business-graphql-api:access-group-based-readonly"
    )
    response = gql(CREATE, {"cid": company.company_no, "vsn": 6, "vouchers": []}, bearer=token)
    payload = json.loads(response.content)
    assert payload["data"]["useCompany"]["batch_create"] is None
    assert payload["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"


def test_control_payment_settles_and_bumps_changed_timestamp(client, company):
    invoice = _open_invoice(company)
    response = control_post(
        "/sandbox/businessnxt/_control/payment",
        {"company_no": company.company_no, "invoice_no": invoice.invoice_no},
        client=client,
    )
    assert response.status_code == 200
    changed = invoice.changed_timestamp
    invoice.refresh_from_db()
    assert invoice.outstanding_amount_domestic == 0
    assert invoice.changed_timestamp > changed


def test_credit_note_reduces_outstanding_and_counts_as_credited(company):
    invoice = _open_invoice(company)
    ledger.add_credit_note(company_no=company.company_no, invoice_no=invoice.invoice_no, amount=50)
    invoice.refresh_from_db()
    assert invoice.credited_amount_domestic == Decimal("50.00")


def test_add_invoice_gets_a_valid_kid(company):
    from stdnum import luhn

    customer_no = _open_invoice(company).customer_no
    row = ledger.add_invoice(company_no=company.company_no, customer_no=customer_no, amount=500)
    assert luhn.is_valid(row.cid)
    assert row.outstanding_amount_domestic == Decimal("500.00")
