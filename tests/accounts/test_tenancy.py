"""Charlie, in another organisation, finds nothing of alice's."""

import pytest
from django.urls import reverse

from kredin.models import Invitation, Membership
from tests.accounts.conftest import membership_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["org-settings", "org-members", "org-audit-log"])
def test_other_organizations_pages_are_404(client_for, charlie, alice_org, name):
    assert client_for(charlie).get(reverse(name, args=[alice_org.slug])).status_code == 404


def test_other_organizations_settings_cannot_be_posted(client_for, charlie, alice_org):
    response = client_for(charlie).post(
        reverse("org-settings", args=[alice_org.slug]), {"name": "Charlie owns this"}
    )

    assert response.status_code == 404
    alice_org.refresh_from_db()
    assert alice_org.name == "Alice Rørlegger AS"


def test_other_organizations_invite_is_404(client_for, charlie, alice_org):
    response = client_for(charlie).post(
        reverse("org-member-invite", args=[alice_org.slug]),
        {"email": "charlie2@example.no", "role": "owner"},
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("org-member-role", {"role": "read_only"}),
        ("org-member-remove", {}),
        ("org-member-signing", {"may_sign": "true"}),
    ],
)
def test_alices_membership_ids_are_404_for_charlie(client_for, charlie, bob, alice_org, name, data):
    bob_membership = membership_of(bob, alice_org)
    client = client_for(charlie)

    # Neither through alice's organisation nor smuggled into charlie's own URL.
    via_alice = client.post(
        reverse(name, kwargs={"org_slug": alice_org.slug, "membership_id": bob_membership.pk}),
        data,
    )
    via_own = client.post(
        reverse(name, kwargs={"org_slug": "charlie-bygg", "membership_id": bob_membership.pk}),
        data,
    )

    assert via_alice.status_code == 404
    assert via_own.status_code == 404
    unchanged = Membership.objects.get(pk=bob_membership.pk)
    assert (unchanged.role, unchanged.may_sign_legal_documents) == ("member", False)


def test_anonymous_visitor_is_sent_to_login(client, alice_org):
    response = client.get(reverse("org-members", args=[alice_org.slug]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_alices_invitation_ids_are_404_for_charlie(client_for, alice, charlie, alice_org):
    invitation = Invitation.objects.create(
        organization=alice_org, email="frida@example.no", role="member", invited_by=alice
    )
    client = client_for(charlie)

    for slug in (alice_org.slug, "charlie-bygg"):
        response = client.post(reverse("org-invitation-revoke", args=[slug, invitation.pk]))
        assert response.status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()
