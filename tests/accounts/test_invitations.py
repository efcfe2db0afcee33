import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kredin.models import AuditEvent, Invitation, Membership, User
from kredin.permissions import Role
from tests.accounts.conftest import membership_of
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def _invite(client, org, email, role="member", **extra):
    return client.post(
        reverse("org-member-invite", args=[org.slug]), {"email": email, "role": role}, **extra
    )


def _link(mail) -> str:
    match = re.search(r"https?://[^/]+(/invitasjon/\S+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_invite_sends_email_with_accept_link(
    client_for, alice, alice_org, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client_for(alice), alice_org, "Frida@Example.no")

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "frida@example.no"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["frida@example.no"]
    assert alice_org.name in mailoutbox[0].subject
    assert _link(mailoutbox[0]) == reverse("invitation-accept", args=[invitation.token])


def test_invite_is_audited_with_ip(client_for, alice, alice_org):
    _invite(client_for(alice), alice_org, "frida@example.no", REMOTE_ADDR="192.0.2.10")

    event = AuditEvent.objects.get(action="membership.invited")
    assert event.organization == alice_org
    assert event.actor == alice
    assert event.ip_address == "192.0.2.10"
    assert event.details == {"email": "frida@example.no", "role": "member"}


def test_invite_of_existing_member_is_refused(client_for, alice, bob, alice_org):
    _invite(client_for(alice), alice_org, "bob@example.no")

    assert not Invitation.objects.exists()


def test_reinvite_renews_token(client_for, alice, alice_org):
    client = client_for(alice)
    _invite(client, alice_org, "frida@example.no")
    first = Invitation.objects.get().token

    _invite(client, alice_org, "frida@example.no", role="admin")

    invitation = Invitation.objects.get()
    assert invitation.token != first
    assert invitation.role == Role.ADMIN


@pytest.fixture
def invitation(alice, alice_org) -> Invitation:
    return Invitation.objects.create(
        organization=alice_org, email="frida@example.no", role=Role.ADMIN, invited_by=alice
    )


def test_new_person_sets_name_and_password_and_joins(client, invitation, alice_org):
    url = reverse("invitation-accept", args=[invitation.token])
    assert "Velg navn og passord" in client.get(url).content.decode()

    response = client.post(
        url, {"full_name": "Frida Fjord", "password": NEW_PASSWORD}, REMOTE_ADDR="192.0.2.20"
    )

    assert response.url == reverse("org-home", args=[alice_org.slug])
    user = User.objects.get(email="frida@example.no")
    assert user.full_name == "Frida Fjord"
    assert user.check_password(NEW_PASSWORD)
    assert membership_of(user, alice_org).role == Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    joined = AuditEvent.objects.get(action="membership.joined")
    assert joined.actor == user
    assert joined.ip_address == "192.0.2.20"
    assert client.get(reverse("home")).status_code == 302  # logged in


def test_new_person_with_weak_password_does_not_join(client, invitation):
    url = reverse("invitation-accept", args=[invitation.token])

    response = client.post(url, {"full_name": "Frida", "password": "frida"})

    assert response.status_code == 400
    assert not User.objects.filter(email="frida@example.no").exists()


def test_logged_in_person_with_matching_email_joins(client_for, invitation, alice_org, charlie_org):
    frida = make_user("frida@example.no")
    Membership.objects.create(organization=charlie_org, user=frida, role=Role.MEMBER)
    client = client_for(frida)
    url = reverse("invitation-accept", args=[invitation.token])
    assert client.get(url).status_code == 200

    response = client.post(url)

    assert response.url == reverse("org-home", args=[alice_org.slug])
    assert membership_of(frida, alice_org).role == Role.ADMIN
    assert Membership.objects.filter(user=frida).count() == 2


def test_anonymous_person_with_account_is_asked_to_log_in(client, invitation):
    make_user("frida@example.no")
    url = reverse("invitation-accept", args=[invitation.token])

    response = client.post(url, {"full_name": "Someone", "password": NEW_PASSWORD})

    assert response.url == f"{reverse('login')}?next={url}"
    assert not Membership.objects.filter(user__email="frida@example.no").exists()


def test_logged_in_person_with_other_email_gets_404(client_for, invitation, charlie):
    client = client_for(charlie)
    url = reverse("invitation-accept", args=[invitation.token])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Membership.objects.filter(user=charlie, organization=invitation.organization)


def test_used_invitation_gives_clear_message(client, invitation):
    invitation.accepted_at = timezone.now()
    invitation.save()

    response = client.get(reverse("invitation-accept", args=[invitation.token]))

    assert response.status_code == 410
    assert "allerede brukt" in response.content.decode()


def test_expired_invitation_gives_clear_message_and_cannot_be_used(client, invitation):
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    url = reverse("invitation-accept", args=[invitation.token])

    response = client.post(url, {"full_name": "Frida", "password": NEW_PASSWORD})

    assert response.status_code == 410
    assert "utløpt" in response.content.decode()
    assert not User.objects.filter(email="frida@example.no").exists()


def test_unknown_invitation_token_gives_404(client):
    assert client.get(reverse("invitation-accept", args=["no-such-token"])).status_code == 404


def test_invitation_cannot_be_accepted_twice(client, invitation):
    url = reverse("invitation-accept", args=[invitation.token])
    client.post(url, {"full_name": "Frida", "password": NEW_PASSWORD})
    client.post(reverse("logout"))

    response = client.post(url, {"full_name": "Frida", "password": NEW_PASSWORD})

    assert response.status_code == 410
    assert Membership.objects.filter(user__email="frida@example.no").count() == 1


def test_admin_revokes_invitation_and_link_stops_working(client_for, client, dave, invitation):
    response = client_for(dave).post(
        reverse("org-invitation-revoke", args=[invitation.organization.slug, invitation.pk])
    )

    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert AuditEvent.objects.filter(action="membership.invitation_revoked").count() == 1
    assert client.get(reverse("invitation-accept", args=[invitation.token])).status_code == 404


def test_member_cannot_revoke_invitation(client_for, bob, invitation):
    response = client_for(bob).post(
        reverse("org-invitation-revoke", args=[invitation.organization.slug, invitation.pk])
    )

    assert response.status_code == 403
    assert Invitation.objects.exists()


def test_an_admin_cannot_downgrade_or_take_over_an_owners_open_invitation(
    client_for, alice, dave, alice_org, django_capture_on_commit_callbacks, mailoutbox
):
    _invite(client_for(alice), alice_org, "heir@example.no", role="owner")
    original = Invitation.objects.get(email="heir@example.no")

    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(dave), alice_org, "heir@example.no", role="member")

    invitation = Invitation.objects.get(email="heir@example.no")
    assert invitation.role == Role.OWNER
    assert invitation.token == original.token  # the owner's link still works
    assert invitation.invited_by == alice
    assert mailoutbox == []
