"""The permission matrix as seen through the members page."""

import pytest
from django.urls import reverse

from kredin.models import AuditEvent, Invitation, Membership
from kredin.permissions import Permission, Role
from tests.accounts.conftest import membership_of

pytestmark = pytest.mark.django_db


def _post(client, name, org, membership, data=None, **extra):
    return client.post(
        reverse(name, kwargs={"org_slug": org.slug, "membership_id": membership.pk}),
        data or {},
        **extra,
    )


def test_members_page_lists_members_with_role_and_signing(client_for, alice, bob, alice_org):
    response = client_for(bob).get(reverse("org-members", args=[alice_org.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "alice@example.no" in html
    assert "bob@example.no" in html
    assert "Eier" in html
    assert "Kan signere rettslige dokumenter" in html


def test_member_cannot_invite(client_for, alice, bob, alice_org):
    response = client_for(bob).post(
        reverse("org-member-invite", args=[alice_org.slug]),
        {"email": "x@example.no", "role": "member"},
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_admin_can_invite_member(client_for, dave, alice_org):
    client_for(dave).post(
        reverse("org-member-invite", args=[alice_org.slug]),
        {"email": "x@example.no", "role": "admin"},
    )

    assert Invitation.objects.get().role == Role.ADMIN


def test_admin_cannot_invite_owner(client_for, dave, alice_org):
    response = client_for(dave).post(
        reverse("org-member-invite", args=[alice_org.slug]),
        {"email": "x@example.no", "role": "owner"},
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_admin_cannot_make_owner(client_for, dave, bob, alice_org):
    response = _post(
        client_for(dave),
        "org-member-role",
        alice_org,
        membership_of(bob, alice_org),
        {"role": "owner"},
    )

    assert response.status_code == 403
    assert membership_of(bob, alice_org).role == Role.MEMBER


def test_admin_cannot_demote_owner(client_for, alice, dave, alice_org):
    response = _post(
        client_for(dave),
        "org-member-role",
        alice_org,
        membership_of(alice, alice_org),
        {"role": "member"},
    )

    assert response.status_code == 403
    assert membership_of(alice, alice_org).role == Role.OWNER


def test_admin_can_change_member_role(client_for, dave, bob, alice_org):
    _post(
        client_for(dave),
        "org-member-role",
        alice_org,
        membership_of(bob, alice_org),
        {"role": "read_only"},
    )

    assert membership_of(bob, alice_org).role == Role.READ_ONLY


def test_owner_can_make_owner_and_it_is_audited(client_for, alice, bob, alice_org):
    _post(
        client_for(alice),
        "org-member-role",
        alice_org,
        membership_of(bob, alice_org),
        {"role": "owner"},
        REMOTE_ADDR="192.0.2.30",
    )

    membership = membership_of(bob, alice_org)
    assert membership.role == Role.OWNER
    assert membership.has(Permission.SIGN_LEGAL_DOCUMENTS)
    event = AuditEvent.objects.get(action="membership.role_changed")
    assert event.details == {"email": "bob@example.no", "old": "member", "new": "owner"}
    assert event.ip_address == "192.0.2.30"


def test_member_cannot_change_roles(client_for, bob, erin, alice_org):
    response = _post(
        client_for(bob),
        "org-member-role",
        alice_org,
        membership_of(erin, alice_org),
        {"role": "admin"},
    )

    assert response.status_code == 403
    assert membership_of(erin, alice_org).role == Role.READ_ONLY


def test_last_owner_cannot_be_demoted(client_for, alice, alice_org):
    _post(
        client_for(alice),
        "org-member-role",
        alice_org,
        membership_of(alice, alice_org),
        {"role": "admin"},
    )

    assert membership_of(alice, alice_org).role == Role.OWNER
    assert not AuditEvent.objects.filter(action="membership.role_changed").exists()


def test_last_owner_cannot_be_removed(client_for, alice, alice_org):
    _post(client_for(alice), "org-member-remove", alice_org, membership_of(alice, alice_org))

    assert Membership.objects.filter(user=alice, organization=alice_org).exists()


def test_one_of_two_owners_can_step_down(client_for, alice, bob, alice_org):
    Membership.objects.filter(user=bob).update(role=Role.OWNER)

    _post(
        client_for(alice),
        "org-member-role",
        alice_org,
        membership_of(alice, alice_org),
        {"role": "admin"},
    )

    assert membership_of(alice, alice_org).role == Role.ADMIN


def test_owner_removes_member_and_it_is_audited(client_for, alice, bob, alice_org):
    response = _post(
        client_for(alice), "org-member-remove", alice_org, membership_of(bob, alice_org)
    )

    assert response.url == reverse("org-members", args=[alice_org.slug])
    assert not Membership.objects.filter(user=bob).exists()
    event = AuditEvent.objects.get(action="membership.removed")
    assert event.details == {"email": "bob@example.no", "role": "member"}


def test_admin_cannot_remove_owner(client_for, alice, dave, alice_org):
    response = _post(
        client_for(dave), "org-member-remove", alice_org, membership_of(alice, alice_org)
    )

    assert response.status_code == 403
    assert Membership.objects.filter(user=alice).exists()


def test_member_actions_are_post_only(client_for, alice, bob, alice_org):
    url = reverse(
        "org-member-remove",
        kwargs={"org_slug": alice_org.slug, "membership_id": membership_of(bob, alice_org).pk},
    )

    assert client_for(alice).get(url).status_code == 405
    assert Membership.objects.filter(user=bob).exists()


def test_member_actions_require_csrf_token(alice, bob, alice_org):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = _post(client, "org-member-remove", alice_org, membership_of(bob, alice_org))

    assert response.status_code == 403
    assert Membership.objects.filter(user=bob).exists()


def test_owner_grants_signing(client_for, alice, bob, alice_org):
    _post(
        client_for(alice),
        "org-member-signing",
        alice_org,
        membership_of(bob, alice_org),
        {"may_sign": "true"},
    )

    membership = membership_of(bob, alice_org)
    assert membership.may_sign_legal_documents
    assert membership.has(Permission.SIGN_LEGAL_DOCUMENTS)
    assert AuditEvent.objects.filter(action="membership.signing_granted").count() == 1


def test_owner_revokes_signing(client_for, alice, bob, alice_org):
    Membership.objects.filter(user=bob).update(may_sign_legal_documents=True)

    _post(
        client_for(alice),
        "org-member-signing",
        alice_org,
        membership_of(bob, alice_org),
        {"may_sign": "false"},
    )

    assert not membership_of(bob, alice_org).has(Permission.SIGN_LEGAL_DOCUMENTS)
    assert AuditEvent.objects.filter(action="membership.signing_revoked").count() == 1


def test_admin_cannot_grant_signing(client_for, dave, bob, alice_org):
    response = _post(
        client_for(dave),
        "org-member-signing",
        alice_org,
        membership_of(bob, alice_org),
        {"may_sign": "true"},
    )

    assert response.status_code == 403
    assert not membership_of(bob, alice_org).may_sign_legal_documents


def test_owner_signing_cannot_be_revoked(client_for, alice, bob, alice_org):
    Membership.objects.filter(user=bob).update(role=Role.OWNER)

    _post(
        client_for(alice),
        "org-member-signing",
        alice_org,
        membership_of(bob, alice_org),
        {"may_sign": "false"},
    )

    assert membership_of(bob, alice_org).has(Permission.SIGN_LEGAL_DOCUMENTS)


def test_read_only_cannot_be_granted_signing(client_for, alice, erin, alice_org):
    _post(
        client_for(alice),
        "org-member-signing",
        alice_org,
        membership_of(erin, alice_org),
        {"may_sign": "true"},
    )

    assert not membership_of(erin, alice_org).may_sign_legal_documents


def test_demoting_owner_drops_signing(client_for, alice, bob, alice_org):
    Membership.objects.filter(user=bob).update(role=Role.OWNER, may_sign_legal_documents=True)

    _post(
        client_for(alice),
        "org-member-role",
        alice_org,
        membership_of(bob, alice_org),
        {"role": "member"},
    )

    assert not membership_of(bob, alice_org).has(Permission.SIGN_LEGAL_DOCUMENTS)
