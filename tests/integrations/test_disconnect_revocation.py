"""Disconnecting revokes the grant at Visma Connect (RFC 7009), and still disconnects when
Visma Connect is down, hangs or refuses; the audit event says which it was.

Kredin's pages are driven with Django's test client; the revocation goes over real HTTP to
the sandbox on the live server (tests/integrations/conftest.py).
"""

from __future__ import annotations

import logging
import socket
import time

import pytest
import requests
from django.urls import reverse

from integrations.crypto import decrypt_json
from integrations.models import Credential, Integration, IntegrationStatus
from kredin.models import AuditEvent
from sandbox import conf
from sandbox.models import Grant
from tests.integrations.conftest import CONNECT_PATH
from tests.wizard.hanging_server import hanging_server

pytestmark = pytest.mark.django_db(transaction=True)


def _refresh_token_of(integration: Integration) -> str:
    credential = Credential.objects.unscoped().get(integration=integration)
    return decrypt_json(credential.token_ciphertext)["refresh_token"]


def _disconnect(client, user, integration: Integration):
    client.force_login(user)
    url = reverse(
        "integrations:disconnect",
        kwargs={"org_slug": integration.organization.slug, "integration_id": integration.pk},
    )
    return client.post(url)


def _refresh_at_sandbox(base_url: str, refresh_token: str) -> requests.Response:
    return requests.post(
        f"{base_url}{CONNECT_PATH}/connect/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": conf.client_id(),
            "client_secret": conf.client_secret(),
        },
        timeout=10,
    )


def _assert_disconnected(integration: Integration, *, grant_revoked: bool) -> None:
    integration.refresh_from_db(from_queryset=Integration.objects.unscoped())
    assert integration.status == IntegrationStatus.DISCONNECTED
    assert integration.disconnected_at is not None
    assert not Credential.objects.unscoped().filter(integration=integration).exists()
    event = AuditEvent.objects.get(action="integration.disconnected")
    assert event.details == {"grant_revoked": grant_revoked}


def test_disconnect_revokes_the_grant_at_visma_connect(sandbox_integration, client, alice):
    integration = sandbox_integration.integration
    refresh_token = _refresh_token_of(integration)
    grant = Grant.objects.get()
    assert grant.revoked_at is None

    response = _disconnect(client, alice, integration)

    assert response.status_code == 302
    _assert_disconnected(integration, grant_revoked=True)
    grant.refresh_from_db()
    assert grant.revoked and grant.revoked_at is not None
    refused = _refresh_at_sandbox(sandbox_integration.url, refresh_token)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_disconnect_completes_when_visma_connect_is_unreachable(
    sandbox_integration, client, alice, settings, caplog
):
    integration = sandbox_integration.integration
    refresh_token = _refresh_token_of(integration)
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.VISMA_CONNECT_URL = f"http://127.0.0.1:{closed_port}{CONNECT_PATH}"

    with caplog.at_level(logging.WARNING, logger="integrations.oauth"):
        response = _disconnect(client, alice, integration)

    assert response.status_code == 302
    _assert_disconnected(integration, grant_revoked=False)
    assert "did not answer the revocation" in caplog.text
    assert refresh_token not in caplog.text
    assert Grant.objects.get().revoked_at is None


def test_a_hung_visma_connect_is_asked_once_and_given_up_on_after_the_timeout(
    sandbox_integration, client, alice, settings, caplog
):
    integration = sandbox_integration.integration
    refresh_token = _refresh_token_of(integration)
    settings.OUTBOUND_HTTP_TIMEOUT = 0.5
    with hanging_server(hang_seconds=5) as hung:
        settings.VISMA_CONNECT_URL = hung.url
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="integrations.oauth"):
            response = _disconnect(client, alice, integration)
        elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 3.0
    assert hung.paths == ["/connect/revocation"]  # once: a revocation is not retried
    _assert_disconnected(integration, grant_revoked=False)
    assert "Timeout" in caplog.text
    assert refresh_token not in caplog.text


def test_a_refused_revocation_still_disconnects(
    sandbox_integration, client, alice, monkeypatch, caplog
):
    integration = sandbox_integration.integration
    refresh_token = _refresh_token_of(integration)
    # The sandbox expects another secret than Kredin sends, so it answers 401 invalid_client.
    monkeypatch.setattr(conf, "client_secret", lambda: "the-secret-visma-connect-expects")

    with caplog.at_level(logging.WARNING, logger="integrations.oauth"):
        response = _disconnect(client, alice, integration)

    assert response.status_code == 302
    _assert_disconnected(integration, grant_revoked=False)
    assert "refused the revocation (HTTP 401)" in caplog.text
    assert refresh_token not in caplog.text
    assert Grant.objects.get().revoked_at is None
