"""Reskontro API: lists with the page's filters, summary numbers, sync runs, sync start."""

from __future__ import annotations

import pytest

from integrations.models import IntegrationStatus, SyncStatus
from kredin.tenancy import organization_scope
from tests.factories import IntegrationFactory, SyncRunFactory
from tests.ledger.helpers import api_url

pytestmark = pytest.mark.django_db


def get_json(client, name, params=None, **kwargs):
    response = client.get(api_url(name, **kwargs), params or {})
    assert response.status_code == 200, response.content
    return response.json()


def test_open_items_lists_open_items_oldest_due_first(api_client_for, alice, ledger):
    body = get_json(api_client_for(alice), "open-item-list")
    assert body["count"] == 5
    assert [row["invoice_no"] for row in body["results"]] == [
        "2003",
        "2002",
        "1002",
        "1001",
        "2001",
    ]


def test_open_items_serializes_item_with_aging(api_client_for, alice, ledger):
    body = get_json(api_client_for(alice), "open-item-list", {"q": "2002"})
    (item,) = body["results"]
    assert item["outstanding"] == "4000.00"
    assert item["days_past_due"] == 75
    assert item["aging_bucket"] == "d61_90"
    assert item["customer"] == {
        "id": ledger["bre"].pk,
        "name": "Bre ASA",
        "customer_no": 202,
        "organization_number": "974760673",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"bucket": "d31_60"}, ["1002"]),
        ({"bucket": "not_due"}, ["2001"]),
        ({"overdue": "true"}, ["2003", "2002", "1002", "1001"]),
        ({"amount_min": "2500.50", "amount_max": "4000"}, ["2002", "1002"]),
        ({"status": "settled"}, ["1003"]),
        ({"q": "fjord", "sort": "-due_date"}, ["1001", "1002"]),
        ({"sort": "-outstanding", "bucket": "d90_plus"}, ["2003"]),
    ],
)
def test_open_items_filters_like_the_page(api_client_for, alice, ledger, params, expected):
    body = get_json(api_client_for(alice), "open-item-list", params)
    assert [row["invoice_no"] for row in body["results"]] == expected


def test_open_items_filters_by_customer(api_client_for, alice, ledger):
    body = get_json(api_client_for(alice), "open-item-list", {"customer": ledger["fjord"].pk})
    assert {row["invoice_no"] for row in body["results"]} == {"1001", "1002"}


def test_open_items_rejects_unknown_bucket_with_error_body(api_client_for, alice, ledger):
    response = api_client_for(alice).get(api_url("open-item-list"), {"bucket": "d1000"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "bucket" in response.json()["error"]["details"]


def test_open_items_rejects_unknown_sort(api_client_for, alice, ledger):
    response = api_client_for(alice).get(api_url("open-item-list"), {"sort": "password"})
    assert response.status_code == 400


def test_open_items_paginates(api_client_for, alice, ledger):
    body = get_json(api_client_for(alice), "open-item-list", {"page_size": 2, "page": 2})
    assert body["count"] == 5
    assert [row["invoice_no"] for row in body["results"]] == ["1002", "1001"]
    assert body["next"] and body["previous"]


def test_customers_lists_totals_largest_first(api_client_for, alice, ledger):
    body = get_json(api_client_for(alice), "customer-list")
    assert body["count"] == 2
    bre, fjord = body["results"]
    assert bre["name"] == "Bre ASA"
    assert bre["outstanding_total"] == "17045.67"
    assert bre["overdue_total"] == "16345.67"
    assert bre["item_count"] == 3
    assert bre["oldest_due_date"] == ledger["bre_120"].due_date.isoformat()
    assert fjord["outstanding_total"] == "3500.50"


def test_customers_apply_the_same_filters(api_client_for, alice, ledger):
    body = get_json(api_client_for(alice), "customer-list", {"bucket": "d31_60"})
    assert [(row["name"], row["outstanding_total"]) for row in body["results"]] == [
        ("Fjord AS", "2500.50")
    ]


def test_customers_sort_by_name(api_client_for, alice, ledger):
    body = get_json(api_client_for(alice), "customer-list", {"sort": "name"})
    assert [row["name"] for row in body["results"]] == ["Bre ASA", "Fjord AS"]


def test_customer_detail_includes_summary(api_client_for, alice, ledger):
    body = get_json(api_client_for(alice), "customer-detail", customer_id=ledger["fjord"].pk)
    assert body["name"] == "Fjord AS"
    assert body["summary"]["total_outstanding"] == "3500.50"
    assert body["summary"]["item_count"] == 2


def test_summary_totals_and_buckets(api_client_for, alice, ledger, today):
    body = get_json(api_client_for(alice), "reskontro-summary")
    assert body["as_of"] == today.isoformat()
    assert body["item_count"] == 5
    assert body["customer_count"] == 2
    assert body["total_outstanding"] == "20546.17"
    assert body["overdue_outstanding"] == "19846.17"
    assert body["overdue_count"] == 4
    assert [(b["key"], b["count"], b["outstanding"]) for b in body["buckets"]] == [
        ("not_due", 1, "700.00"),
        ("d0_30", 1, "1000.00"),
        ("d31_60", 1, "2500.50"),
        ("d61_90", 1, "4000.00"),
        ("d90_plus", 1, "12345.67"),
    ]


def test_summary_applies_filters(api_client_for, alice, ledger):
    body = get_json(api_client_for(alice), "reskontro-summary", {"customer": ledger["fjord"].pk})
    assert body["total_outstanding"] == "3500.50"
    assert body["customer_count"] == 1


def test_summary_of_empty_ledger_is_zero(api_client_for, charlie):
    body = get_json(api_client_for(charlie), "reskontro-summary", org_slug="charlie-bygg")
    assert body["item_count"] == 0
    assert body["total_outstanding"] == "0.00"
    assert all(b["outstanding"] == "0.00" for b in body["buckets"])


def test_sync_runs_list_newest_first(api_client_for, alice, alice_org, ledger):
    with organization_scope(alice_org):
        older = SyncRunFactory(integration=ledger["integration"], status=SyncStatus.SUCCEEDED)
        newer = SyncRunFactory(integration=ledger["integration"], status=SyncStatus.RUNNING)
    body = get_json(api_client_for(alice), "sync-run-list")
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    assert body["results"][1]["percent"] == 100
    assert body["results"][1]["is_finished"] is True


def test_sync_runs_filter_by_integration(api_client_for, alice, alice_org, ledger):
    with organization_scope(alice_org):
        other = IntegrationFactory()
        SyncRunFactory(integration=ledger["integration"])
        mine = SyncRunFactory(integration=other)
    body = get_json(api_client_for(alice), "sync-run-list", {"integration": other.pk})
    assert [row["id"] for row in body["results"]] == [mine.pk]


def test_sync_run_detail(api_client_for, alice, alice_org, ledger):
    with organization_scope(alice_org):
        run = SyncRunFactory(integration=ledger["integration"], phase="Poster")
    body = get_json(api_client_for(alice), "sync-run-detail", run_id=run.pk)
    assert body["phase"] == "Poster"
    assert body["integration"] == ledger["integration"].pk


def test_integration_sync_returns_202_with_the_run(api_client_for, alice, ledger, sync_calls):
    url = api_url("integration-sync", integration_id=ledger["integration"].pk)
    response = api_client_for(alice).post(url)
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert response.json()["trigger"] == "manual"
    assert sync_calls[0]["requested_by"] == alice


def test_integration_sync_refuses_inactive_integration(
    api_client_for, alice, alice_org, ledger, sync_calls
):
    with organization_scope(alice_org):
        ledger["integration"].status = IntegrationStatus.DISCONNECTED
        ledger["integration"].save()
    url = api_url("integration-sync", integration_id=ledger["integration"].pk)
    response = api_client_for(alice).post(url)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "integration_not_active"
    assert sync_calls == []


def test_read_only_member_can_read_but_not_sync(api_client_for, erin, ledger, sync_calls):
    client = api_client_for(erin)
    assert client.get(api_url("open-item-list")).status_code == 200
    url = api_url("integration-sync", integration_id=ledger["integration"].pk)
    assert client.post(url).status_code == 403
    assert sync_calls == []


def test_plain_member_cannot_sync(api_client_for, bob, ledger, sync_calls):
    url = api_url("integration-sync", integration_id=ledger["integration"].pk)
    assert api_client_for(bob).post(url).status_code == 403


def test_schema_documents_reskontro_endpoints(api_client_for, alice):
    response = api_client_for(alice).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    base = "/api/v1/orgs/{org_slug}/"
    for path in [
        "customers/",
        "customers/{customer_id}/",
        "open-items/",
        "reskontro/summary/",
        "sync-runs/",
        "sync-runs/{run_id}/",
        "integrations/{integration_id}/sync/",
    ]:
        assert base + path in paths, path
    params = {p["name"] for p in paths[base + "open-items/"]["get"]["parameters"]}
    assert {"q", "customer", "bucket", "overdue", "amount_min", "amount_max", "status"} <= params
    assert "202" in paths[base + "integrations/{integration_id}/sync/"]["post"]["responses"]
