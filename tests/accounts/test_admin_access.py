"""The Django admin opens for superusers who passed the second factor, and no one else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.support.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser(email="root@kredin.no", password=PASSWORD)


def test_a_verified_superuser_opens_the_admin(client, root):
    verified_login(client, root)

    assert client.get(reverse("admin:index")).status_code == 200


def test_a_superuser_without_the_code_is_sent_to_the_code_step(client, root):
    client.force_login(root)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login-second-factor"))


def test_a_support_agent_who_is_no_superuser_gets_404(client, django_user_model):
    agent = django_user_model.objects.create_user(
        email="agent@kredin.no", password=PASSWORD, is_staff=True
    )
    verified_login(client, agent)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 404


def test_a_customer_gets_404_and_a_visitor_the_log_in_page(client, alice):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))

    client.force_login(alice)
    assert client.get(reverse("admin:index"), follow=True).status_code == 404


def test_the_admins_own_log_in_form_is_not_offered(client, root):
    response = client.post(reverse("admin:login"), {"username": root.email, "password": PASSWORD})

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
