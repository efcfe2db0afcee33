"""POST /hooks/businessnxt/: signed TableChange notifications ask for an incremental sync."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from integrations.models import IntegrationStatus, SyncKind, SyncRun, SyncTrigger
from integrations.webhooks import timestamp_of
from kredin.tenancy import organization_scope
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

SECRET = "webhook-test-secret"


def stamp(moment: datetime | None = None) -> str:
    """A timestamp the way Business NXT writes it: UTC, seven fractional digits, a Z."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "7Z"


def _body(company_no: int, **extra) -> bytes:
    """A TableChange body stamped now (microseconds apart, so two bodies never sign alike)."""
    payload = {
        "tableIdentifier": "CustomerTransaction",
        "customerNo": 1234567,
        "companyNo": company_no,
        "event": "UPDATE",
        "primaryKeys": [{"voucherJournalNo": 3}, {"auditNo": 17}],
        "timestamp": stamp(),
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
    settings.BUSINESS_NXT_WEBHOOKS_ENABLED = True
    settings.BUSINESS_NXT_WEBHOOK_SECRET = SECRET
    # Signatures seen by earlier tests must not count as replays here.
    cache.clear()
    yield SECRET
    cache.clear()


@pytest.fixture
def alice_integration(alice_org):
    with organization_scope(alice_org):
        return IntegrationFactory(visma_company_id=555001)


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


def test_without_a_configured_secret_everything_is_rejected(secret, settings, alice_org):
    settings.BUSINESS_NXT_WEBHOOK_SECRET = ""
    body = _body(555001)
    assert _post(body, _sign(body, "")).status_code == 401
    assert _runs(alice_org) == []


def test_valid_webhook_requests_an_incremental_sync(
    secret, alice_integration, alice_org, monkeypatch, django_capture_on_commit_callbacks
):
    started = []
    monkeypatch.setattr(
        "integrations.tasks.sync_run_execute_task.delay", lambda *a: started.append(a)
    )
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
        IntegrationFactory(visma_company_id=555003, status=IntegrationStatus.DISCONNECTED)
    body = _body(555003)
    assert _post(body, _sign(body)).status_code == 202
    assert _runs(alice_org) == []


def test_webhook_reaches_every_organisation_with_the_company(
    secret, alice_org, charlie_org, monkeypatch
):
    monkeypatch.setattr("integrations.tasks.sync_run_execute_task.delay", lambda *a: None)
    for org in (alice_org, charlie_org):
        with organization_scope(org):
            IntegrationFactory(visma_company_id=555004)
    body = _body(555004)
    assert _post(body, _sign(body)).status_code == 202
    assert len(_runs(alice_org)) == len(_runs(charlie_org)) == 1


def test_repeated_webhooks_fold_into_the_queued_run(
    secret, alice_integration, alice_org, monkeypatch
):
    monkeypatch.setattr("integrations.tasks.sync_run_execute_task.delay", lambda *a: None)
    for audit_no in range(3):
        body = _body(555001, primaryKeys=[{"voucherJournalNo": 3}, {"auditNo": audit_no}])
        assert _post(body, _sign(body)).status_code == 202
    assert len(_runs(alice_org)) == 1


def test_get_is_not_allowed(secret):
    assert Client().get(reverse("businessnxt-webhook")).status_code == 405


def test_malformed_json_with_a_valid_signature_is_a_bad_request(secret):
    body = b"{not json"
    assert _post(body, _sign(body)).status_code == 400


# --- Switched off ---------------------------------------------------------------------------


def test_switched_off_the_endpoint_does_not_exist(settings, alice_integration, alice_org):
    settings.BUSINESS_NXT_WEBHOOKS_ENABLED = False
    settings.BUSINESS_NXT_WEBHOOK_SECRET = SECRET
    body = _body(555001)
    assert _post(body, _sign(body)).status_code == 404
    assert Client().get(reverse("businessnxt-webhook")).status_code == 404
    assert _runs(alice_org) == []


# --- Timestamp --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["2024-05-07T08:17:38.3221987Z", "2024-05-07T08:17:38Z", "2024-05-07T08:17:38.3221987"],
)
def test_business_nxt_timestamps_parse_as_utc(value):
    assert timestamp_of({"timestamp": value}) == datetime(
        2024, 5, 7, 8, 17, 38, 322198 if "." in value else 0, tzinfo=UTC
    )


def test_a_timestamp_with_an_offset_keeps_it():
    parsed = timestamp_of({"timestamp": "2024-05-07T10:17:38.3221987+02:00"})
    assert parsed == datetime(2024, 5, 7, 8, 17, 38, 322198, tzinfo=UTC)


@pytest.mark.parametrize(
    "extra",
    [
        {"timestamp": None},
        {"timestamp": ""},
        {"timestamp": "yesterday"},
        {"timestamp": "2024-13-45T99:00:00Z"},
        {"timestamp": 1715069858},
    ],
    ids=["null", "empty", "words", "impossible-date", "number"],
)
def test_a_signed_body_without_a_readable_timestamp_is_refused(
    secret, alice_integration, alice_org, extra, caplog
):
    body = _body(555001, **extra)
    with caplog.at_level(logging.WARNING, logger="integrations.webhooks"):
        assert _post(body, _sign(body)).status_code == 400
    assert "timestamp" in caplog.text
    assert _runs(alice_org) == []


def test_a_signed_body_with_no_timestamp_field_is_refused(secret, alice_integration, alice_org):
    payload = json.loads(_body(555001))
    del payload["timestamp"]
    body = json.dumps(payload).encode()
    assert _post(body, _sign(body)).status_code == 400
    assert _runs(alice_org) == []


@pytest.mark.parametrize("offset", [-301, 301, -3600, 86400])
def test_a_signed_body_stamped_outside_the_window_is_refused(
    secret, alice_integration, alice_org, offset, caplog
):
    body = _body(555001, timestamp=stamp(datetime.now(UTC) + timedelta(seconds=offset)))
    with caplog.at_level(logging.WARNING, logger="integrations.webhooks"):
        assert _post(body, _sign(body)).status_code == 401
    assert _runs(alice_org) == []
    assert "timestamp" in caplog.text
    assert SECRET not in caplog.text and _sign(body) not in caplog.text


@pytest.mark.parametrize("offset", [-290, 290])
def test_a_signed_body_stamped_inside_the_window_is_accepted(
    secret, alice_integration, alice_org, offset, monkeypatch
):
    monkeypatch.setattr("integrations.tasks.sync_run_execute_task.delay", lambda *a: None)
    body = _body(555001, timestamp=stamp(datetime.now(UTC) + timedelta(seconds=offset)))
    assert _post(body, _sign(body)).status_code == 202
    assert len(_runs(alice_org)) == 1


# --- Replay -----------------------------------------------------------------------------


def test_a_replayed_signature_is_refused(secret, alice_integration, alice_org, monkeypatch, caplog):
    monkeypatch.setattr("integrations.tasks.sync_run_execute_task.delay", lambda *a: None)
    body = _body(555001)
    assert _post(body, _sign(body)).status_code == 202
    with caplog.at_level(logging.WARNING, logger="integrations.webhooks"):
        assert _post(body, _sign(body)).status_code == 409
    assert "replay" in caplog.text
    assert _sign(body) not in caplog.text
    assert len(_runs(alice_org)) == 1


def test_the_replay_window_stays_open_as_long_as_the_timestamp_is_fresh(
    secret, alice_integration, monkeypatch
):
    """A stamp from the future stays acceptable for longer than the window from now."""
    monkeypatch.setattr("integrations.tasks.sync_run_execute_task.delay", lambda *a: None)
    remembered = {}
    add = cache.add

    def spy(key, value, timeout=None, **kwargs):
        remembered[key] = timeout
        return add(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(cache, "add", spy)
    body = _body(555001, timestamp=stamp(datetime.now(UTC) + timedelta(seconds=200)))
    assert _post(body, _sign(body)).status_code == 202
    [(key, timeout)] = remembered.items()
    assert key.startswith("webhook-signature:") and _sign(body) not in key
    assert 495 <= timeout <= 502


def test_a_server_error_forgets_the_signature_so_the_retry_gets_through(
    secret, alice_integration, alice_org, monkeypatch
):
    calls = []

    def flaky(*, company_no):
        calls.append(company_no)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return 1

    monkeypatch.setattr("integrations.webhooks.webhook_sync", flaky)
    body = _body(555001)
    client = Client(raise_request_exception=False)
    first = client.post(
        reverse("businessnxt-webhook"),
        data=body,
        content_type="application/json",
        HTTP_X_VWD_SIGNATURE_V1=_sign(body),
    )
    assert first.status_code == 500
    assert _post(body, _sign(body)).status_code == 202
    assert _post(body, _sign(body)).status_code == 409
    assert calls == [555001, 555001]
