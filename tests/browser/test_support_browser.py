"""The support console in a real browser: an agent signs in with the authenticator's code,
finds the organisation from an invoice number, re-runs its sync with a reason and sees it
finish; the customer's owner then reads who did it and why in the audit log."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from integrations.models import SyncKind, SyncRun, SyncStatus, SyncTrigger
from integrations.services.sync import sync_request
from kredin.models import User
from kredin.tenancy import organization_scope
from ledger.models import OpenItem
from tests.conftest import PASSWORD
from tests.support.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Kunden ringte: fakturaene fra i dag mangler i reskontroen"


def test_an_agent_finds_the_organisation_by_invoice_number_and_reruns_its_sync(
    page, browser, live_server, sandbox_integration, alice, alice_org, settings
):
    settings.BRREG_API_URL = "http://127.0.0.1:9/enhetsregisteret/api"
    integration = sandbox_integration.integration
    with organization_scope(alice_org):
        sync_request(integration=integration, kind=SyncKind.FULL)
        invoice_no = (
            OpenItem.objects.exclude(invoice_no="").order_by("invoice_no").first().invoice_no
        )
    agent = User.objects.create_user(email="agent@kredin.no", password=PASSWORD, is_staff=True)
    device = TOTPDevice.objects.create(user=agent, name="Kredin", confirmed=True)

    # Password, then the authenticator's code.
    page.goto(f"{live_server.url}/support/")
    page.wait_for_url("**/logg-inn/?next=/support/")
    page.fill('input[name="username"]', agent.email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url("**/logg-inn/kode/**")
    page.fill('input[name="token"]', totp_code(device))
    page.click('button[type="submit"]')
    page.wait_for_url(f"{live_server.url}/support/")

    # One search box: the invoice number leads to the organisation.
    page.fill('input[name="q"]', invoice_no)
    page.keyboard.press("Enter")
    page.wait_for_url("**/support/?q=*")
    page.locator(f'a[href="/support/organisasjoner/{alice_org.pk}/"]').first.click()
    page.wait_for_url(f"**/support/organisasjoner/{alice_org.pk}/")

    # Re-run the sync, with a reason.
    form = page.locator("form:has([data-testid='sync-rerun'])").first
    form.locator("textarea[name='reason']").fill(REASON)
    form.locator("[data-testid='sync-rerun']").click()
    page.wait_for_load_state("networkidle")
    assert "Fullført" in page.content()
    with organization_scope(alice_org):
        run = SyncRun.objects.filter(trigger=SyncTrigger.SUPPORT).get()
    assert run.status == SyncStatus.SUCCEEDED and run.requested_by == agent

    # The owner reads it in the organisation's audit log.
    owner = browser.new_context(locale="nb-NO").new_page()
    owner.goto(f"{live_server.url}/logg-inn/")
    owner.fill('input[name="username"]', alice.email)
    owner.fill('input[name="password"]', PASSWORD)
    owner.click('button[type="submit"]')
    owner.wait_for_load_state("networkidle")
    owner.goto(f"{live_server.url}/o/{alice_org.slug}/innstillinger/logg/")
    log = owner.locator("table").inner_text()
    assert "agent@kredin.no" in log and REASON in log
