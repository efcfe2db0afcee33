import pytest
from django.urls import reverse

from kredin.models import Membership
from kredin.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_in_two(alice, charlie_org):
    Membership.objects.create(organization=charlie_org, user=alice, role=Role.MEMBER)
    return alice


def test_switch_goes_to_chosen_organization(client_for, alice_in_two, charlie_org):
    response = client_for(alice_in_two).get(
        reverse("switch-organization"), {"org": charlie_org.slug}
    )

    assert response.url == reverse("org-home", kwargs={"org_slug": charlie_org.slug})


def test_switch_refuses_organization_user_is_not_in(client_for, alice, charlie_org):
    response = client_for(alice).get(reverse("switch-organization"), {"org": charlie_org.slug})

    assert response.url == reverse("home")


def test_header_offers_switch_for_user_in_several_organizations(
    client_for, alice_in_two, alice_org, charlie_org
):
    body = client_for(alice_in_two).get(reverse("org-settings", args=[alice_org.slug]))
    html = body.content.decode()

    assert 'id="org-switch"' in html
    assert f'value="{charlie_org.slug}"' in html


def test_home_lists_organizations_for_user_in_several(client_for, alice_in_two, charlie_org):
    response = client_for(alice_in_two).get(reverse("home"))

    assert response.status_code == 200
    assert charlie_org.name in response.content.decode()
    assert "Medlem" in response.content.decode()


def test_each_organization_page_uses_its_own_role(client_for, alice_in_two, charlie_org):
    # Owner in her own organisation, only a member in charlie's: no audit log there.
    client = client_for(alice_in_two)

    assert client.get(reverse("org-audit-log", args=["alice-ror"])).status_code == 200
    assert client.get(reverse("org-audit-log", args=[charlie_org.slug])).status_code == 403
