"""Reskontro API isolation: charlie gets 404 for alice's organisation and her objects."""

from __future__ import annotations

import pytest

from kredin.tenancy import organization_scope
from tests.factories import SyncRunFactory
from tests.ledger.helpers import api_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_run(alice_org, ledger):
    with organization_scope(alice_org):
        return SyncRunFactory(integration=ledger["integration"])


def alice_endpoints(ledger, run) -> list[str]:
    return [
        api_url("customer-list"),
        api_url("customer-detail", customer_id=ledger["fjord"].pk),
        api_url("open-item-list"),
        api_url("reskontro-summary"),
        api_url("sync-run-list"),
        api_url("sync-run-detail", run_id=run.pk),
    ]


def test_charlie_gets_404_on_every_alice_endpoint(api_client_for, charlie, ledger, alice_run):
    client = api_client_for(charlie)
    for url in alice_endpoints(ledger, alice_run):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"


def test_charlie_gets_404_posting_sync_for_alice(api_client_for, charlie, ledger, sync_calls):
    url = api_url("integration-sync", integration_id=ledger["integration"].pk)
    assert api_client_for(charlie).post(url).status_code == 404
    assert sync_calls == []


def test_charlie_gets_404_for_alice_ids_in_his_own_organization(
    api_client_for, charlie, ledger, alice_run, sync_calls
):
    client = api_client_for(charlie)
    slug = "charlie-bygg"
    customer = api_url("customer-detail", slug, customer_id=ledger["fjord"].pk)
    assert client.get(customer).status_code == 404
    assert client.get(api_url("sync-run-detail", slug, run_id=alice_run.pk)).status_code == 404
    sync = api_url("integration-sync", slug, integration_id=ledger["integration"].pk)
    assert client.post(sync).status_code == 404
    assert sync_calls == []


def test_charlie_lists_nothing_of_alices(api_client_for, charlie, ledger, alice_run):
    client = api_client_for(charlie)
    for name in ["customer-list", "open-item-list", "sync-run-list"]:
        assert client.get(api_url(name, "charlie-bygg")).json()["count"] == 0, name


def test_anonymous_is_refused(client, ledger, alice_run):
    for url in alice_endpoints(ledger, alice_run):
        assert client.get(url).status_code in (401, 403), url
