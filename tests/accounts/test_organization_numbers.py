"""An organisation number belongs to one organisation; others get in by invitation only."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kredin.models import Membership, Organization

pytestmark = pytest.mark.django_db(transaction=True)

SIGNUP = {
    "organization_name": "Nordlys Regnskap AS",
    "organization_number": "910000012",
    "full_name": "Nora Nordlys",
    "password": "a-long-and-unusual-passphrase",
}


def _signup(email: str) -> Client:
    client = Client()
    client.post(reverse("signup"), {**SIGNUP, "email": email})
    return client


def _confirm(client: Client, mail) -> object:
    link = re.search(r"https?://[^/\s]+(/bekreft-epost/\S+/)", mail.body).group(1)
    return client.post(link, {"password": SIGNUP["password"]}, follow=True)


def test_an_unconfirmed_signup_does_not_claim_the_number(mailoutbox):
    _signup("squatter@example.no")
    real = _signup("owner@nordlys.no")

    _confirm(real, mailoutbox[1])

    organization = Organization.objects.get(organization_number="910000012")
    assert Membership.objects.get(organization=organization).user.email == "owner@nordlys.no"


def test_a_taken_number_is_refused_without_saying_who_holds_it(alice, alice_org):
    response = Client().post(
        reverse("signup"),
        {**SIGNUP, "organization_number": alice_org.organization_number, "email": "x@example.no"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Be en eier av organisasjonen om en invitasjon" in body
    assert alice_org.name not in body and "alice@example.no" not in body


def test_a_number_taken_between_signup_and_confirmation_leaves_the_account_without_it(
    mailoutbox,
):
    first, second = _signup("one@example.no"), _signup("two@example.no")
    _confirm(first, mailoutbox[0])

    response = _confirm(second, mailoutbox[1])

    assert Organization.objects.count() == 1
    assert "Be en eier av organisasjonen om en invitasjon" in response.content.decode()
    assert not Membership.objects.filter(user__email="two@example.no").exists()


def test_a_confirmed_person_registers_another_organisation(client_for, alice):
    client = client_for(alice)

    response = client.post(
        reverse("organization-new"),
        {"organization_name": "Klient To AS", "organization_number": "910000020"},
    )

    organization = Organization.objects.get(organization_number="910000020")
    assert response.url == reverse("org-home", kwargs={"org_slug": organization.slug})
    assert Membership.objects.get(organization=organization).user == alice


def test_the_new_organisation_page_refuses_a_taken_number(client_for, alice, charlie_org):
    response = client_for(alice).post(
        reverse("organization-new"),
        {"organization_name": "Kopi", "organization_number": charlie_org.organization_number},
    )

    assert response.status_code == 400
    assert "Be en eier av organisasjonen om en invitasjon" in response.content.decode()
    assert charlie_org.name not in response.content.decode()
