"""Access tokens: refresh before expiry, one refresh among racing workers, revoked grants."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import requests
from django.core import mail
from django.db import connection
from django.utils import timezone

from integrations import oauth
from integrations.connectors import client_for
from integrations.crypto import decrypt_json, encrypt_json
from integrations.models import Credential, Integration, IntegrationStatus
from kredin.models import AuditEvent, Notification, NotificationKind
from kredin.tasks import TransientError
from kredin.tenancy import organization_scope
from sandbox.connect.tokens import revoke_grant
from sandbox.models import Grant
from tests.factories import IntegrationFactory
from tests.wizard.hanging_server import hanging_server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connected(alice, alice_org, client, walker, sandbox_company, settings):
    settings.SANDBOX_REFRESH_GRACE_SECONDS = 0  # a spent refresh token is dead at once
    client.force_login(alice)
    walker.follow(walker.consent_redirect(alice_org.slug))
    integration = Integration.objects.unscoped().get(organization=alice_org)
    with organization_scope(alice_org):
        integration.visma_company_id = sandbox_company.company_no
        integration.save()
    return integration


def _stored_token(integration) -> dict:
    credential = Credential.objects.unscoped().get(integration=integration)
    return decrypt_json(credential.token_ciphertext)


def _expire(integration) -> None:
    Credential.objects.unscoped().filter(integration=integration).update(
        access_expires_at=timezone.now() - timedelta(minutes=1)
    )


def test_an_expired_access_token_is_refreshed_and_the_refresh_token_rotates(connected):
    before = _stored_token(connected)
    _expire(connected)
    with organization_scope(connected.organization_id):
        token = oauth.access_token_for(integration=connected)
        companies = client_for(connected).available_companies()
    after = _stored_token(connected)
    assert token == after["access_token"] != before["access_token"]
    assert after["refresh_token"] != before["refresh_token"]
    assert companies, "the refreshed token must open Business NXT"


def test_a_fresh_token_is_used_without_asking_visma_connect(connected):
    before = _stored_token(connected)
    with organization_scope(connected.organization_id):
        assert oauth.access_token_for(integration=connected) == before["access_token"]
    assert _stored_token(connected)["refresh_token"] == before["refresh_token"]


def test_two_workers_refreshing_at_once_spend_the_refresh_token_once(connected):
    _expire(connected)
    barrier = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def worker():
        try:
            with organization_scope(connected.organization_id):
                barrier.wait()
                results.append(oauth.access_token_for(integration=connected))
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert len(results) == 2 and results[0] == results[1]
    connected.refresh_from_db(from_queryset=Integration.objects.unscoped())
    assert connected.status != IntegrationStatus.MUST_RECONNECT
    # The refresh token we kept is the live one: one more refresh still works.
    with organization_scope(connected.organization_id):
        assert oauth.access_token_for(integration=connected, force_refresh=True)


def test_a_revoked_grant_marks_the_integration_and_tells_the_owner(connected, alice):
    revoke_grant(Grant.objects.get())
    _expire(connected)
    with organization_scope(connected.organization_id), pytest.raises(oauth.ReconnectRequired):
        oauth.access_token_for(integration=connected)
    connected.refresh_from_db(from_queryset=Integration.objects.unscoped())
    assert connected.status == IntegrationStatus.MUST_RECONNECT
    assert "tilbakekalt" in connected.last_error
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "må kobles til på nytt" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="integration.must_reconnect").count() == 1
    told = Notification.objects.unscoped().filter(kind=NotificationKind.INTEGRATION_RECONNECT)
    assert list(told.values_list("user__email", flat=True)) == [alice.email]


def test_a_401_from_business_nxt_forces_one_refresh_and_the_call_succeeds(connected):
    token = _stored_token(connected)
    token["access_token"] = "not-a-token-business-nxt-accepts"
    Credential.objects.unscoped().filter(integration=connected).update(
        token_ciphertext=encrypt_json(token)
    )
    with organization_scope(connected.organization_id):
        companies = client_for(connected).available_companies()
    assert companies
    assert _stored_token(connected)["access_token"] != "not-a-token-business-nxt-accepts"


# --- A Visma Connect that takes the request and never answers ----------------------------

TIMEOUT = 0.5
# Well under the hanging server's 5 s, well over the timeout: room for a slow machine.
GIVE_UP_WITHIN = 3.0


@pytest.fixture
def hung_connect(settings):
    settings.OUTBOUND_HTTP_TIMEOUT = TIMEOUT
    with hanging_server(hang_seconds=5) as server:
        settings.VISMA_CONNECT_URL = server.url
        yield server


def test_a_hung_token_endpoint_fails_the_refresh_after_the_timeout(hung_connect, alice_org):
    with organization_scope(alice_org):
        integration = IntegrationFactory()
        oauth.credential_store(
            integration=integration,
            token={
                "access_token": "old-access",
                "refresh_token": "old-refresh",
                "token_type": "Bearer",
                "expires_at": int(time.time()) - 60,
            },
        )
        started = time.monotonic()
        with pytest.raises(TransientError):
            oauth.access_token_for(integration=integration)
    assert time.monotonic() - started < GIVE_UP_WITHIN
    assert hung_connect.paths == ["/connect/token"]


def test_a_hung_token_endpoint_fails_the_code_exchange_after_the_timeout(hung_connect):
    session: dict = {}
    oauth.authorization_start(
        session=session, organization_id=1, redirect_uri="http://testserver/callback"
    )
    [state] = session[oauth.SESSION_KEY]
    pending = oauth.authorization_pending(session=session, state=state)
    started = time.monotonic()
    with pytest.raises(oauth.ConsentFailed) as failed:
        oauth.authorization_finish(
            session=session, query={"code": "a-code", "state": state}, pending=pending
        )
    assert time.monotonic() - started < GIVE_UP_WITHIN
    assert failed.value.reason == "unreachable"
    assert isinstance(failed.value.__cause__, requests.Timeout)
