"""Faults aimed at one operation and phased, over real HTTP: ``before`` answers in place of the
request (nothing applied); ``after_commit`` lets the mutation commit, then loses the answer."""

from __future__ import annotations

import time

import pytest
import requests

from sandbox.models import Batch, Fault
from sandbox.nxt import faults
from tests.sandbox.live import CREATE_BATCH, UPDATE_BATCH, VOUCHERS_BY_TEXT

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = """query accounts($cid: Int!) { useCompany(no: $cid) {
  generalLedgerAccount(first: 1) { items { accountNo } } } }"""


def _line(text: str) -> dict:
    return {"debitAccountNo": 1920, "creditAccountNo": 3900, "amountDomestic": "70", "text": text}


def _create(live, text: str, **extra):
    return live.post(CREATE_BATCH, {"vsn": 6, "vouchers": [_line(text)]}, **extra)


def _vouchers(live, text: str) -> list[dict]:
    return live.data(VOUCHERS_BY_TEXT, {"text": text})["voucher"]["items"]


@pytest.mark.parametrize(("kind", "status"), [("http_500", 500), ("http_504", 504)])
def test_after_commit_fault_on_batch_create_leaves_the_batch_created(live, kind, status):
    fault = live.control(
        "fault", {"kind": kind, "operation": "batch_create", "phase": "after_commit"}
    )
    assert (fault["operation"], fault["phase"], fault["kind"]) == (
        "batch_create",
        "after_commit",
        kind,
    )
    assert live.post(ACCOUNTS).status_code == 200  # a read is not the aimed-at operation
    response = _create(live, "Kredin ref A-1")
    assert response.status_code == status
    assert "nginx" in response.text
    found = _vouchers(live, "Kredin ref A-1")
    assert len(found) == 1
    assert Batch.objects.filter(batch_no=found[0]["batchNo"], posted=False).exists()
    assert _create(live, "Kredin ref A-2").status_code == 200  # used up


def test_after_commit_hang_on_update_batch_posts_while_the_client_times_out(live):
    batch = live.create_batch([_line("Kredin ref H-1")])
    live.control(
        "fault",
        {"kind": "timeout", "operation": "updateBatch", "phase": "after_commit", "delay_ms": 1500},
    )
    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        live.post(UPDATE_BATCH, {"batchNo": batch["batchNo"]}, timeout=0.5)
    assert time.monotonic() - started < 1.4
    posted = live.gl_lines(text="Kredin ref H-1")
    assert {r["batchNo"] for r in posted} == {batch["batchNo"]}
    assert Batch.objects.get(batch_no=batch["batchNo"]).posted is True
    time.sleep(1.2)  # let the hung answer finish before the database is flushed


def test_after_commit_slow_fault_answers_normally_but_late(live):
    live.control(
        "fault",
        {"kind": "slow", "operation": "batch_create", "phase": "after_commit", "delay_ms": 300},
    )
    started = time.monotonic()
    response = _create(live, "Kredin ref S-1")
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3
    assert response.json()["data"]["useCompany"]["batch_create"]["affectedRows"] == 1


@pytest.mark.parametrize(
    ("kind", "delay_ms", "status"),
    [("http_500", 0, 500), ("http_504", 0, 504), ("timeout", 200, 504)],
)
def test_before_fault_on_batch_create_applies_nothing(live, kind, delay_ms, status):
    live.control(
        "fault",
        {"kind": kind, "operation": "batch_create", "phase": "before", "delay_ms": delay_ms},
    )
    assert _create(live, "Kredin ref B-1").status_code == status
    assert _vouchers(live, "Kredin ref B-1") == []
    assert not Batch.objects.exists()
    assert _create(live, "Kredin ref B-1").status_code == 200
    assert len(_vouchers(live, "Kredin ref B-1")) == 1


def test_before_timeout_outlasts_the_client_and_applies_nothing(live):
    live.control("fault", {"kind": "timeout", "operation": "batch_create", "delay_ms": 1200})
    with pytest.raises(requests.Timeout):
        _create(live, "Kredin ref T-1", timeout=0.4)
    assert _vouchers(live, "Kredin ref T-1") == []
    time.sleep(1.0)
    assert not Batch.objects.exists()


def test_fault_aimed_at_a_named_operation(live):
    live.control("fault", {"kind": "http_500", "operation": "create_batch"})
    assert live.post(ACCOUNTS).status_code == 200
    assert _create(live, "Kredin ref N-1").status_code == 500
    assert _create(live, "Kredin ref N-1").status_code == 200


def test_fault_on_update_batch_spares_batch_create_and_delete(live):
    live.control("fault", {"kind": "http_500", "operation": "updateBatch", "count": 1})
    live.control("fault", {"kind": "http_500", "operation": "voucher_create", "count": 1})
    batch = live.create_batch([_line("Kredin ref U-1")])
    assert live.post(UPDATE_BATCH, {"batchNo": batch["batchNo"]}).status_code == 500
    assert Batch.objects.get(batch_no=batch["batchNo"]).posted is False
    assert live.update_batch(batch["batchNo"])


@pytest.mark.parametrize("operation", ["batch_delete", "voucher_create"])
def test_after_commit_fault_on_delete_and_voucher_create(live, operation):
    batch = live.create_batch([])
    live.control("fault", {"kind": "http_500", "operation": operation, "phase": "after_commit"})
    if operation == "batch_delete":
        query = """mutation delete_batch($cid: Int!, $no: Int!) { useCompany(no: $cid) {
          batch_delete(filter: {batchNo: {_eq: $no}}) { affectedRows } } }"""
        response = live.post(query, {"no": batch["batchNo"]})
        assert response.status_code == 500
        assert not Batch.objects.filter(batch_no=batch["batchNo"]).exists()
    else:
        query = """mutation add($cid: Int!, $values: [Voucher_Input!]!) { useCompany(no: $cid) {
          voucher_create(values: $values) { affectedRows } } }"""
        values = [{"batchNo": batch["batchNo"], **_line("Kredin ref V-1")}]
        assert live.post(query, {"values": values}).status_code == 500
        assert len(_vouchers(live, "Kredin ref V-1")) == 1


def test_untargeted_fault_still_hits_every_request(live):
    fault = live.control("fault", {"kind": "http_500", "count": 2})
    assert (fault["operation"], fault["phase"], fault["count"]) == ("", "before", 2)
    assert live.post(ACCOUNTS).status_code == 500
    assert _create(live, "Kredin ref X-1").status_code == 500
    assert live.post(ACCOUNTS).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "http_429", "phase": "after_commit"},
        {"kind": "duplicate_page", "phase": "after_commit"},
        {"kind": "http_500", "phase": "sometime"},
        {"kind": "http_418"},
    ],
)
def test_fault_switch_refuses_impossible_faults(live, body):
    assert "error" in live.control("fault", body, status=400)
    assert not Fault.objects.exists()


def test_duplicate_page_fault_aimed_at_one_table(gql, company):
    faults.set_fault(
        company_no=company.company_no, kind="duplicate_page", operation="customerTransaction"
    )
    query = """query($cid: Int, $after: String) { useCompany(no: $cid) {
      generalLedgerAccount(first: 5, after: $after) {
        pageInfo { endCursor } items { accountNo } } } }"""
    first = gql(query, {"cid": company.company_no}).json()["data"]["useCompany"]
    after = first["generalLedgerAccount"]["pageInfo"]["endCursor"]
    second = gql(query, {"cid": company.company_no, "after": after}).json()["data"]["useCompany"]
    assert second["generalLedgerAccount"]["items"] != first["generalLedgerAccount"]["items"]
    assert Fault.objects.get().remaining == 1
