"""The organisation page: everything support needs, no secret, a fixed number of queries."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.models import Credential
from kredin.models import Invitation, SupportNote
from kredin.tenancy import organization_scope
from tests.support.builders import (
    ACCESS_TOKEN,
    REFRESH_TOKEN,
    customer_item_and_case,
    integration_with_credential,
)

pytestmark = pytest.mark.django_db


def page_url(organization) -> str:
    return reverse("support:organization", kwargs={"organization_id": organization.pk})


@pytest.fixture
def alice_world(alice_org, alice, bob):
    integration = integration_with_credential(alice_org)
    customer_item_and_case(alice_org, integration=integration)
    Invitation.objects.create(
        organization=alice_org, email="ny@example.no", role="member", invited_by=alice
    )
    return integration


def test_it_shows_people_integrations_and_failures(agent_client, alice_org, alice_world):
    html = agent_client.get(page_url(alice_org)).content.decode()
    assert "Alice Rørlegger AS" in html and "923609016" in html
    assert "alice@example.no" in html and "bob@example.no" in html
    assert "ny@example.no" in html  # the open invitation
    assert "Rørfirma Regnskap AS" in html and "4455667" in html
    # The stored error with its code and its words.
    assert "unreachable" in html and "Kunne ikke nå Business NXT etter 3 forsøk" in html
    assert "550 mailbox unavailable" in html  # the bounced letter
    assert "Account 3900 is closed" in html  # the failed voucher
    assert "Kunden ringte om synk 0" in html  # the audit reason
    assert f"S-{900}" in html


def test_it_shows_the_token_expiry_but_never_a_secret(agent_client, alice_org, alice_world):
    with organization_scope(alice_org):
        credential = Credential.objects.get(integration=alice_world)
    html = agent_client.get(page_url(alice_org)).content.decode()
    assert "Tilgangen utløper" in html
    local = credential.access_expires_at.astimezone(ZoneInfo("Europe/Oslo"))
    assert local.strftime("%d.%m.%Y %H:%M") in html
    for secret in (ACCESS_TOKEN, REFRESH_TOKEN, credential.token_ciphertext):
        assert secret not in html
    invitation = Invitation.objects.get(email="ny@example.no")
    assert invitation.token not in html


def test_it_counts_open_cases_by_step(agent_client, alice_org, alice_world):
    customer_item_and_case(alice_org, n=1)
    response = agent_client.get(page_url(alice_org))
    [row] = response.context["overview"].case_steps
    assert (row.state, row.step, row.count) == ("active", "reminder", 2)


def test_it_offers_view_as_with_a_required_reason(agent_client, alice_org):
    html = agent_client.get(page_url(alice_org)).content.decode()
    action = reverse("support:view-as-start", kwargs={"organization_id": alice_org.pk})
    assert f'action="{action}"' in html
    assert '<textarea id="view-as-reason" name="reason" required' in html


def test_it_lists_what_the_customer_shared_with_support(agent_client, alice_org, alice):
    with organization_scope(alice_org):
        SupportNote.objects.create(
            author=alice, topic="integration", subject="Synk feiler", details={"code": "x42"}
        )
    html = agent_client.get(page_url(alice_org)).content.decode()
    assert "Meldinger fra kunden" in html and "Synk feiler" in html and "x42" in html


def test_another_organisations_rows_stay_off_the_page(agent_client, alice_org, charlie_org):
    customer_item_and_case(charlie_org, n=5, name="Charlies skyldner AS")
    html = agent_client.get(page_url(alice_org)).content.decode()
    assert "Charlies skyldner" not in html and "skyldner5@example.no" not in html


def test_the_query_count_does_not_grow_with_rows(
    agent_client, alice_org, alice_world, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        agent_client.get(page_url(alice_org))
    for n in range(1, 8):
        customer_item_and_case(alice_org, n=n, integration=alice_world)
        Invitation.objects.create(organization=alice_org, email=f"inv{n}@example.no", role="member")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = agent_client.get(page_url(alice_org))
    assert len(response.context["overview"].failed_deliveries) == 8


def test_an_unknown_organisation_is_404(agent_client):
    assert agent_client.get("/support/organisasjoner/999999/").status_code == 404


def test_customers_get_404_and_visitors_log_in(client, client_for, alice, alice_org):
    assert client_for(alice).get(page_url(alice_org)).status_code == 404
    response = client.get(page_url(alice_org))
    assert response.status_code == 302 and reverse("login") in response["Location"]
