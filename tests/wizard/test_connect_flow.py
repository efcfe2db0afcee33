"""Connecting Business NXT through Visma Connect: what is stored, and what is not."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from integrations import oauth
from integrations.models import Credential, Integration, IntegrationStatus, SyncRun
from kredin.models import AuditEvent
from kredin.tenancy import organization_scope

pytestmark = pytest.mark.django_db(transaction=True)


def _integrations(org):
    return list(Integration.objects.unscoped().filter(organization=org))


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_same_window_flow_stores_encrypted_grant_and_goes_to_company_choice(
    alice, alice_org, client, walker, sandbox_company
):
    client.force_login(alice)
    redirect = walker.consent_redirect(alice_org.slug)
    assert walker.callback_query(redirect)["code"]
    response = walker.follow(redirect)
    [integration] = _integrations(alice_org)
    assert integration.status == IntegrationStatus.CHOOSE_COMPANY
    assert response.request["PATH_INFO"] == reverse(
        "integrations:choose-company",
        kwargs={"org_slug": alice_org.slug, "integration_id": integration.pk},
    )
    assert sandbox_company.name.encode() in response.content
    credential = Credential.objects.unscoped().get(integration=integration)
    assert "access_token" not in credential.token_ciphertext
    assert AuditEvent.objects.filter(
        action="integration.connected", organization=alice_org
    ).exists()


def test_choosing_company_and_activating_starts_the_first_full_sync(
    alice, alice_org, client, walker, sandbox_company, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "integrations.tasks.sync_run_execute_task.delay", lambda *a: queued.append(a)
    )
    client.force_login(alice)
    walker.follow(walker.consent_redirect(alice_org.slug))
    [integration] = _integrations(alice_org)
    kwargs = {"org_slug": alice_org.slug, "integration_id": integration.pk}
    response = client.post(
        reverse("integrations:choose-company", kwargs=kwargs),
        {"company_no": sandbox_company.company_no},
    )
    assert response["Location"] == reverse("integrations:settings", kwargs=kwargs)
    settings_page = client.get(response["Location"])
    form = settings_page.context["form"]
    assert form.initial["days_past_due"] == 1
    assert form.initial["fee_income_account"] == 3900
    assert form.initial["interest_income_account"] == 8050
    assert form.initial["voucher_series_no"] == 6
    response = client.post(
        reverse("integrations:settings", kwargs=kwargs),
        {
            "fetch_from_date": "2024-01-01",
            "days_past_due": "3",
            "fee_income_account": "3900",
            "interest_income_account": "8050",
            "voucher_series_no": "6",
            "register_mode": "register",
            "register_fetch_addresses": "on",
        },
    )
    with organization_scope(alice_org):
        integration.refresh_from_db()
        run = SyncRun.objects.get(integration=integration)
    assert integration.status == IntegrationStatus.ACTIVE
    assert integration.days_past_due == 3
    assert integration.visma_company_id == sandbox_company.company_no
    assert (run.kind, run.trigger) == ("full", "wizard")
    assert queued == [(alice_org.pk, run.pk)]
    assert response["Location"].endswith(f"/synkronisering/{run.pk}/")


def test_invalid_settings_get_clear_messages_and_change_nothing(
    alice, alice_org, client, walker, sandbox_company
):
    client.force_login(alice)
    walker.follow(walker.consent_redirect(alice_org.slug))
    [integration] = _integrations(alice_org)
    kwargs = {"org_slug": alice_org.slug, "integration_id": integration.pk}
    client.post(
        reverse("integrations:choose-company", kwargs=kwargs),
        {"company_no": sandbox_company.company_no},
    )
    response = client.post(
        reverse("integrations:settings", kwargs=kwargs),
        {
            "fetch_from_date": "2999-01-01",
            "days_past_due": "-2",
            "fee_income_account": "8050",
            "interest_income_account": "8050",
            "register_mode": "register",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "fremtiden" in str(errors["fetch_from_date"])
    assert "days_past_due" in errors
    assert "hver sin konto" in str(errors["interest_income_account"])
    with organization_scope(alice_org):
        integration.refresh_from_db()
    assert integration.status == IntegrationStatus.CONFIGURING
    assert not SyncRun.objects.unscoped().exists()


def test_tampered_state_is_refused_and_nothing_is_stored(
    alice, alice_org, client, walker, sandbox_company
):
    client.force_login(alice)
    redirect = walker.consent_redirect(alice_org.slug)
    query = walker.callback_query(redirect)
    response = client.get(
        reverse("visma-connect-callback"), {"code": query["code"], "state": query["state"] + "x"}
    )
    assert response.status_code == 302
    assert "hørte ikke til" in _messages(response)
    assert _integrations(alice_org) == []


def test_wrong_pkce_verifier_is_refused_by_visma_connect_and_nothing_is_stored(
    alice, alice_org, client, walker, sandbox_company
):
    client.force_login(alice)
    redirect = walker.consent_redirect(alice_org.slug)
    state = walker.callback_query(redirect)["state"]
    session = client.session
    session[oauth.SESSION_KEY][state]["code_verifier"] = "x" * 64
    session.save()
    response = walker.follow(redirect)
    assert "godtok ikke" in _messages(response)
    assert response.request["PATH_INFO"] == reverse(
        "integrations:new", kwargs={"org_slug": alice_org.slug}
    )
    assert _integrations(alice_org) == []


def test_denied_consent_comes_back_to_the_wizard_with_a_message(
    alice, alice_org, client, walker, sandbox_company
):
    client.force_login(alice)
    login_page = walker.to_sandbox_login(walker.start(alice_org.slug))
    denied = walker.approve(walker.log_in(login_page), ok="cancel")
    assert walker.callback_query(denied)["error"] == "access_denied"
    response = walker.follow(denied)
    assert "avbrutt" in _messages(response)
    assert _integrations(alice_org) == []
    assert not Credential.objects.unscoped().exists()


def test_new_window_flow_lets_the_waiting_tab_continue_with_lagre(
    alice, alice_org, client, walker, sandbox_company
):
    client.force_login(alice)
    waiting_url = reverse("integrations:connect-waiting", kwargs={"org_slug": alice_org.slug})
    too_early = client.post(waiting_url)
    assert "ikke fått svar" in _messages(too_early)
    redirect = walker.consent_redirect(alice_org.slug, query="?vindu=nytt")
    done = walker.follow(redirect)
    assert "Bytt tilbake til Kredin" in done.content.decode()
    poll = client.get(waiting_url, HTTP_HX_REQUEST="true")
    [integration] = _integrations(alice_org)
    assert poll["HX-Redirect"].endswith(f"/integrasjoner/{integration.pk}/firma/")
    # The poll has consumed the hand-over; Lagre after it finds nothing new to do.
    assert client.post(waiting_url).status_code == 302


def test_lagre_in_the_waiting_tab_continues_once_consent_is_given(
    alice, alice_org, client, walker, sandbox_company
):
    client.force_login(alice)
    walker.follow(walker.consent_redirect(alice_org.slug, query="?vindu=nytt"))
    response = client.post(
        reverse("integrations:connect-waiting", kwargs={"org_slug": alice_org.slug})
    )
    [integration] = _integrations(alice_org)
    assert response["Location"].endswith(f"/integrasjoner/{integration.pk}/firma/")


def test_member_without_integration_rights_cannot_start_a_connection(
    bob, alice_org, client, sandbox_urls
):
    client.force_login(bob)
    url = reverse("integrations:connect-start", kwargs={"org_slug": alice_org.slug})
    assert client.get(url).status_code == 403
