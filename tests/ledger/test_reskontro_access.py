"""Who may see the reskontro pages: members yes, others get 404, anonymous must log in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kredin.tenancy import organization_scope
from tests.factories import CustomerFactory, IntegrationFactory, SyncRunFactory
from tests.ledger.helpers import page_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_objects(alice_org, ledger):
    with organization_scope(alice_org):
        run = SyncRunFactory(integration=ledger["integration"])
    return {"customer": ledger["fjord"], "integration": ledger["integration"], "run": run}


def alice_pages(objects) -> list[str]:
    return [
        page_url("reskontro"),
        page_url("export-csv"),
        page_url("customer-detail", customer_id=objects["customer"].pk),
        integration_url(
            "sync-run", integration_id=objects["integration"].pk, run_id=objects["run"].pk
        ),
    ]


def integration_url(name: str, org_slug: str = "alice-ror", **kwargs) -> str:
    return reverse(f"integrations:{name}", kwargs={"org_slug": org_slug, **kwargs})


def test_charlie_gets_404_on_every_alice_page(client_for, charlie, alice_objects):
    client = client_for(charlie)
    for url in alice_pages(alice_objects):
        assert client.get(url).status_code == 404, url


def test_charlie_gets_404_posting_sync_for_alice(client_for, charlie, alice_objects, sync_calls):
    url = integration_url("sync-now", integration_id=alice_objects["integration"].pk)
    assert client_for(charlie).post(url).status_code == 404
    assert sync_calls == []


def test_charlie_gets_404_for_alice_ids_under_his_own_organization(
    client_for, charlie, charlie_org, alice_objects, sync_calls
):
    client = client_for(charlie)
    slug = charlie_org.slug
    customer_id = alice_objects["customer"].pk
    assert client.get(page_url("customer-detail", slug, customer_id=customer_id)).status_code == 404
    run_id = alice_objects["run"].pk
    integration_id = alice_objects["integration"].pk
    run = integration_url("sync-run", slug, integration_id=integration_id, run_id=run_id)
    assert client.get(run).status_code == 404
    sync = integration_url("sync-now", slug, integration_id=integration_id)
    assert client.post(sync).status_code == 404
    assert sync_calls == []


def test_charlie_sees_none_of_alices_items_in_his_reskontro(
    client_for, charlie, charlie_org, alice_objects
):
    with organization_scope(charlie_org):
        CustomerFactory(name="Charlies kunde")
        IntegrationFactory(company_name="Charlie regnskap")
    response = client_for(charlie).get(page_url("reskontro", charlie_org.slug))
    html = response.content.decode()
    assert "Fjord AS" not in html
    assert "Charlie regnskap" in html
    assert response.context["summary"].item_count == 0


def test_anonymous_is_sent_to_login(client, alice_objects):
    for url in alice_pages(alice_objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/logg-inn/" in response["Location"]


def test_read_only_member_can_view_every_page(client_for, erin, alice_objects):
    client = client_for(erin)
    for url in alice_pages(alice_objects):
        assert client.get(url).status_code == 200, url


def test_read_only_member_sees_no_sync_button(client_for, erin, alice_objects):
    html = client_for(erin).get(page_url("reskontro")).content.decode()
    assert "Synkroniser nå" not in html
