"""The person page: account state, memberships, a pending sign-up; staff only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kredin.models import Membership, PendingSignup, User

pytestmark = pytest.mark.django_db


def page_url(user) -> str:
    return reverse("support:user", kwargs={"user_id": user.pk})


def test_it_shows_the_account_and_links_memberships(agent_client, alice, alice_org, charlie_org):
    Membership.objects.create(organization=charlie_org, user=alice, role="member")
    html = agent_client.get(page_url(alice)).content.decode()
    assert "alice@example.no" in html and "Aktiv" in html
    for organization in (alice_org, charlie_org):
        url = reverse("support:organization", kwargs={"organization_id": organization.pk})
        assert url in html
    assert "Aldri" in html  # never logged in


def test_it_shows_a_pending_sign_up(agent_client, db):
    person = User.objects.create_user(email="ny@example.no", password="x", is_active=False)
    PendingSignup.objects.create(
        user=person, organization_name="Nybygg AS", organization_number="923609016"
    )
    html = agent_client.get(page_url(person)).content.decode()
    assert "Ikke bekreftet" in html
    assert "Nybygg AS" in html and "Ikke medlem av noen organisasjon" in html


def test_it_tells_staff_apart(agent_client, agent):
    response = agent_client.get(page_url(agent))
    assert response.context["person"].is_staff
    assert response.status_code == 200


def test_the_query_count_does_not_grow_with_memberships(
    agent_client, alice, alice_org, django_assert_max_num_queries
):
    from kredin.models import Organization

    with django_assert_max_num_queries(12) as one:
        agent_client.get(page_url(alice))
    for n, number in enumerate(("974760673", "915218063", "999999971")):
        org = Organization.objects.create(name=f"Org {n}", organization_number=number, slug=f"o{n}")
        Membership.objects.create(organization=org, user=alice, role="member")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = agent_client.get(page_url(alice))
    assert len(response.context["overview"].memberships) == 4


def test_an_unknown_person_is_404(agent_client):
    assert agent_client.get("/support/brukere/999999/").status_code == 404


def test_customers_get_404_and_visitors_log_in(client, client_for, alice, bob):
    assert client_for(alice).get(page_url(bob)).status_code == 404
    response = client.get(page_url(bob))
    assert response.status_code == 302 and reverse("login") in response["Location"]
