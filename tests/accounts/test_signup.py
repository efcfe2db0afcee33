"""Sign-up proves the address: nothing is usable until the link in the e-mail is opened."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from kredin.models import AuditEvent, Membership, Organization, PendingSignup, User
from kredin.permissions import Role
from tests.conftest import PASSWORD

# Real commits: the e-mails go out on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

VALID = {
    "organization_name": "Nordlys Regnskap AS",
    "organization_number": "923 609 016",
    "full_name": "Nora Nordlys",
    "email": "Nora@Example.no",
    "password": "a-long-and-unusual-passphrase",
}


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/bekreft-epost/\S+/", message.body).group(0)


def test_signup_makes_an_inactive_account_and_no_organisation_yet(client, mailoutbox):
    response = client.post(reverse("signup"), VALID)

    assert response.status_code == 302
    assert response.url.startswith(reverse("signup-sent"))
    user = User.objects.get(email="nora@example.no")
    assert not user.is_active and user.email_confirmed_at is None
    assert not Organization.objects.exists()
    assert PendingSignup.objects.get(user=user).organization_number == "923609016"
    assert client.get(reverse("home")).status_code == 302  # not logged in
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nora@example.no"]
    assert "/bekreft-epost/" in mailoutbox[0].body


def test_confirming_with_the_password_creates_the_organisation_and_logs_in(client, mailoutbox):
    client.post(reverse("signup"), VALID)
    link = confirmation_link(mailoutbox[0])

    page = client.get(link)
    response = client.post(link, {"password": VALID["password"]})

    assert page.status_code == 200 and "Bekreft e-postadressen" in page.content.decode()
    organization = Organization.objects.get(organization_number="923609016")
    assert response.status_code == 302
    assert response.url == reverse("org-home", kwargs={"org_slug": organization.slug})
    assert organization.slug == "nordlys-regnskap-as"
    membership = Membership.objects.get(organization=organization)
    assert membership.user.email == "nora@example.no" and membership.role == Role.OWNER
    assert membership.user.is_active and membership.user.email_confirmed_at is not None
    assert not PendingSignup.objects.exists()
    assert client.get(reverse("home")).url == response.url  # logged in as the owner


def test_the_confirmation_link_works_once(client, mailoutbox):
    client.post(reverse("signup"), VALID)
    link = confirmation_link(mailoutbox[0])
    client.post(link, {"password": VALID["password"]})
    client.logout()

    again = client.post(link, {"password": VALID["password"]})

    assert again.status_code == 410
    assert Organization.objects.count() == 1


def test_the_confirmation_link_expires(client, mailoutbox, settings):
    client.post(reverse("signup"), VALID)
    link = confirmation_link(mailoutbox[0])
    later = timezone.now() + timedelta(seconds=settings.KREDIN_EMAIL_CONFIRMATION_TIMEOUT, days=1)

    with time_machine.travel(later):
        response = client.post(link, {"password": VALID["password"]})

    assert response.status_code == 410
    assert not User.objects.get(email="nora@example.no").is_active


def test_confirming_needs_the_sign_up_password(client, mailoutbox):
    client.post(reverse("signup"), VALID)
    link = confirmation_link(mailoutbox[0])

    response = client.post(link, {"password": "someone-elses-guess"})

    assert response.status_code == 400
    assert "Feil passord" in response.content.decode()
    assert not User.objects.get(email="nora@example.no").is_active
    assert AuditEvent.objects.filter(action="auth.confirmation_failed").exists()


def test_a_tampered_link_is_refused(client, mailoutbox):
    client.post(reverse("signup"), VALID)
    link = confirmation_link(mailoutbox[0])

    response = client.post(link[:-3] + "xx/", {"password": VALID["password"]})

    assert response.status_code == 410


def test_an_unconfirmed_account_cannot_log_in(client):
    client.post(reverse("signup"), VALID)

    response = client.post(
        reverse("login"), {"username": "nora@example.no", "password": VALID["password"]}
    )

    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_signup_answers_the_same_for_an_address_that_has_an_account(client, alice, mailoutbox):
    other_number = {"organization_number": "910000012"}  # alice_org holds VALID's
    fresh = client.post(reverse("signup"), {**VALID, **other_number, "email": "new@example.no"})
    taken = client.post(reverse("signup"), {**VALID, **other_number, "email": "ALICE@example.no"})

    assert fresh.status_code == taken.status_code == 302
    assert fresh.url.split("?")[0] == taken.url.split("?")[0]
    page_fresh = _main(client.get(fresh.url)).replace("new@example.no", "X")
    page_taken = _main(client.get(taken.url)).replace("alice@example.no", "X")
    assert page_fresh == page_taken
    # The mailbox learns which it was; the page does not.
    assert "allerede en Kredin-konto" in mailoutbox[1].subject
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)  # nothing about the account changed


def _main(response) -> str:
    """The page without its per-request CSRF token."""
    return response.content.decode().split('id="main"')[1]


def test_a_new_signup_replaces_an_unconfirmed_one_and_kills_its_link(client, mailoutbox):
    client.post(reverse("signup"), {**VALID, "password": "first-long-passphrase"})
    first_link = confirmation_link(mailoutbox[0])
    client.post(reverse("signup"), {**VALID, "organization_name": "Nordlys Nye AS"})

    assert client.post(first_link, {"password": "first-long-passphrase"}).status_code == 410
    response = client.post(confirmation_link(mailoutbox[1]), {"password": VALID["password"]})

    assert response.status_code == 302
    assert Organization.objects.get().name == "Nordlys Nye AS"


def test_signup_audits_the_start_and_the_organisation_with_ip(client, mailoutbox):
    client.post(reverse("signup"), VALID, REMOTE_ADDR="198.51.100.4")
    link = confirmation_link(mailoutbox[0])
    client.post(link, {"password": VALID["password"]}, REMOTE_ADDR="198.51.100.4")

    event = AuditEvent.objects.get(action="organization.created")
    assert event.organization == Organization.objects.get()
    assert event.ip_address == "198.51.100.4"
    assert AuditEvent.objects.filter(action="auth.signup_started").exists()
    assert AuditEvent.objects.filter(action="auth.email_confirmed").exists()


def test_signup_adds_suffix_when_slug_is_taken(client, charlie_org, mailoutbox):
    charlie_org.slug = "nordlys-regnskap-as"
    charlie_org.save()

    client.post(reverse("signup"), VALID)
    client.post(confirmation_link(mailoutbox[0]), {"password": VALID["password"]})

    assert Organization.objects.get(organization_number="923609016").slug == "nordlys-regnskap-as-2"


def test_signup_rejects_invalid_organization_number(client):
    response = client.post(reverse("signup"), {**VALID, "organization_number": "923609017"})

    assert response.status_code == 400
    assert "ikke et gyldig organisasjonsnummer" in response.content.decode()
    assert not User.objects.exists()


def test_signup_rejects_weak_password(client):
    response = client.post(reverse("signup"), {**VALID, "password": "12345678"})

    assert response.status_code == 400
    assert not User.objects.exists()


def test_login_page_links_to_signup_and_password_reset(client):
    body = client.get(reverse("login")).content.decode()

    assert reverse("signup") in body
    assert reverse("password_reset") in body
    assert "Glemt passord?" in body


def test_a_new_link_can_be_asked_for_with_the_same_answer_for_any_address(
    client, alice, mailoutbox
):
    client.post(reverse("signup"), {**VALID, "organization_number": "910000012"})

    pending = client.post(reverse("email-resend"), {"email": "nora@example.no"})
    confirmed = client.post(reverse("email-resend"), {"email": "alice@example.no"})
    unknown = client.post(reverse("email-resend"), {"email": "nobody@example.no"})

    assert pending.status_code == confirmed.status_code == unknown.status_code == 302
    assert [m.to for m in mailoutbox] == [["nora@example.no"], ["nora@example.no"]]
    response = client.post(confirmation_link(mailoutbox[1]), {"password": VALID["password"]})
    assert response.status_code == 302
