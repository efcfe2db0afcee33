"""Each voucher exactly once, against the sandbox's aimed faults over real HTTP: a batch
created or posted and its answer lost, a hang past the client's timeout, Business NXT down
for an hour, a refused account fixed and retried; and the Bilag page and API."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from debt_collection.models import VoucherPosting, VoucherStatus
from debt_collection.tasks import vouchers_due_task
from integrations.models import PostingSettings
from sandbox.models import Batch
from sandbox.nxt import faults
from sandbox.nxt.ledger import company_by_no
from sandbox.seeding import FEE_ACCOUNT, INTEREST_ACCOUNT


def _paid_in_full(debtor) -> VoucherPosting:
    debtor.pays(debtor.owed_today())
    debtor.sync()
    debtor.day()  # records the payment; the voucher's first attempt runs at once
    return VoucherPosting.objects.get()


def _later(minutes: int):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True)


def _exactly_one_voucher(debtor, posting: VoucherPosting) -> None:
    posting.refresh_from_db()
    assert posting.status == VoucherStatus.POSTED, posting.error
    assert len(debtor.journals()) == 1
    assert debtor.journals() == {posting.journal_no}
    assert debtor.income_booked(FEE_ACCOUNT) == posting.costs
    assert debtor.income_booked(INTEREST_ACCOUNT) == posting.interest
    open_batches = Batch.objects.filter(company=company_by_no(debtor.company_no), posted=False)
    assert not open_batches.exists()
    assert debtor.balance_in_business_nxt() == Decimal("0.00")


@pytest.mark.parametrize("kind", ["http_500", "http_504"])
def test_a_batch_created_but_its_answer_lost_is_posted_not_created_again(debtor, kind):
    faults.set_fault(
        company_no=debtor.company_no, kind=kind, operation="batch_create", phase="after_commit"
    )

    posting = _paid_in_full(debtor)

    assert posting.status == VoucherStatus.UNKNOWN and posting.error_code == "outcome_unknown"
    assert Batch.objects.filter(company=company_by_no(debtor.company_no), posted=False).count() == 1
    assert vouchers_due_task() == 0  # not before its pause is over
    with _later(2):
        assert vouchers_due_task() == 1
    _exactly_one_voucher(debtor, posting)


def test_a_batch_posted_but_its_answer_lost_is_recorded_not_posted_again(debtor):
    faults.set_fault(
        company_no=debtor.company_no, kind="http_504", operation="updateBatch", phase="after_commit"
    )

    posting = _paid_in_full(debtor)

    assert posting.status == VoucherStatus.UNKNOWN
    assert len(debtor.journals()) == 1  # Business NXT did post it
    with _later(2):
        vouchers_due_task()
    _exactly_one_voucher(debtor, posting)
    assert posting.attempts == 2


def test_a_hang_past_the_timeout_is_read_back_before_anything_is_sent(debtor):
    faults.set_fault(
        company_no=debtor.company_no,
        kind="timeout",
        delay_ms=2500,  # the client gives up after 2 s (tests/integrations/conftest.py)
        operation="batch_create",
        phase="after_commit",
    )

    posting = _paid_in_full(debtor)

    assert posting.status == VoucherStatus.UNKNOWN
    with _later(2):
        vouchers_due_task()
    _exactly_one_voucher(debtor, posting)


def test_business_nxt_down_for_an_hour_the_voucher_waits_then_goes_through_once(debtor):
    debtor.pays(debtor.owed_today())
    debtor.sync()
    faults.set_fault(company_no=debtor.company_no, kind="http_500", count=10_000)
    debtor.day()
    posting = VoucherPosting.objects.get()
    assert posting.status == VoucherStatus.PENDING and posting.error_code == "unreachable"

    waits = []
    for minutes in (1, 3, 8, 18, 38, 61):
        with _later(minutes):
            vouchers_due_task()
        posting.refresh_from_db()
        waits.append(posting.attempts)
    assert posting.status == VoucherStatus.PENDING
    assert waits == sorted(waits) and waits[-1] <= 7  # backing off, not hammering

    faults.clear_faults(company_no=debtor.company_no)
    with _later(125):
        vouchers_due_task()
    _exactly_one_voucher(debtor, posting)


def test_a_refused_account_fails_visibly_and_an_admin_retries_after_fixing_it(
    debtor, client_for, alice, bob, alice_org
):
    PostingSettings.objects.filter(integration=debtor.sandbox.integration).update(
        fee_income_account=3999
    )
    posting = _paid_in_full(debtor)
    assert posting.status == VoucherStatus.FAILED and posting.error_code == "UNKNOWN_ACCOUNT"
    page = client_for(alice).get(reverse("collections:vouchers", args=[alice_org.slug]))
    assert "3999" in page.content.decode() and "Prøv igjen" in page.content.decode()
    assert vouchers_due_task() == 0  # a failed voucher waits for a person

    retry = reverse("collections:voucher-retry", args=[alice_org.slug, posting.pk])
    assert client_for(bob).post(retry).status_code == 403  # members may not
    PostingSettings.objects.filter(integration=debtor.sandbox.integration).update(
        fee_income_account=FEE_ACCOUNT
    )
    client_for(alice).post(retry)

    _exactly_one_voucher(debtor, posting)
    page = client_for(alice).get(reverse("collections:vouchers", args=[alice_org.slug]))
    assert f"journal {posting.journal_no}" in page.content.decode()


def test_vouchers_in_the_api_with_their_numbers_and_the_case_shows_its_payments(
    debtor, api_client_for, alice, charlie, alice_org
):
    posting = _paid_in_full(debtor)
    api = api_client_for(alice)

    listed = api.get(f"/api/v1/orgs/{alice_org.slug}/vouchers/").json()
    (row,) = listed["results"]
    assert row["status"] == "posted" and row["journal_no"] == posting.journal_no
    assert Decimal(row["costs"]) == posting.costs and row["case_number"] == posting.case.number
    case = api.get(f"/api/v1/orgs/{alice_org.slug}/cases/{posting.case_id}/").json()
    assert {p["part"] for p in case["payments"]} == {"costs", "interest", "principal"}
    income = [p for p in case["payments"] if p["part"] != "principal"]
    assert income and all(p["voucher_status"] == "posted" for p in income)

    refused = api.post(f"/api/v1/orgs/{alice_org.slug}/vouchers/{posting.pk}/retry/")
    assert refused.status_code == 409  # only a failed voucher is retried
    outsider = api_client_for(charlie)
    assert outsider.get(f"/api/v1/orgs/{alice_org.slug}/vouchers/").status_code == 404
    retry = f"/api/v1/orgs/{alice_org.slug}/vouchers/{posting.pk}/retry/"
    assert outsider.post(retry).status_code == 404
