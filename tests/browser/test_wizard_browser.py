"""The setup wizard walked in Chromium exactly as the product guide describes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import Integration, IntegrationStatus
from sandbox import conf as sandbox_conf
from sandbox.models import CustomerTransaction
from sandbox.seeding import seed_company

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAYS_PAST_DUE = 5


def _yyyymmdd(day) -> int:
    return day.year * 10000 + day.month * 100 + day.day


@pytest.fixture
def seeded_sandbox(live_server, settings):
    settings.VISMA_CONNECT_URL = f"{live_server.url}/sandbox/visma-connect"
    settings.BUSINESS_NXT_GRAPHQL_URL = f"{live_server.url}/sandbox/businessnxt/api/graphql"
    settings.SANDBOX_PREFILL_DEMO_LOGIN = False
    return seed_company(customers=15, invoices=45, seed=11, today=timezone.localdate()).company


def _expected_invoice_numbers(company, *, fetch_from, days_past_due) -> set[str]:
    cutoff = timezone.localdate() - timedelta(days=days_past_due)
    rows = CustomerTransaction.objects.filter(
        company=company,
        customer_no__gt=0,
        due_date__gt=0,
        due_date__lte=_yyyymmdd(cutoff),
        voucher_date__gte=_yyyymmdd(fetch_from),
    ).exclude(outstanding_amount_domestic=0)
    return {row.invoice_no for row in rows}


def test_wizard_from_new_integration_to_the_reskontro_page(
    alice, alice_org, logged_in_page, live_server, seeded_sandbox
):
    page = logged_in_page(alice)
    page.goto(f"{live_server.url}/o/{alice_org.slug}/integrasjoner/")
    page.get_by_role("link", name="Ny integrasjon").click()
    page.get_by_text("Velg regnskapssystem").click()
    page.get_by_role("link", name="Business Nxt", exact=True).click()

    # Visma Connect (the sandbox): sign in, then Ok and Accept.
    page.fill('input[name="email"]', sandbox_conf.DEMO_EMAIL)
    page.fill('input[name="password"]', sandbox_conf.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Ok").click()
    page.get_by_role("button", name="Accept").click()

    # Back in Kredin: pick the company and save.
    page.get_by_label(seeded_sandbox.name, exact=False).check()
    page.get_by_role("button", name="Lagre").click()

    fetch_from = timezone.localdate() - timedelta(days=2 * 365)
    page.get_by_label("Hent utestående poster fra og med").fill(fetch_from.isoformat())
    page.get_by_label("Antall dager over forfall").fill(str(DAYS_PAST_DUE))
    page.get_by_role("button", name="Lagre og aktiver").click()

    go_to_reskontro = page.get_by_role("link", name="Gå til Reskontro-siden")
    go_to_reskontro.wait_for(timeout=60_000)
    go_to_reskontro.click()
    page.wait_for_url(f"**/o/{alice_org.slug}/reskontro/**")

    integration = Integration.objects.unscoped().get(organization=alice_org)
    assert integration.status == IntegrationStatus.ACTIVE
    expected = _expected_invoice_numbers(
        seeded_sandbox, fetch_from=fetch_from, days_past_due=DAYS_PAST_DUE
    )
    assert expected, "the seed should leave some overdue items"
    shown = set(page.locator("[data-invoice-no]").evaluate_all(
        "rows => rows.map(r => r.dataset.invoiceNo)"
    ))
    assert shown == expected
