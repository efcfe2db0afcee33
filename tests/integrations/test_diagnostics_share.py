"""'Del feilinformasjon med kundeservice' and the Hjelp link every page carries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import Integration, IntegrationStatus, SyncRun
from integrations.oauth import credential_store
from kredin.models import AuditEvent, SupportNote
from kredin.selectors import support_notes_for_organization
from kredin.services.support_notes import without_secrets
from kredin.tenancy import organization_scope

pytestmark = pytest.mark.django_db

ACCESS_TOKEN = "access-token-value-never-shared"
REFRESH_TOKEN = "refresh-token-value-never-shared"


@pytest.fixture
def failing_integration(alice_org):
    with organization_scope(alice_org):
        integration = Integration.objects.create(
            status=IntegrationStatus.MUST_RECONNECT,
            visma_company_id=4711,
            company_name="Alice Firma",
            activated_at=timezone.now(),
            last_error_code="grant_refused",
        )
        credential_store(
            integration=integration,
            token={"access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN, "expires_at": 1},
        )
        SyncRun.objects.create(
            integration=integration,
            kind="incremental",
            trigger="schedule",
            status="failed",
            error_code="refused",
            error_params={"detail": "Company is locked"},
        )
        return integration


def _share(client, organization, integration):
    return client.post(
        reverse(
            "integrations:diagnostics-share",
            kwargs={"org_slug": organization.slug, "integration_id": integration.pk},
        ),
        follow=True,
    )


def test_any_member_shares_the_last_errors_without_secrets(
    client_for, bob, alice_org, failing_integration
):
    response = _share(client_for(bob), alice_org, failing_integration)

    assert response.status_code == 200
    assert "Kundeservice har fått feilinformasjonen" in response.content.decode()
    [note] = support_notes_for_organization(organization=alice_org)
    assert note.author == bob and note.topic == "integration_diagnostics"
    assert note.details["visma_company_id"] == 4711
    assert note.details["last_error"]["code"] == "grant_refused"
    assert "Visma Connect godtar ikke lenger tilgangen" in note.details["last_error"]["message"]
    assert note.details["sync_runs"][0]["error"].endswith("Company is locked")
    stored = str(note.details)
    assert ACCESS_TOKEN not in stored and REFRESH_TOKEN not in stored
    assert "token" not in stored.lower()
    assert AuditEvent.objects.filter(
        organization=alice_org, actor=bob, action="support.note_shared"
    ).exists()


def test_another_organisation_cannot_share_it(client_for, charlie, alice_org, failing_integration):
    assert _share(client_for(charlie), alice_org, failing_integration).status_code == 404
    assert not SupportNote.objects.unscoped().exists()


def test_secret_sounding_keys_are_dropped_at_any_depth():
    details = {"a": 1, "access_token": "x", "runs": [{"password": "p", "ok": True}], "api_key": "k"}

    assert without_secrets(details) == {"a": 1, "runs": [{"ok": True}]}


@pytest.mark.parametrize("path", ["/logg-inn/", "/registrer/"])
def test_the_help_link_is_on_public_pages(client, path):
    html = client.get(path).content.decode()

    assert 'data-testid="help-link"' in html
    assert "620 22320" in html and "mailto:support@kredin.no" in html


def test_the_help_link_is_on_the_organisations_pages(client_for, alice, alice_org):
    html = (
        client_for(alice)
        .get(reverse("ledger:reskontro", kwargs={"org_slug": alice_org.slug}))
        .content.decode()
    )

    assert "620 22320" in html and "support@kredin.no" in html
