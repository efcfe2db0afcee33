"""Idempotence and resilience: reruns, interruptions, repeated pages and transient faults."""

from __future__ import annotations

import pytest

from integrations.models import IntegrationStatus, SyncKind, SyncRun, SyncStatus
from integrations.sync import sync_run_execute
from ledger import services as ledger_services
from ledger.models import Customer, LedgerTransaction, OpenItem
from sandbox.connect import tokens as sandbox_tokens
from sandbox.models import Fault
from sandbox.nxt import faults

pytestmark = pytest.mark.django_db(transaction=True)


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing in the sync may catch it."""


def _clean_mirror(sandbox_integration) -> dict:
    OpenItem.objects.all().delete()
    LedgerTransaction.objects.all().delete()
    Customer.objects.all().delete()
    integration = sandbox_integration.integration
    integration.sync_watermark = ""
    integration.synced_due_cutoff = None
    integration.save()
    run = sandbox_integration.sync()
    assert run.status == SyncStatus.SUCCEEDED, run.error
    return sandbox_integration.mirror()


def test_interrupted_sync_rerun_gives_the_same_mirror_as_a_clean_run(
    sandbox_integration, monkeypatch, settings
):
    settings.BUSINESS_NXT_PAGE_SIZE = 20
    real = ledger_services.transactions_upsert
    calls = {"n": 0}

    def dies_on_third_page(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerKilled
        return real(**kwargs)

    monkeypatch.setattr(ledger_services, "transactions_upsert", dies_on_third_page)
    run = SyncRun.objects.create(
        integration=sandbox_integration.integration, kind=SyncKind.FULL, trigger="manual"
    )
    with pytest.raises(WorkerKilled):
        sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == SyncStatus.RUNNING
    assert LedgerTransaction.objects.count() > 0

    monkeypatch.setattr(ledger_services, "transactions_upsert", real)
    sync_run_execute(run_id=run.pk)  # the task, redelivered
    run.refresh_from_db()
    assert run.status == SyncStatus.SUCCEEDED, run.error
    assert run.done_steps == run.total_steps
    rerun = sandbox_integration.mirror()
    assert rerun == _clean_mirror(sandbox_integration)


def test_finished_run_is_not_run_again(sandbox_integration):
    run = sandbox_integration.sync()
    finished_at = run.finished_at
    sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.finished_at == finished_at


def test_page_served_twice_changes_nothing(sandbox_integration, settings):
    settings.BUSINESS_NXT_PAGE_SIZE = 20
    faults.set_fault(company_no=sandbox_integration.company_no, kind="duplicate_page", count=4)
    run = sandbox_integration.sync()
    assert run.status == SyncStatus.SUCCEEDED, run.error
    assert not Fault.objects.filter(remaining__gt=0).exists()
    with_duplicates = sandbox_integration.mirror()
    assert with_duplicates == _clean_mirror(sandbox_integration)


@pytest.mark.parametrize(
    ("kind", "delay_ms"), [("http_429", 0), ("http_500", 0), ("timeout", 1500)]
)
def test_transient_faults_during_a_sync_end_with_the_same_data(
    sandbox_integration, settings, kind, delay_ms
):
    settings.BUSINESS_NXT_PAGE_SIZE = 20
    settings.OUTBOUND_HTTP_TIMEOUT = 0.5
    faults.set_fault(
        company_no=sandbox_integration.company_no, kind=kind, count=3, delay_ms=delay_ms
    )
    run = sandbox_integration.sync()
    assert run.status == SyncStatus.SUCCEEDED, run.error
    assert not Fault.objects.filter(remaining__gt=0).exists()
    with_faults = sandbox_integration.mirror()
    assert with_faults == _clean_mirror(sandbox_integration)


def test_sync_fails_with_a_norwegian_message_when_business_nxt_stays_down(
    sandbox_integration, settings
):
    settings.BUSINESS_NXT_MAX_ATTEMPTS = 3
    faults.set_fault(company_no=sandbox_integration.company_no, kind="http_500", count=50)
    run = sandbox_integration.sync()
    assert run.status == SyncStatus.FAILED
    assert run.error.startswith("Kunne ikke nå Business NXT etter 3 forsøk")
    assert run.finished_at is not None
    sandbox_integration.integration.refresh_from_db()
    assert sandbox_integration.integration.last_error == run.error
    assert sandbox_integration.integration.status == IntegrationStatus.ACTIVE


def test_revoked_grant_fails_the_run_and_flags_must_reconnect(sandbox_integration, settings):
    from integrations.models import Credential
    from integrations.oauth import _read_token

    credential = Credential.objects.get(integration=sandbox_integration.integration)
    token = _read_token(credential)
    assert sandbox_tokens.revoke_refresh_token(token["refresh_token"])
    settings.SANDBOX_ACCESS_TOKEN_LIFETIME = 1
    credential.access_expires_at = credential.refreshed_at  # due for a refresh now
    credential.save(update_fields=["access_expires_at"])
    run = sandbox_integration.sync()
    assert run.status == SyncStatus.FAILED
    assert "Koble til" in run.error
    sandbox_integration.integration.refresh_from_db()
    assert sandbox_integration.integration.status == IntegrationStatus.MUST_RECONNECT


def test_sync_of_an_inactive_integration_fails_without_calling_out(sandbox_integration):
    integration = sandbox_integration.integration
    integration.status = IntegrationStatus.DISCONNECTED
    integration.save(update_fields=["status"])
    run = sandbox_integration.sync()
    assert run.status == SyncStatus.FAILED
    assert "ikke aktiv" in run.error
