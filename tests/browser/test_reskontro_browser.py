"""The reskontro in a real browser: log in, filter, sort, open a customer, download CSV."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kredin.tenancy import organization_scope
from tests.factories import CustomerFactory, IntegrationFactory, OpenItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice_ledger(alice_org):
    today = timezone.localdate()
    with organization_scope(alice_org):
        IntegrationFactory(company_name="Alice regnskap")
        fjord = CustomerFactory(name="Fjord AS")
        bre = CustomerFactory(name="Bre ASA")
        OpenItemFactory(
            customer=fjord,
            invoice_no="1001",
            due_date=today - dt.timedelta(days=10),
            amount=Decimal("1000.00"),
        )
        OpenItemFactory(
            customer=bre,
            invoice_no="2001",
            due_date=today - dt.timedelta(days=120),
            amount=Decimal("12345.67"),
        )
        OpenItemFactory(
            customer=bre,
            invoice_no="2002",
            due_date=today + dt.timedelta(days=5),
            amount=Decimal("700.00"),
        )
    return {"fjord": fjord, "bre": bre}


def invoice_numbers(page) -> list[str]:
    return page.locator("#item-table tbody tr td:nth-child(3)").all_inner_texts()


def test_reskontro_in_browser(logged_in_page, live_server, alice, alice_ledger, tmp_path):
    page = logged_in_page(alice)
    page.goto(f"{live_server.url}/o/alice-ror/reskontro/")
    assert page.get_by_role("heading", name="Reskontro", level=1).is_visible()
    assert page.locator("svg[role=img]").is_visible()
    assert [n.strip() for n in invoice_numbers(page)] == ["2001", "1001", "2002"]

    # Filter: only the 90+ bucket.
    page.select_option("select[name=bucket]", "d90_plus")
    page.get_by_role("button", name="Bruk filter").click()
    page.wait_for_url("**bucket=d90_plus**")
    assert [n.strip() for n in invoice_numbers(page)] == ["2001"]

    # Back to everything, sorted by outstanding, largest first (click twice).
    page.get_by_role("link", name="Nullstill").click()
    page.get_by_role("link", name="Utestående").click()
    page.wait_for_url("**sort=outstanding**")
    assert [n.strip() for n in invoice_numbers(page)] == ["2002", "1001", "2001"]
    page.get_by_role("link", name="Utestående").click()
    page.wait_for_url("**sort=-outstanding**")
    assert [n.strip() for n in invoice_numbers(page)] == ["2001", "1001", "2002"]

    # Open a customer.
    page.locator("#item-table").get_by_role("link", name="Fjord AS").click()
    assert page.get_by_role("heading", name="Fjord AS", level=1).is_visible()
    assert "1\xa0000,00\xa0kr" in page.locator("[data-total=outstanding]").inner_text()

    # Download the CSV of the reskontro.
    page.goto(f"{live_server.url}/o/alice-ror/reskontro/?q=Bre")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned CSV").click()
    target = tmp_path / "reskontro.csv"
    download_info.value.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Kundenummer;Kunde;")
    assert len(lines) == 3
    assert "12345,67" in text
    assert "Fjord AS" not in text


def test_sync_now_shows_progress_until_the_run_finishes(
    logged_in_page, live_server, alice, alice_org, alice_ledger, monkeypatch
):
    import integrations.services
    from integrations.models import SyncRun, SyncStatus

    def queue_run(*, integration, kind, trigger, requested_by):
        return SyncRun.objects.create(
            integration=integration,
            kind=kind,
            trigger=trigger,
            requested_by=requested_by,
            status=SyncStatus.RUNNING,
            phase="Poster",
            total_steps=4,
            done_steps=1,
        )

    monkeypatch.setattr(integrations.services, "sync_request", queue_run)
    page = logged_in_page(alice)
    page.goto(f"{live_server.url}/o/alice-ror/reskontro/")
    page.get_by_role("button", name="Synkroniser nå").click()
    progress = page.locator(".sync-status progress")
    progress.wait_for()
    assert progress.get_attribute("value") == "25"

    SyncRun.objects.unscoped().filter(organization=alice_org).update(
        status=SyncStatus.SUCCEEDED, done_steps=4, items_created=2
    )
    done = page.get_by_text("Synkroniseringen er fullført")
    done.wait_for(timeout=5_000)
    assert page.locator(".sync-status progress").get_attribute("value") == "100"
