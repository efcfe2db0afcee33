"""The wizard's Brønnøysund options, chosen in the browser, change what the reskontro shows.

The enrichment a worker runs after each settings change is run here by calling the task,
as the worker would, between the browser steps.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from brreg.tasks import customers_enrich_task
from integrations.models import Integration
from sandbox import conf as sandbox_conf
from sandbox.brreg.seeding import seed_register_for_customers
from sandbox.seeding import seed_company

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(live_server, settings):
    settings.VISMA_CONNECT_URL = f"{live_server.url}/sandbox/visma-connect"
    settings.BUSINESS_NXT_GRAPHQL_URL = f"{live_server.url}/sandbox/businessnxt/api/graphql"
    settings.BRREG_API_URL = f"{live_server.url}/sandbox/brreg/enhetsregisteret/api"
    settings.SANDBOX_PREFILL_DEMO_LOGIN = False
    result = seed_company(customers=40, invoices=120, seed=3, today=timezone.localdate())
    seed_register_for_customers(result.customers, 3)
    return result.company


def _walk_wizard(page, base, org_slug, company_name, *, register: bool):
    page.goto(f"{base}/o/{org_slug}/integrasjoner/ny/")
    page.get_by_text("Velg regnskapssystem").click()
    page.get_by_role("link", name="Business Nxt", exact=True).click()
    page.fill('input[name="email"]', sandbox_conf.DEMO_EMAIL)
    page.fill('input[name="password"]', sandbox_conf.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Ok").click()
    page.get_by_role("button", name="Accept").click()
    page.get_by_label(company_name, exact=False).check()
    page.get_by_role("button", name="Lagre").click()
    choice = "Bruk Brønnøysundregisteret" if register else "Bare opplysninger fra regnskapet"
    page.get_by_label(choice).check()
    page.get_by_role("button", name="Lagre og aktiver").click()
    page.get_by_role("link", name="Gå til Reskontro-siden").wait_for(timeout=60_000)


def _register_badges(page, base, org_slug) -> set[str]:
    page.goto(f"{base}/o/{org_slug}/reskontro/?status=all")
    return set(page.locator("[data-flag]").all_inner_texts())


def test_register_options_change_what_the_reskontro_shows(
    alice, alice_org, logged_in_page, live_server, seeded
):
    page = logged_in_page(alice)
    base = live_server.url
    _walk_wizard(page, base, alice_org.slug, seeded.name, register=False)
    integration = Integration.objects.unscoped().get(organization=alice_org)
    customers_enrich_task(alice_org.pk, integration.pk)
    assert _register_badges(page, base, alice_org.slug) == set()

    page.goto(f"{base}/o/{alice_org.slug}/integrasjoner/{integration.pk}/innstillinger/")
    page.get_by_label("Bruk Brønnøysundregisteret").check()
    page.get_by_label("Endre kundetype og adresser ved eksakt treff", exact=False).check()
    page.get_by_role("button", name="Lagre").click()
    customers_enrich_task(alice_org.pk, integration.pk)
    shown = _register_badges(page, base, alice_org.slug)
    # The seed puts deleted and removed units and bad check digits among the customers.
    assert {"Slettet i Enhetsregisteret", "Ugyldig organisasjonsnummer"} <= shown
