"""Disconnect and reconnect, credentials at rest, and the sync_integration command."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection

from integrations.models import IntegrationStatus, SyncKind, SyncStatus
from integrations.services import integration_connect, integration_disconnect
from ledger.models import Customer, LedgerTransaction, OpenItem
from tests.integrations.conftest import sandbox_token

pytestmark = pytest.mark.django_db(transaction=True)


def test_disconnect_and_reconnect_keeps_history_and_does_not_duplicate(
    sandbox_integration, alice, alice_org
):
    sandbox_integration.sync()
    before = sandbox_integration.mirror()
    counts = (Customer.objects.count(), OpenItem.objects.count(), LedgerTransaction.objects.count())

    integration = integration_disconnect(integration=sandbox_integration.integration, user=alice)
    assert integration.status == IntegrationStatus.DISCONNECTED
    assert sandbox_integration.mirror() == before

    integration_connect(
        organization=alice_org,
        user=alice,
        reconnect=integration,
        token=sandbox_token(sandbox_integration.url),
    )
    integration.refresh_from_db()
    assert integration.status == IntegrationStatus.ACTIVE
    for kind in (SyncKind.INCREMENTAL, SyncKind.FULL):
        run = sandbox_integration.sync(kind=kind)
        assert run.status == SyncStatus.SUCCEEDED, run.error
        assert (run.items_created, run.items_updated) == (0, 0)
    assert (
        Customer.objects.count(),
        OpenItem.objects.count(),
        LedgerTransaction.objects.count(),
    ) == counts
    assert sandbox_integration.mirror() == before


def test_stored_credentials_show_no_plaintext_token(sandbox_integration):
    from integrations.oauth import access_token_for

    integration = sandbox_integration.integration
    access = access_token_for(integration=integration)
    sandbox_integration.sync()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT token_ciphertext FROM integrations_credential WHERE integration_id = %s",
            [integration.pk],
        )
        [(ciphertext,)] = cursor.fetchall()
    assert access not in ciphertext
    assert access.split(".")[1] not in ciphertext  # not even the JWT's claims part
    assert "refresh_token" not in ciphertext


def test_sync_integration_command_runs_a_sync_and_reports_it(
    sandbox_integration, alice_org, capsys
):
    call_command("sync_integration", "--org", alice_org.slug, "--full")
    out = capsys.readouterr().out
    items = OpenItem.objects.count()
    assert f"items: {items} read, {items} new, 0 changed, 0 settled" in out
    assert f"customers: {Customer.objects.count()} read" in out
    assert f"transactions: {LedgerTransaction.objects.count()} read" in out
    assert "duration:" in out and "status: succeeded" in out

    call_command("sync_integration", "--org", alice_org.slug)
    out = capsys.readouterr().out
    assert "incremental sync" in out
    # Rows stamped later than the last run's start are read again, but nothing changes.
    assert re.search(r"items: \d+ read, 0 new, 0 changed, 0 settled", out)
