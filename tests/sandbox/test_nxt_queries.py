"""The documented Business NXT example queries answer with the documented shapes."""

from __future__ import annotations

import base64
import json

import pytest

from sandbox.models import Associate, CustomerTransaction
from tests.sandbox.conftest import data_of

pytestmark = pytest.mark.django_db


def test_available_customers_lists_the_users_customer(gql):
    data = data_of(gql("{ availableCustomers { totalCount items { name vismaNetCustomerId } } }"))
    assert data["availableCustomers"] == {
        "totalCount": 1,
        "items": [{"name": "Test Customer for Business NXT", "vismaNetCustomerId": 1234567}],
    }


def test_available_companies_has_no_page_info_and_lists_the_company(gql, company):
    query = (
        "{ availableCompanies { totalCount items { name vismaNetCompanyId vismaNetCustomerId } } }"
    )
    data = data_of(gql(query))
    assert data["availableCompanies"]["totalCount"] == 1
    assert data["availableCompanies"]["items"][0]["vismaNetCompanyId"] == company.company_no
    response = gql("{ availableCompanies { pageInfo { hasNextPage } } }")
    assert (
        json.loads(response.content)["errors"][0]["extensions"]["code"] == "FIELDS_ON_CORRECT_TYPE"
    )


def test_available_companies_filters_by_customer_no(gql):
    query = "query($c: Int) { availableCompanies(customerNo: $c) { totalCount } }"
    assert data_of(gql(query, {"c": 1234567}))["availableCompanies"]["totalCount"] == 1
    assert data_of(gql(query, {"c": 7}))["availableCompanies"]["totalCount"] == 0


def test_general_ledger_accounts_answer_like_the_getting_started_example(gql, company):
    query = "{ useCompany(no: %d) { generalLedgerAccount { items { accountNo name } } } }"
    items = data_of(gql(query % company.company_no))["useCompany"]["generalLedgerAccount"]["items"]
    assert {"accountNo": 1500, "name": "Kundefordringer"} in items
    assert [i["accountNo"] for i in items] == sorted(i["accountNo"] for i in items)


def test_general_ledger_filter_with_gte_lt_and_like(gql, company):
    query = """query read($cid: Int!) { useCompany(no: $cid) {
      generalLedgerAccount(filter: {_and: [{accountNo: {_gte: 6000}}, {accountNo: {_lt: 7000}},
                                           {name: {_like: "Avskr%"}}]}) {
        totalCount items { accountNo name } } } }"""
    result = data_of(gql(query, {"cid": company.company_no}))["useCompany"]["generalLedgerAccount"]
    assert result["totalCount"] == 2
    assert [i["accountNo"] for i in result["items"]] == [6000, 6010]


def test_pagination_uses_base64_position_cursors(gql, company):
    query = """query read_accounts($cid: Int, $pagesize: Int, $after: String) {
      useCompany(no: $cid) { generalLedgerAccount(first: $pagesize, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        items { accountNo name } } } }"""
    first = data_of(gql(query, {"cid": company.company_no, "pagesize": 10}))
    page = first["useCompany"]["generalLedgerAccount"]
    assert page["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": "MA==",
        "endCursor": "MTA=",
    }
    assert len(page["items"]) == 10
    variables = {"cid": company.company_no, "pagesize": 10, "after": "MTA="}
    second = data_of(gql(query, variables))["useCompany"]["generalLedgerAccount"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert second["pageInfo"]["startCursor"] == base64.b64encode(b"10").decode()
    assert second["items"][0]["accountNo"] > page["items"][-1]["accountNo"]


def test_last_page_reports_no_next_page(gql, company):
    query = """{ useCompany(no: %d) { generalLedgerAccount(last: 3) {
      totalCount pageInfo { hasNextPage hasPreviousPage } items { accountNo } } } }"""
    result = data_of(gql(query % company.company_no))["useCompany"]["generalLedgerAccount"]
    assert result["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True}
    assert len(result["items"]) == 3


def test_voucher_series_query_from_the_batch_howto(gql, company):
    query = """query read_voucher_series($cid: Int!, $vsn: Int!) { useCompany(no: $cid) {
      voucherSeries(filter: {voucherSeriesNo: {_eq: $vsn}}) {
        totalCount items { voucherSeriesNo name lastVoucherNo nextVoucherNo } } } }"""
    result = data_of(gql(query, {"cid": company.company_no, "vsn": 6}))["useCompany"]
    assert result["voucherSeries"] == {
        "totalCount": 1,
        "items": [
            {
                "voucherSeriesNo": 6,
                "name": "Diverse bilag",
                "lastVoucherNo": 69999,
                "nextVoucherNo": 60000,
            }
        ],
    }


OPEN_ITEMS = """query Poster($cid: Int!) { useCompany(no: $cid) {
  firma: companyInformation { items { companyNo } }
  poster: openCustomerEntry(filter: {outstandingAmountDomestic: {_not_eq: 0}}, first: 500,
    orderBy: [{voucherJournalNo: ASC}, {auditNo: ASC}]) {
    totalCount pageInfo { hasNextPage endCursor }
    items { voucherJournalNo auditNo customerNo invoiceNo outstandingAmountDomestic dueDate
      debtCollectionCaseNo kunde: joinup_Associate_via_Customer { name companyNo } } }
  kontroll: openCustomerEntry(filter: {outstandingAmountDomestic: {_not_eq: 0}},
    groupBy: [{currencyNo: DEFAULT}]) {
    items { currencyNo aggregates { sum { outstandingAmountDomestic } count { auditNo } } } }
} }"""


def test_open_customer_entry_query_with_joinup_alias(gql, company):
    data = data_of(gql(OPEN_ITEMS, {"cid": company.company_no}))["useCompany"]
    assert data["firma"]["items"] == [{"companyNo": company.organization_number}]
    open_rows = CustomerTransaction.objects.filter(company=company).exclude(
        outstanding_amount_domestic=0
    )
    assert data["poster"]["totalCount"] == open_rows.count() > 0
    first = data["poster"]["items"][0]
    associate = Associate.objects.get(company=company, customer_no=first["customerNo"])
    assert first["kunde"] == {"name": associate.name, "companyNo": associate.company_no}
    assert all(item["outstandingAmountDomestic"] != 0 for item in data["poster"]["items"])
    total = sum(r.outstanding_amount_domestic for r in open_rows)
    assert data["kontroll"]["items"] == [
        {
            "currencyNo": 0,
            "aggregates": {
                "sum": {"outstandingAmountDomestic": total},
                "count": {"auditNo": open_rows.count()},
            },
        }
    ]


def test_money_is_a_json_number_with_two_decimals(gql, company):
    query = "{ useCompany(no: %d) { customerTransaction(first: 1) { items { amountDomestic } } } }"
    raw = gql(query % company.company_no).content.decode()
    amount = raw.split('"amountDomestic": ')[1].split("}")[0]
    assert amount.count(".") == 1 and len(amount.split(".")[1]) == 2


def test_changed_timestamp_filter_accepts_iso_strings(gql, company):
    row = CustomerTransaction.objects.filter(company=company).order_by("-changed_timestamp").first()
    query = """query($cid: Int!, $since: DateTime) { useCompany(no: $cid) {
      customerTransaction(filter: {changedTimestamp: {_gte: $since}}) {
        totalCount items { auditNo changedTimestamp } } } }"""
    since = row.changed_timestamp.astimezone().strftime("%Y-%m-%dT%H:%M:%S")
    result = data_of(gql(query, {"cid": company.company_no, "since": since}))
    items = result["useCompany"]["customerTransaction"]["items"]
    assert row.audit_no in [i["auditNo"] for i in items]
    assert len(items[0]["changedTimestamp"]) == len("2024-10-01 12:45:33.798")


def test_dates_are_yyyymmdd_integers(gql, company):
    query = (
        "{ useCompany(no: %d) { customerTransaction(first: 5) { items { voucherDate dueDate } } } }"
    )
    items = data_of(gql(query % company.company_no))["useCompany"]["customerTransaction"]["items"]
    assert all(20220101 < i["voucherDate"] < 20270101 for i in items)


def test_in_filter_takes_a_list_of_invoice_numbers(gql, company):
    query = """query fakturastatus($selskap: Int!, $fakturanr: [String]) {
      useCompany(no: $selskap) {
      customerTransaction(filter: {invoiceNo: {_in: $fakturanr}}) {
        items { invoiceNo amountDomestic outstandingAmountDomestic paidStatus } } } }"""
    variables = {"selskap": company.company_no, "fakturanr": ["10001", "10002"]}
    items = data_of(gql(query, variables))["useCompany"]["customerTransaction"]["items"]
    assert {i["invoiceNo"] for i in items} == {"10001", "10002"}
