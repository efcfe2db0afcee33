"""A failing sync is news once per streak; a lost connection is its own news."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from integrations.models import SyncStatus
from kredin.models import Notification, NotificationKind
from sandbox.nxt import faults

pytestmark = pytest.mark.django_db(transaction=True)


def _kinds() -> list[str]:
    return list(Notification.objects.unscoped().order_by("id").values_list("kind", flat=True))


def test_a_failing_sync_tells_owners_and_admins_once_until_it_works_again(
    sandbox_integration, settings, alice, dave, bob
):
    settings.BRREG_API_URL = "http://127.0.0.1:9/enhetsregisteret/api"
    settings.BUSINESS_NXT_MAX_ATTEMPTS = 2
    company = sandbox_integration.company_no
    faults.set_fault(company_no=company, kind="http_500", count=50)

    assert sandbox_integration.sync().status == SyncStatus.FAILED
    assert sandbox_integration.sync().status == SyncStatus.FAILED  # the retry adds nothing

    rows = Notification.objects.unscoped().select_related("user")
    assert sorted(n.user.email for n in rows) == [alice.email, dave.email]
    assert {n.kind for n in rows} == {NotificationKind.SYNC_FAILING}
    assert "Kunne ikke nå Business NXT" in rows[0].params["error"]
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, dave.email]

    faults.clear_faults(company_no=company)
    assert sandbox_integration.sync().status == SyncStatus.SUCCEEDED
    faults.set_fault(company_no=company, kind="http_500", count=50)
    assert sandbox_integration.sync().status == SyncStatus.FAILED  # a new streak

    assert _kinds().count(NotificationKind.SYNC_FAILING) == 4


def test_a_revoked_grant_is_a_reconnect_notification_not_a_sync_failure(
    sandbox_integration, settings, alice, dave
):
    from integrations.models import Credential
    from integrations.oauth import _read_token
    from sandbox.connect import tokens as sandbox_tokens

    credential = Credential.objects.get(integration=sandbox_integration.integration)
    assert sandbox_tokens.revoke_refresh_token(_read_token(credential)["refresh_token"])
    settings.SANDBOX_ACCESS_TOKEN_LIFETIME = 1
    credential.access_expires_at = credential.refreshed_at
    credential.save(update_fields=["access_expires_at"])

    assert sandbox_integration.sync().status == SyncStatus.FAILED

    assert _kinds() == [NotificationKind.INTEGRATION_RECONNECT] * 2
    [row] = Notification.objects.unscoped().filter(user=alice)
    integration = sandbox_integration.integration
    assert row.url == reverse(
        "integrations:detail",
        kwargs={"org_slug": integration.organization.slug, "integration_id": integration.pk},
    )
    assert "tilbakekalt" in row.params["error"]  # why, as Visma Connect said it
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, dave.email]
