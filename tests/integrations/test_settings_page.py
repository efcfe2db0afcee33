"""The integration's settings page: what it stores where, and saving while Business NXT is down."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from brreg.models import RegisterSettings
from integrations import selectors
from integrations.models import PostingSettings, SyncRun
from kredin.models import AuditEvent
from sandbox.nxt import faults

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "fetch_from_date": "2024-01-01",
    "days_past_due": "1",
    "fee_income_account": "3900",
    "interest_income_account": "8050",
    "voucher_series_no": "6",
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
    assert page.context["form"].offers_series  # the kept list of voucher series
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


# --- the voucher series of the income vouchers ----------------------------------------------


def test_the_voucher_series_is_chosen_from_those_business_nxt_has_and_saved(
    sandbox_integration, owner, alice_org
):
    integration = sandbox_integration.integration
    assert selectors.posting_settings_for(integration=integration) is None
    url = _url(sandbox_integration, alice_org)

    form = owner.get(url).context["form"]

    assert list(form.fields["voucher_series_no"].choices) == [
        (1, "1 Utgående fakturaer"),
        (2, "2 Kreditnotaer"),
        (3, "3 Innbetalinger"),
        (6, "6 Diverse bilag"),
    ]
    assert form.initial["voucher_series_no"] == 6  # "Diverse bilag" is the usual one
    response = owner.post(url, {**FORM, "voucher_series_no": "3"})
    assert response.status_code == 302
    posting = selectors.posting_settings_for(integration=integration)
    assert (posting.fee_income_account, posting.interest_income_account) == (3900, 8050)
    assert posting.voucher_series_no == 3
    assert owner.get(url).context["form"].initial["voucher_series_no"] == 3
    event = AuditEvent.objects.get(action="integration.settings_changed")
    assert event.details["voucher_series_no"] == {"old": "None", "new": "3"}


def test_a_voucher_series_business_nxt_does_not_have_is_refused(
    sandbox_integration, owner, alice_org
):
    url = _url(sandbox_integration, alice_org)
    owner.get(url)

    missing = owner.post(url, {**FORM, "voucher_series_no": ""})
    unknown = owner.post(url, {**FORM, "voucher_series_no": "42"})

    assert "Velg hvilken bilagsserie" in str(missing.context["form"].errors["voucher_series_no"])
    assert "voucher_series_no" in unknown.context["form"].errors
    posting = PostingSettings.objects.get(integration=sandbox_integration.integration)
    assert posting.voucher_series_no is None


def test_without_a_list_of_series_the_saved_series_stays(sandbox_integration, owner, alice_org):
    """An integration set up before series were read: accounts kept, no series list yet."""
    integration = sandbox_integration.integration
    PostingSettings.objects.create(
        integration=integration,
        fee_income_account=3900,
        interest_income_account=8050,
        voucher_series_no=6,
        account_choices=[[3900, "Annen driftsrelatert inntekt"], [8050, "Annen renteinntekt"]],
    )
    faults.set_fault(company_no=sandbox_integration.company_no, kind="http_500", count=50)
    url = _url(sandbox_integration, alice_org)

    page = owner.get(url)
    response = owner.post(url, {k: v for k, v in FORM.items() if k != "voucher_series_no"})

    assert not page.context["form"].offers_series
    assert "Bilagsseriene er ikke lest fra Business NXT ennå" in page.content.decode()
    assert response.status_code == 302
    assert PostingSettings.objects.get(integration=integration).voucher_series_no == 6


def test_another_organisation_cannot_see_or_change_the_voucher_series(
    sandbox_integration, owner, alice_org, charlie, charlie_org
):
    owner.post(_url(sandbox_integration, alice_org), FORM)  # reads the lists, saves series 6
    outsider = Client()
    outsider.force_login(charlie)
    own_org_url = reverse(
        "integrations:settings",
        kwargs={"org_slug": charlie_org.slug, "integration_id": sandbox_integration.integration.pk},
    )

    for url in (_url(sandbox_integration, alice_org), own_org_url):
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, {**FORM, "voucher_series_no": "1"}).status_code == 404

    posting = PostingSettings.objects.get(integration=sandbox_integration.integration)
    assert posting.voucher_series_no == 6
