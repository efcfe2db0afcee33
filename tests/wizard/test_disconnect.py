"""Connect through the wizard, then disconnect: the grant Visma Connect gave is revoked there."""

from __future__ import annotations

import pytest
import requests
from django.urls import reverse

from integrations.crypto import decrypt_json
from integrations.models import Credential, Integration, IntegrationStatus
from kredin.models import AuditEvent
from sandbox import conf as sandbox_conf
from sandbox.models import Grant

pytestmark = pytest.mark.django_db(transaction=True)


def test_disconnecting_revokes_the_grant_the_consent_created(
    alice, alice_org, client, walker, sandbox_company, sandbox_urls, settings
):
    client.force_login(alice)
    walker.follow(walker.consent_redirect(alice_org.slug))
    integration = Integration.objects.unscoped().get(organization=alice_org)
    credential = Credential.objects.unscoped().get(integration=integration)
    refresh_token = decrypt_json(credential.token_ciphertext)["refresh_token"]
    grant = Grant.objects.get()
    assert grant.revoked_at is None

    response = client.post(
        reverse(
            "integrations:disconnect",
            kwargs={"org_slug": alice_org.slug, "integration_id": integration.pk},
        )
    )

    assert response.status_code == 302
    integration.refresh_from_db(from_queryset=Integration.objects.unscoped())
    assert integration.status == IntegrationStatus.DISCONNECTED
    assert not Credential.objects.unscoped().filter(integration=integration).exists()
    grant.refresh_from_db()
    assert grant.revoked and grant.revoked_at is not None
    refused = requests.post(
        f"{settings.VISMA_CONNECT_URL}/connect/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": sandbox_conf.client_id(),
            "client_secret": sandbox_conf.client_secret(),
        },
        timeout=10,
    )
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    event = AuditEvent.objects.get(action="integration.disconnected")
    assert event.details == {"grant_revoked": True}
