"""The integration's settings page: what it stores where, and saving while Business NXT is down."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from brreg.models import RegisterSettings
from integrations.models import PostingSettings, SyncRun
from kredin.models import AuditEvent
from sandbox.nxt import faults

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "fetch_from_date": "2024-01-01",
    "days_past_due": "1",
    "fee_income_account": "3900",
    "interest_income_account": "8050",
    "register_mode": "ledger_only",
}


def _url(sandbox_integration, org) -> str:
    return reverse(
        "integrations:settings",
        kwargs={"org_slug": org.slug, "integration_id": sandbox_integration.integration.pk},
    )


@pytest.fixture
def owner(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


def test_saving_stores_posting_accounts_on_the_integration_and_register_choices_per_org(
    sandbox_integration, owner, alice_org
):
    url = _url(sandbox_integration, alice_org)
    owner.get(url)

    response = owner.post(url, FORM)

    assert response.status_code == 302
    posting = PostingSettings.objects.get(integration=sandbox_integration.integration)
    assert (posting.fee_income_account, posting.interest_income_account) == (3900, 8050)
    register = RegisterSettings.objects.get(organization=alice_org)
    assert (register.mode, register.fetch_addresses, register.update_on_exact_match) == (
        "ledger_only",
        False,
        False,
    )
    assert AuditEvent.objects.filter(action="brreg.settings_changed").exists()


def test_the_page_keeps_working_while_business_nxt_does_not_answer(
    sandbox_integration, owner, alice_org
):
    url = _url(sandbox_integration, alice_org)
    assert owner.get(url).context["form"] is not None  # reads and keeps the accounts
    faults.set_fault(company_no=sandbox_integration.company_no, kind="http_500", count=50)

    page = owner.get(url)
    response = owner.post(url, {**FORM, "days_past_due": "5"})

    assert page.context["form"] is not None
    assert "Kredin fikk ikke kontakt med Business NXT" in page.content.decode()
    assert "Kontolisten under er fra" in page.content.decode()
    assert response.status_code == 302
    sandbox_integration.integration.refresh_from_db()
    assert sandbox_integration.integration.days_past_due == 5
    # A change in what is read in asks for a full sync; it waits for Business NXT itself.
    assert SyncRun.objects.filter(trigger="settings").exists()


def test_without_any_account_list_yet_the_page_says_so(sandbox_integration, owner, alice_org):
    faults.set_fault(company_no=sandbox_integration.company_no, kind="http_500", count=50)

    page = owner.get(_url(sandbox_integration, alice_org))

    assert page.context["form"] is None
    assert "Kredin fikk ikke kontakt med Business NXT" in page.content.decode()
