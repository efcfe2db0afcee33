"""A signed webhook ends in a sync of the sandbox company (tasks run eagerly in tests)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
import requests
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from django.urls import reverse

from integrations.models import SyncRun, SyncStatus, SyncTrigger
from integrations.webhooks import SIGNATURE_HEADER
from kredin.tenancy import organization_scope
from ledger.models import ItemStatus, OpenItem
from sandbox.nxt import ledger as sandbox_ledger
from tests.factories import IntegrationFactory
from tests.integrations.test_webhook import SECRET, _body, _sign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def webhooks_on(settings):
    settings.BUSINESS_NXT_WEBHOOKS_ENABLED = True
    settings.BUSINESS_NXT_WEBHOOK_SECRET = SECRET
    cache.clear()
    yield
    cache.clear()


def test_webhook_triggers_a_sync_that_settles_a_paid_item(sandbox_integration, webhooks_on):
    sandbox_integration.sync()
    item = (
        OpenItem.objects.filter(status=ItemStatus.OPEN, amount=F("outstanding"), amount__gt=0)
        .exclude(invoice_no="")
        .first()
    )
    sandbox_ledger.register_payment(
        company_no=sandbox_integration.company_no, invoice_no=item.invoice_no
    )
    body = _body(sandbox_integration.company_no)
    response = Client().post(
        reverse("businessnxt-webhook"),
        data=body,
        content_type="application/json",
        HTTP_X_VWD_SIGNATURE_V1=_sign(body),
    )
    assert response.status_code == 202
    run = SyncRun.objects.get(trigger=SyncTrigger.WEBHOOK)
    assert run.status == SyncStatus.SUCCEEDED, run.error
    item.refresh_from_db()
    assert (item.status, item.outstanding) == (ItemStatus.SETTLED, Decimal("0.00"))


@pytest.mark.postgres  # threads writing at once: SQLite serialises the demo's one worker
def test_a_burst_of_webhooks_for_one_company_queues_one_sync(
    live_server, webhooks_on, alice_org, monkeypatch
):
    """Ten distinct, valid webhooks at once, served by the live server's threads: the row
    lock in sync_request folds them all into one queued run. The task is not sent (it would
    run eagerly and finish the run), so the run stays queued throughout the burst."""
    monkeypatch.setattr("integrations.tasks.sync_run_execute_task.delay", lambda *a: None)
    with organization_scope(alice_org):
        integration = IntegrationFactory(visma_company_id=555101)
    bodies = [
        _body(555101, primaryKeys=[{"voucherJournalNo": 7}, {"auditNo": n}]) for n in range(10)
    ]
    url = live_server.url + reverse("businessnxt-webhook")
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send(body: bytes) -> None:
        try:
            barrier.wait(timeout=10)
            response = requests.post(
                url,
                data=body,
                headers={"Content-Type": "application/json", SIGNATURE_HEADER: _sign(body)},
                timeout=30,
            )
            statuses.append(response.status_code)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert statuses == [202] * len(bodies)
    with organization_scope(alice_org):
        runs = list(SyncRun.objects.filter(integration=integration))
    assert [(run.status, run.trigger) for run in runs] == [(SyncStatus.QUEUED, SyncTrigger.WEBHOOK)]
