"""Talking to the sandbox over real HTTP on the live server: GraphQL as the demo user, and the
``_control/`` switches with the secret."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import requests

from tests.sandbox.conftest import GRAPHQL
from tests.sandbox.control import control_headers

CONTROL = "/sandbox/businessnxt/_control/"

CREATE_BATCH = """mutation create_batch($cid: Int!, $vsn: Int, $vouchers: [Voucher_Input!]) {
  useCompany(no: $cid) {
    batch_create(values: [{voucherSeriesNo: $vsn, valueDate: 20260115, vouchers: $vouchers}]) {
      affectedRows
      items { batchNo voucherSeriesNo
        vouchers: joindown_Voucher_via_Batch { items { lineNo voucherNo amountDomestic text } } }
    } } }"""

UPDATE_BATCH = """mutation update_batch($cid: Int!, $batchNo: Int!) { useCompany(no: $cid) {
  batch_processings {
    updateBatch(filter: {batchNo: {_eq: $batchNo}}) { succeeded voucherJournalNo } } } }"""

VOUCHERS_BY_TEXT = """query vouchers_by_text($cid: Int!, $text: String) { useCompany(no: $cid) {
  voucher(filter: {text: {_eq: $text}}) { totalCount items { batchNo lineNo amountDomestic } }
} }"""

CUSTOMER_LINES = """query customer_lines($cid: Int!,
    $filter: FilterExpression_CustomerTransaction) {
  useCompany(no: $cid) { customerTransaction(filter: $filter) { totalCount items {
    voucherJournalNo auditNo customerNo voucherNo invoiceNo text cid amountDomestic
    outstandingAmountDomestic paidStatus } } } }"""

GL_LINES = """query gl_lines($cid: Int!, $filter: FilterExpression_GeneralLedgerTransaction,
    $first: Int, $after: String) {
  useCompany(no: $cid) {
    generalLedgerTransaction(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      items { voucherJournalNo auditNo accountNo batchNo voucherNo voucherDate text invoiceNo
        customerNo amountDomestic } } } }"""

OPEN_ENTRIES = """query open_entries($cid: Int!, $customerNo: Int) { useCompany(no: $cid) {
  entries: openCustomerEntry(filter: {customerNo: {_eq: $customerNo}}) {
    totalCount items { invoiceNo cid amountDomestic outstandingAmountDomestic } }
  balance: customerTransaction(filter: {customerNo: {_eq: $customerNo}},
      groupBy: [{customerNo: DEFAULT}]) {
    items { customerNo aggregates { sum { outstandingAmountDomestic } } } } } }"""


@dataclass
class Live:
    """The sandbox's GraphQL endpoint and control switches at the live server's URL."""

    url: str
    token: str
    company_no: int

    def post(self, query: str, variables: dict | None = None, *, timeout: float = 10, **extra):
        body = {"query": query, "variables": {"cid": self.company_no, **(variables or {})}}
        body.update(extra)
        return requests.post(
            self.url + GRAPHQL,
            json=body,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=timeout,
        )

    def data(self, query: str, variables: dict | None = None, **extra) -> dict:
        """The ``useCompany`` data of a request that must succeed."""
        response = self.post(query, variables, **extra)
        assert response.status_code == 200, response.text
        payload = response.json(parse_float=Decimal)
        assert "errors" not in payload, payload["errors"]
        return payload["data"]["useCompany"]

    def errors(self, query: str, variables: dict | None = None) -> tuple[list, dict]:
        """The ``errors`` and ``data`` of a request that Business NXT answers with errors."""
        response = self.post(query, variables)
        assert response.status_code == 200, response.text
        payload = response.json(parse_float=Decimal)
        assert payload.get("errors"), payload
        return payload["errors"], payload["data"]

    def control(self, action: str, payload: dict, *, status: int = 200) -> dict:
        response = requests.post(
            self.url + CONTROL + action,
            json={"company_no": self.company_no, **payload},
            headers=control_headers(),
            timeout=10,
        )
        assert response.status_code == status, response.text
        return response.json()

    # --- the posting steps -------------------------------------------------------------

    def create_batch(self, vouchers: list[dict], series: int | None = 6) -> dict:
        variables = {"vsn": series, "vouchers": vouchers}
        return self.data(CREATE_BATCH, variables)["batch_create"]["items"][0]

    def update_batch(self, batch_no: int) -> int:
        result = self.data(UPDATE_BATCH, {"batchNo": batch_no})["batch_processings"]
        assert result["updateBatch"]["succeeded"] is True
        return result["updateBatch"]["voucherJournalNo"]

    def customer_lines(self, **conditions) -> list[dict]:
        variables = {"filter": _and(conditions)}
        return self.data(CUSTOMER_LINES, variables)["customerTransaction"]["items"]

    def gl_lines(self, **conditions) -> list[dict]:
        variables = {"filter": _and(conditions)}
        return self.data(GL_LINES, variables)["generalLedgerTransaction"]["items"]

    def open_entries(self, customer_no: int) -> tuple[list[dict], Decimal]:
        """The customer's open entries and balance (the sum of outstanding amounts)."""
        data = self.data(OPEN_ENTRIES, {"customerNo": customer_no})
        groups = data["balance"]["items"]
        balance = groups[0]["aggregates"]["sum"]["outstandingAmountDomestic"] if groups else 0
        return data["entries"]["items"], Decimal(balance)


def _and(conditions: dict) -> dict:
    return {"_and": [{name: {"_eq": value}} for name, value in conditions.items()]}
