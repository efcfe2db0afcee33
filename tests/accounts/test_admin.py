import pytest
from django.urls import reverse

from kredin.models import User
from tests.support.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    verified_login(
        client, django_user_model.objects.create_superuser(email="root@example.no", password="x")
    )
    return client


@pytest.mark.parametrize(
    "name",
    [
        "admin:kredin_user_changelist",
        "admin:kredin_user_add",
        "admin:kredin_organization_changelist",
        "admin:kredin_membership_changelist",
        "admin:kredin_invitation_changelist",
        "admin:kredin_auditevent_changelist",
    ],
)
def test_admin_pages_render(staff_client, alice, name):
    assert staff_client.get(reverse(name)).status_code == 200


def test_admin_creates_user_by_email(staff_client):
    password = "a-long-pass-phrase-9"
    response = staff_client.post(
        reverse("admin:kredin_user_add"),
        {
            "email": "new@example.no",
            "password1": password,
            "password2": password,
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(email="new@example.no").check_password(password)


def test_admin_never_shows_invitation_token(staff_client, alice, alice_org):
    from kredin.models import Invitation

    invitation = Invitation.objects.create(
        organization=alice_org, email="x@example.no", role="member"
    )

    html = staff_client.get(
        reverse("admin:kredin_invitation_change", args=[invitation.pk])
    ).content.decode()

    assert "x@example.no" in html
    assert invitation.token not in html
