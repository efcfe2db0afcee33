"""A signed webhook ends in a sync of the sandbox company (tasks run eagerly in tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from integrations.models import SyncRun, SyncStatus, SyncTrigger
from ledger.models import ItemStatus, OpenItem
from sandbox.nxt import ledger as sandbox_ledger
from tests.integrations.test_webhook import SECRET, _body, _sign

pytestmark = pytest.mark.django_db(transaction=True)


def test_webhook_triggers_a_sync_that_settles_a_paid_item(sandbox_integration, settings):
    settings.BUSINESS_NXT_WEBHOOK_SECRET = SECRET
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
