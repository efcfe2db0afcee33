"""POST /hooks/businessnxt/: signed TableChange notifications ask for an incremental sync."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from integrations.models import IntegrationStatus, SyncKind, SyncRun, SyncTrigger
from kredin.tenancy import organization_scope
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

SECRET = "webhook-test-secret"


def _body(company_no: int, **extra) -> bytes:
    payload = {
        "tableIdentifier": "CustomerTransaction",
        "customerNo": 1234567,
        "companyNo": company_no,
        "event": "UPDATE",
        "primaryKeys": [{"voucherJournalNo": 3}, {"auditNo": 17}],
        "timestamp": "2026-05-07T08:17:38.3221987Z",
        **extra,
    }
    return json.dumps(payload).encode()


def _sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _post(body: bytes, signature: str | None):
    headers = {} if signature is None else {"HTTP_X_VWD_SIGNATURE_V1": signature}
    return Client().post(
        reverse("businessnxt-webhook"), data=body, content_type="application/json", **headers
    )


@pytest.fixture
def secret(settings):
    settings.BUSINESS_NXT_WEBHOOK_SECRET = SECRET
    return SECRET


@pytest.fixture
def alice_integration(alice_org):
    with organization_scope(alice_org):
        return IntegrationFactory(company_no=555001)


def _runs(org) -> list[SyncRun]:
    with organization_scope(org):
        return list(SyncRun.objects.all())


def test_bad_signature_is_rejected_and_logged(secret, alice_integration, alice_org, caplog):
    body = _body(555001)
    with caplog.at_level(logging.WARNING, logger="integrations.webhooks"):
        response = _post(body, _sign(body, "another-secret"))
    assert response.status_code == 401
    assert _runs(alice_org) == []
    assert any("webhook refused" in r.getMessage() for r in caplog.records)
    assert all(SECRET not in r.getMessage() for r in caplog.records)


def test_missing_signature_is_rejected(secret, alice_integration, alice_org, caplog):
    with caplog.at_level(logging.WARNING, logger="integrations.webhooks"):
        assert _post(_body(555001), None).status_code == 401
    assert "missing" in caplog.text
    assert _runs(alice_org) == []


def test_signature_of_another_body_is_rejected(secret, alice_integration, alice_org):
    assert _post(_body(555001), _sign(_body(555002))).status_code == 401


def test_without_a_configured_secret_everything_is_rejected(settings, alice_integration, alice_org):
    settings.BUSINESS_NXT_WEBHOOK_SECRET = ""
    body = _body(555001)
    assert _post(body, _sign(body, "")).status_code == 401
    assert _runs(alice_org) == []


def test_valid_webhook_requests_an_incremental_sync(
    secret, alice_integration, alice_org, monkeypatch, django_capture_on_commit_callbacks
):
    started = []
    monkeypatch.setattr("integrations.tasks.run_sync.delay", lambda *a: started.append(a))
    body = _body(555001)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(body, _sign(body))
    assert response.status_code == 202
    [run] = _runs(alice_org)
    assert (run.kind, run.trigger, run.integration_id) == (
        SyncKind.INCREMENTAL,
        SyncTrigger.WEBHOOK,
        alice_integration.pk,
    )
    assert started == [(alice_org.pk, run.pk)]


def test_unknown_company_is_accepted_and_ignored(secret, alice_integration, alice_org):
    body = _body(999999)
    assert _post(body, _sign(body)).status_code == 202
    assert _runs(alice_org) == []


def test_inactive_integration_is_not_synced(secret, alice_org):
    with organization_scope(alice_org):
        IntegrationFactory(company_no=555003, status=IntegrationStatus.DISCONNECTED)
    body = _body(555003)
    assert _post(body, _sign(body)).status_code == 202
    assert _runs(alice_org) == []


def test_webhook_reaches_every_organisation_with_the_company(
    secret, alice_org, charlie_org, monkeypatch
):
    monkeypatch.setattr("integrations.tasks.run_sync.delay", lambda *a: None)
    for org in (alice_org, charlie_org):
        with organization_scope(org):
            IntegrationFactory(company_no=555004)
    body = _body(555004)
    assert _post(body, _sign(body)).status_code == 202
    assert len(_runs(alice_org)) == len(_runs(charlie_org)) == 1


def test_repeated_webhooks_fold_into_the_queued_run(
    secret, alice_integration, alice_org, monkeypatch
):
    monkeypatch.setattr("integrations.tasks.run_sync.delay", lambda *a: None)
    body = _body(555001)
    for _ in range(3):
        assert _post(body, _sign(body)).status_code == 202
    assert len(_runs(alice_org)) == 1


def test_get_is_not_allowed(secret):
    assert Client().get(reverse("businessnxt-webhook")).status_code == 405


def test_malformed_json_with_a_valid_signature_is_a_bad_request(secret):
    body = b"{not json"
    assert _post(body, _sign(body)).status_code == 400
