import pytest
from django.urls import reverse

from kredin.models import AuditEvent, Membership, Organization, User
from kredin.permissions import Role

pytestmark = pytest.mark.django_db

VALID = {
    "organization_name": "Nordlys Regnskap AS",
    "organization_number": "923 609 016",
    "full_name": "Nora Nordlys",
    "email": "Nora@Example.no",
    "password": "a-long-and-unusual-passphrase",
}


def test_signup_creates_organization_owner_and_logs_in(client):
    response = client.post(reverse("signup"), VALID)

    organization = Organization.objects.get(organization_number="923609016")
    assert response.status_code == 302
    assert response.url == reverse("org-home", kwargs={"org_slug": organization.slug})
    assert organization.slug == "nordlys-regnskap-as"
    membership = Membership.objects.get(organization=organization)
    assert membership.user.email == "nora@example.no"
    assert membership.role == Role.OWNER
    assert client.get(reverse("home")).url == response.url  # logged in as the owner


def test_signup_audits_creation_with_ip(client):
    client.post(reverse("signup"), VALID, REMOTE_ADDR="198.51.100.4")

    organization = Organization.objects.get()
    event = AuditEvent.objects.get(action="organization.created")
    assert event.organization == organization
    assert event.ip_address == "198.51.100.4"


def test_signup_adds_suffix_when_slug_is_taken(client, charlie_org):
    charlie_org.slug = "nordlys-regnskap-as"
    charlie_org.save()

    client.post(reverse("signup"), VALID)

    assert Organization.objects.get(organization_number="923609016").slug == "nordlys-regnskap-as-2"


def test_signup_rejects_invalid_organization_number(client):
    response = client.post(reverse("signup"), {**VALID, "organization_number": "923609017"})

    assert response.status_code == 400
    assert "ikke et gyldig organisasjonsnummer" in response.content.decode()
    assert not Organization.objects.exists()
    assert not User.objects.exists()


def test_signup_rejects_duplicate_email(client, alice):
    response = client.post(reverse("signup"), {**VALID, "email": "ALICE@example.no"})

    assert response.status_code == 400
    assert "finnes allerede en konto" in response.content.decode()
    assert Organization.objects.count() == 1  # alice's own


def test_signup_rejects_weak_password(client):
    response = client.post(reverse("signup"), {**VALID, "password": "12345678"})

    assert response.status_code == 400
    assert not User.objects.exists()


def test_signup_rejects_already_registered_organization(client, alice_org):
    response = client.post(reverse("signup"), {**VALID, "organization_number": "923609016"})

    assert response.status_code == 400
    assert "allerede registrert" in response.content.decode()


def test_login_page_links_to_signup_and_password_reset(client):
    body = client.get(reverse("login")).content.decode()

    assert reverse("signup") in body
    assert reverse("password_reset") in body
    assert "Glemt passord?" in body
