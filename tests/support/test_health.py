"""System health: the page works with the broker down, and each figure counts what it says."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from integrations.models import IntegrationStatus, SyncRun, SyncStatus
from kredin.celery import app as celery_app
from kredin.tenancy import organization_scope
from support import health
from tests.factories import IntegrationFactory, SyncRunFactory
from tests.support.builders import customer_item_and_case, integration_with_credential

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://:broker-password-xyz@127.0.0.1:1/0"
HEALTH = "/support/helse/"


@pytest.fixture
def dead_broker(monkeypatch):
    # Through the environment, as tests/platform/test_health.py does: setting the app's conf
    # would leave an explicit broker_url behind that later tests could not change.
    monkeypatch.setenv("CELERY_BROKER_URL", DEAD_BROKER)
    assert celery_app.conf.broker_url == DEAD_BROKER


@pytest.fixture
def no_workers(monkeypatch):
    """The test broker (memory://) has no workers; skip the one-second wait for them."""
    monkeypatch.setattr(health, "workers_alive", lambda **kw: health.Workers(names=[]))


def test_the_url_is_the_one_the_nav_links_to():
    assert reverse("support:health") == HEALTH


def test_the_page_renders_with_the_broker_down(agent_client, dead_broker):
    response = agent_client.get(HEALTH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Meldingskøen svarte ikke" in html and "Connection refused" in html
    assert "broker-password-xyz" not in html
    for name in ("sync", "letters", "dispatch", "default"):
        assert f"<code>{name}</code>" in html
    queues = response.context["health"].queues
    assert set(queues.lengths.values()) == {None}
    # Workers answer over the same broker, so they are unknown too (and not waited for).
    assert response.context["health"].workers.names is None


def test_a_reachable_broker_gives_lengths_with_missing_queues_as_zero():
    lengths = health.queue_lengths()
    assert lengths.error == ""
    assert lengths.lengths == {"sync": 0, "letters": 0, "dispatch": 0, "default": 0}


def test_a_failing_ping_is_unknown(monkeypatch):
    def broken(**kwargs):
        raise ConnectionError("no route")

    monkeypatch.setattr(celery_app.control, "inspect", broken)
    workers = health.workers_alive()
    assert workers.names is None and "no route" in workers.error


def test_workers_that_answer_are_named(monkeypatch):
    inspector = SimpleNamespace(ping=lambda: {"celery@b": {"ok": "pong"}, "celery@a": {}})
    monkeypatch.setattr(celery_app.control, "inspect", lambda **kw: inspector)
    assert health.workers_alive().names == ["celery@a", "celery@b"]


def test_beat_is_unknown_until_a_scheduled_task_starts(agent_client, no_workers):
    assert health.beat_last_run() is None
    html = agent_client.get(HEALTH).content.decode()
    assert "ukjent" in html
    health.record_beat_task(task=SimpleNamespace(name="kredin.something_else"))
    assert health.beat_last_run() is None
    health.record_beat_task(task=SimpleNamespace(name="integrations.sync_request_all_active"))
    seen = health.beat_last_run()
    assert seen is not None and timezone.now() - seen < timedelta(seconds=5)
    cache.clear()


def test_failing_integrations_are_listed_with_their_organisation(
    agent_client, alice_org, charlie_org, no_workers
):
    integration_with_credential(alice_org)  # must reconnect, with a stored error
    with organization_scope(charlie_org):
        failed_last = IntegrationFactory(company_name="Sist feilet AS")
        SyncRunFactory(integration=failed_last, status=SyncStatus.SUCCEEDED)
        SyncRunFactory(integration=failed_last, status=SyncStatus.FAILED, error_code="refused")
        recovered = IntegrationFactory(company_name="Frisk igjen AS")
        SyncRunFactory(integration=recovered, status=SyncStatus.FAILED)
        SyncRunFactory(integration=recovered, status=SyncStatus.SUCCEEDED)
        IntegrationFactory(
            company_name="Frakoblet AS",
            status=IntegrationStatus.DISCONNECTED,
            last_error_code="grant_removed",
        )
    names = {i.company_name for i in health.failing_integrations()}
    assert names == {"Rørfirma Regnskap AS", "Sist feilet AS"}
    html = agent_client.get(HEALTH).content.decode()
    for organization in (alice_org, charlie_org):
        url = reverse("support:organization", kwargs={"organization_id": organization.pk})
        assert url in html


def test_error_rates_count_the_last_24_hours(alice_org, no_workers):
    integration = integration_with_credential(alice_org)
    customer_item_and_case(alice_org, integration=integration)  # one failed run and voucher
    with organization_scope(alice_org):
        SyncRunFactory(integration=integration, status=SyncStatus.SUCCEEDED)
        old = SyncRunFactory(integration=integration, status=SyncStatus.FAILED)
    SyncRun.objects.unscoped().filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    since = timezone.now() - health.WINDOW
    rate = health.sync_run_rate(since=since)
    assert (rate.failed, rate.total, rate.percent) == (1, 2, 50.0)
    vouchers = health.voucher_posting_rate(since=since)
    assert (vouchers.failed, vouchers.total) == (1, 1)


def test_the_page_costs_few_queries(
    agent_client, alice_org, no_workers, django_assert_max_num_queries
):
    for n in range(3):
        integration = integration_with_credential(alice_org, visma_company_id=100 + n)
        customer_item_and_case(alice_org, n=n, integration=integration)
    with django_assert_max_num_queries(15):
        response = agent_client.get(HEALTH)
    assert len(response.context["health"].failing_integrations) == 3


def test_customers_get_404_and_visitors_log_in(client, client_for, alice):
    assert client_for(alice).get(HEALTH).status_code == 404
    response = client.get(HEALTH)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_register_figures_count_failed_lookups_of_all_in_the_day(alice_org):
    from brreg.models import CustomerEnrichment, MatchStatus

    now = timezone.now()
    waiting, recovered, fine, old = (customer_item_and_case(alice_org, n=n)[0] for n in range(4))
    with organization_scope(alice_org):
        CustomerEnrichment.objects.create(
            customer=waiting, match=MatchStatus.PENDING_RETRY, last_failed_at=now
        )
        CustomerEnrichment.objects.create(
            customer=recovered,
            match=MatchStatus.EXACT,
            last_failed_at=now - timedelta(hours=2),
            last_enriched_at=now - timedelta(hours=1),
        )
        CustomerEnrichment.objects.create(
            customer=fine, match=MatchStatus.EXACT, last_enriched_at=now
        )
        CustomerEnrichment.objects.create(
            customer=old, match=MatchStatus.EXACT, last_failed_at=now - timedelta(hours=30)
        )
    register = health.register_health(since=now - health.WINDOW)
    assert register.waiting_for_retry == 1
    assert (register.lookups.failed, register.lookups.total) == (2, 3)


def test_workers_connect_the_beat_recorder_through_autodiscovery():
    from celery.signals import task_prerun

    celery_app.loader.import_default_modules()  # what a worker does when it starts
    uids = [key[0] for key, _ in task_prerun.receivers]
    assert "support.health.record_beat_task" in uids
