"""The account-takeover chain, and what a password change, a reset or deactivation ends.

Before: sign up as victim@corp.no (no proof of the mailbox) → make an API key → the real
owner resets the password and joins an organisation → the key still works for the squatter.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from kredin.models import ApiToken, AuditEvent, Invitation, Membership, User
from kredin.permissions import Role
from kredin.services import api_token_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

VICTIM = "victim@corp.no"
SQUATTER_PASSWORD = "squatters-own-passphrase-1"
VICTIM_PASSWORD = "victims-real-passphrase-2"


def _signup_as_victim(client: Client) -> None:
    client.post(
        reverse("signup"),
        {
            "organization_name": "Falsk AS",
            "organization_number": "910000012",
            "full_name": "Squatter",
            "email": VICTIM,
            "password": SQUATTER_PASSWORD,
        },
    )


def _link(mail, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({path}\S+/)", mail.body).group(1)


def _reset(client: Client, mailoutbox, email: str, password: str) -> None:
    before = len(mailoutbox)
    client.post(reverse("password_reset"), {"email": email})
    form_page = client.get(_link(mailoutbox[before], "/nytt-passord/"), follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_the_squatter_never_gets_in_and_the_owner_ends_up_with_the_account(
    alice, alice_org, mailoutbox
):
    squatter = Client()
    _signup_as_victim(squatter)

    # No log-in, so no page to make a key on; the confirmation link is in the victim's mailbox.
    squatter.post(reverse("login"), {"username": VICTIM, "password": SQUATTER_PASSWORD})
    assert "_auth_user_id" not in squatter.session
    assert squatter.get(reverse("org-api-access", args=[alice_org.slug])).status_code == 302
    # Even with the link, the squatter's password does not open it for anyone else...
    owner = Client()
    confirm = _link(mailoutbox[0], "/bekreft-epost/")
    assert owner.post(confirm, {"password": VICTIM_PASSWORD}).status_code == 400

    # ...and the owner takes the account over with a reset, which proves the mailbox.
    _reset(owner, mailoutbox, VICTIM, VICTIM_PASSWORD)
    user = User.objects.get(email=VICTIM)
    assert user.is_active and user.email_confirmed_at is not None
    assert not hasattr(user, "pending_signup")  # the squatter's organisation is not made
    assert (
        squatter.post(
            reverse("login"), {"username": VICTIM, "password": SQUATTER_PASSWORD}
        ).status_code
        == 200
    )
    assert "_auth_user_id" not in squatter.session
    assert owner.post(reverse("login"), {"username": VICTIM, "password": VICTIM_PASSWORD}).url


def test_a_key_made_before_a_reset_is_refused_after_it(alice, alice_org, mailoutbox):
    """The chain's last step, for any key that exists: the reset kills it."""
    membership = Membership.objects.get(user=alice)
    _token, key = api_token_create(membership=membership, name="old")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    detail = reverse("organization-detail", args=[alice_org.slug])
    assert api.get(detail).status_code == 200

    _reset(Client(), mailoutbox, alice.email, VICTIM_PASSWORD)

    assert api.get(detail).status_code == 401
    assert not ApiToken.objects.exists()
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.organization == alice_org and event.details["reason"] == "password_changed"


def test_an_invitation_confirms_an_unconfirmed_address_with_a_password_of_its_own(
    alice, alice_org, mailoutbox
):
    _signup_as_victim(Client())
    invitation = Invitation.objects.create(
        organization=alice_org, email=VICTIM, role=Role.MEMBER, invited_by=alice
    )
    owner = Client()
    url = reverse("invitation-accept", args=[invitation.token])

    page = owner.get(url)
    response = owner.post(url, {"full_name": "Vera Victim", "password": VICTIM_PASSWORD})

    assert page.context["form"] is not None  # offered to choose a password, not to log in
    assert response.status_code == 302
    user = User.objects.get(email=VICTIM)
    assert user.is_active and user.email_confirmed_at is not None
    assert user.check_password(VICTIM_PASSWORD)
    assert Membership.objects.filter(user=user, organization=alice_org).exists()


def test_changing_the_password_ends_other_sessions_and_every_key(alice, alice_org):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})
    _token, key = api_token_create(membership=Membership.objects.get(user=alice), name="k")

    response = here.post(
        reverse("password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": VICTIM_PASSWORD,
            "new_password2": VICTIM_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert here.get(reverse("account")).status_code == 200  # this session stays
    assert elsewhere.get(reverse("account")).status_code == 302  # the other one is over
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("organization-detail", args=[alice_org.slug])).status_code == 401
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=alice).exists()


def test_deactivation_ends_sessions_and_keys(alice, alice_org):
    browser = Client()
    browser.post(reverse("login"), {"username": alice.email, "password": PASSWORD})
    api_token_create(membership=Membership.objects.get(user=alice), name="k")

    alice.is_active = False
    alice.save()

    assert browser.get(reverse("account")).status_code == 302
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.get(action="api_token.revoked").details["reason"] == "deactivated"


def test_a_deactivated_account_cannot_reset_its_way_back(alice, mailoutbox):
    alice.is_active = False
    alice.save()

    Client().post(reverse("password_reset"), {"email": alice.email})

    assert mailoutbox == []


def test_an_unconfirmed_account_cannot_hold_a_key(alice_org):
    user = User.objects.create_user(
        email="pending@example.no", password=PASSWORD, is_active=False, email_confirmed_at=None
    )
    membership = Membership.objects.create(organization=alice_org, user=user, role=Role.MEMBER)
    from kredin.services import AccountsError

    with pytest.raises(AccountsError):
        api_token_create(membership=membership, name="k")
