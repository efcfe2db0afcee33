"""Sync controls on the reskontro page: last sync time, 'Synkroniser nå' and progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import IntegrationStatus, SyncRun, SyncStatus
from kredin.tenancy import organization_scope
from tests.factories import SyncRunFactory
from tests.ledger.helpers import page_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def sync_now_url(integration) -> str:
    return reverse(
        "integrations:sync-now",
        kwargs={"org_slug": "alice-ror", "integration_id": integration.pk},
    )


def run_url(run) -> str:
    return reverse(
        "integrations:sync-run",
        kwargs={"org_slug": "alice-ror", "integration_id": run.integration_id, "run_id": run.pk},
    )


def test_reskontro_shows_last_sync_time(client_for, alice, alice_org, ledger):
    integration = ledger["integration"]
    with organization_scope(alice_org):
        integration.last_synced_at = timezone.make_aware(dt.datetime(2026, 11, 2, 7, 45))
        integration.save()
    html = client_for(alice).get(page_url("reskontro")).content.decode()
    assert "Sist synkronisert 2.11.2026 07:45" in html
    assert "Synkroniser nå" in html


def test_reskontro_hides_sync_button_from_members_without_permission(client_for, bob, ledger):
    html = client_for(bob).get(page_url("reskontro")).content.decode()
    assert "Synkroniser nå" not in html


def test_sync_start_requests_a_manual_incremental_sync(client_for, alice, ledger, sync_calls):
    url = sync_now_url(ledger["integration"])
    response = client_for(alice).post(url, **HTMX)
    assert response.status_code == 200
    assert len(sync_calls) == 1
    call = sync_calls[0]
    assert (call["kind"], call["trigger"], call["requested_by"]) == ("incremental", "manual", alice)
    assert call["integration"].pk == ledger["integration"].pk


def test_sync_start_returns_polling_progress_fragment(client_for, alice, ledger, sync_calls):
    url = sync_now_url(ledger["integration"])
    html = client_for(alice).post(url, **HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "<progress" in html
    assert "<html" not in html


def test_sync_start_without_htmx_goes_to_the_progress_page(client_for, alice, ledger, sync_calls):
    url = sync_now_url(ledger["integration"])
    response = client_for(alice).post(url)
    assert response.status_code == 302
    assert "/synkronisering/" in response["Location"]


def test_sync_start_refuses_inactive_integration(client_for, alice, alice_org, ledger):
    integration = ledger["integration"]
    with organization_scope(alice_org):
        integration.status = IntegrationStatus.MUST_RECONNECT
        integration.save()
    html = client_for(alice).post(sync_now_url(integration), **HTMX).content.decode()
    assert "ikke aktiv" in html
    with organization_scope(alice_org):
        assert not SyncRun.objects.exists()


def test_sync_start_is_forbidden_for_plain_members(client_for, bob, ledger, sync_calls):
    url = sync_now_url(ledger["integration"])
    assert client_for(bob).post(url).status_code == 403
    assert sync_calls == []


def test_sync_start_is_forbidden_for_read_only(client_for, erin, ledger, sync_calls):
    url = sync_now_url(ledger["integration"])
    assert client_for(erin).post(url).status_code == 403
    assert sync_calls == []


def test_sync_start_rejects_get(client_for, alice, ledger, sync_calls):
    url = sync_now_url(ledger["integration"])
    assert client_for(alice).get(url).status_code == 405


def test_sync_progress_keeps_polling_while_running(client_for, alice, alice_org, ledger):
    with organization_scope(alice_org):
        run = SyncRunFactory(
            integration=ledger["integration"],
            status=SyncStatus.RUNNING,
            phase="Kunder",
            total_steps=4,
            done_steps=1,
            customers_seen=12,
        )
    html = client_for(alice).get(run_url(run)).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="25"' in html
    assert "Kunder" in html
    assert "12 kunder" in html


def test_sync_progress_stops_polling_when_finished(client_for, alice, alice_org, ledger):
    with organization_scope(alice_org):
        run = SyncRunFactory(
            integration=ledger["integration"], status=SyncStatus.SUCCEEDED, items_created=3
        )
    html = client_for(alice).get(run_url(run)).content.decode()
    assert "hx-trigger" not in html
    assert 'value="100"' in html
    assert "3 nye" in html


def test_sync_progress_reports_failure(client_for, alice, alice_org, ledger):
    with organization_scope(alice_org):
        run = SyncRunFactory(
            integration=ledger["integration"],
            status=SyncStatus.FAILED,
            error_code="recorded",
            error_params={"text": "Tidsavbrudd"},
        )
    html = client_for(alice).get(run_url(run)).content.decode()
    assert "Synkroniseringen feilet:" in html
    assert "Tidsavbrudd" in html


def test_reskontro_resumes_progress_of_an_unfinished_run(client_for, alice, alice_org, ledger):
    with organization_scope(alice_org):
        run = SyncRunFactory(integration=ledger["integration"], status=SyncStatus.QUEUED)
    html = client_for(alice).get(page_url("reskontro")).content.decode()
    assert run_url(run) in html


def test_read_only_member_can_view_progress(client_for, erin, alice_org, ledger):
    with organization_scope(alice_org):
        run = SyncRunFactory(integration=ledger["integration"])
    assert client_for(erin).get(run_url(run)).status_code == 200
