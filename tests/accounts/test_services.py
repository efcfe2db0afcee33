"""Services refuse forbidden changes on their own, whatever view calls them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kredin import services
from kredin.models import AuditEvent, Membership, Organization
from kredin.permissions import Role
from tests.accounts.conftest import membership_of

pytestmark = pytest.mark.django_db


def test_actor_from_another_organization_is_refused(alice, bob, charlie, alice_org, charlie_org):
    with pytest.raises(PermissionDenied):
        services.membership_role_change(
            membership=membership_of(bob, alice_org),
            actor_membership=membership_of(charlie, charlie_org),
            role=Role.ADMIN,
        )
    assert membership_of(bob, alice_org).role == Role.MEMBER


def test_organization_create_rejects_invalid_number(alice):
    with pytest.raises(ValidationError):
        services.organization_create(name="X AS", organization_number="123456789", owner=alice)
    assert not Organization.objects.filter(name="X AS").exists()


def test_organization_create_makes_owner_who_may_sign(alice):
    organization = services.organization_create(
        name="Ny Bedrift AS", organization_number="974760673", owner=alice
    )

    membership = Membership.objects.get(organization=organization, user=alice)
    assert membership.role == Role.OWNER
    assert membership.may_sign_legal_documents
    assert AuditEvent.objects.filter(organization=organization, action="membership.joined")


def test_invitation_accept_refuses_other_email(alice, bob, alice_org, charlie, charlie_org):
    invitation = services.invitation_create(
        organization=charlie_org,
        actor_membership=membership_of(charlie, charlie_org),
        email="someone@example.no",
        role=Role.MEMBER,
    )

    with pytest.raises(services.AccountsError):
        services.invitation_accept(invitation=invitation, user=bob)
    assert not Membership.objects.filter(user=bob, organization=charlie_org).exists()
