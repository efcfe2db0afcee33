"""Rate limits per address and per account on every page that can be hammered."""

import pytest
from django.urls import reverse

from kredin.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_limits(settings):
    settings.KREDIN_RATE_LIMITS = {name: "3/h" for name in settings.KREDIN_RATE_LIMITS}


def _attempts(client, url, data_for, n, **extra):
    return [client.post(url, data_for(i), **extra).status_code for i in range(n)]


def test_log_in_is_limited_per_account_across_addresses(client, alice, tight_limits):
    codes = [
        client.post(
            reverse("login"),
            {"username": "ALICE@example.no", "password": "wrong"},
            REMOTE_ADDR=f"198.51.100.{i}",
        ).status_code
        for i in range(4)
    ]

    assert codes == [200, 200, 200, 429]
    event = AuditEvent.objects.get(action="security.rate_limited")
    assert event.details == {"page": "login"}


def test_log_in_is_limited_per_address_across_accounts(client, tight_limits):
    codes = _attempts(
        client,
        reverse("login"),
        lambda i: {"username": f"user{i}@example.no", "password": "wrong"},
        4,
        REMOTE_ADDR="203.0.113.5",
    )

    assert codes == [200, 200, 200, 429]
    other_address = client.post(
        reverse("login"),
        {"username": "someone@example.no", "password": "wrong"},
        REMOTE_ADDR="203.0.113.6",
    )
    assert other_address.status_code == 200


def test_the_limited_page_explains_itself_in_norwegian(client, tight_limits):
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "x@example.no", "password": "y"})

    assert response.status_code == 429
    assert "For mange forsøk" in response.content.decode()


def test_password_reset_is_limited_per_account(client, alice, tight_limits, mailoutbox):
    codes = [
        client.post(
            reverse("password_reset"), {"email": "alice@example.no"}, REMOTE_ADDR=f"10.0.0.{i}"
        ).status_code
        for i in range(4)
    ]

    assert codes == [302, 302, 302, 429]
    assert len(mailoutbox) == 3


def test_signup_is_limited_per_address(client, tight_limits):
    codes = _attempts(client, reverse("signup"), lambda i: {"email": f"p{i}@example.no"}, 4)

    assert codes == [400, 400, 400, 429]


def test_confirmation_links_are_limited_per_account(client, tight_limits):
    url = reverse("email-confirm", kwargs={"uidb64": "MQ", "token": "abc-def"})

    codes = [
        client.post(url, {"password": "x"}, REMOTE_ADDR=f"10.0.1.{i}").status_code for i in range(4)
    ]

    assert codes == [410, 410, 410, 429]


def test_sending_invitations_is_limited_per_person(client_for, alice, alice_org, tight_limits):
    client = client_for(alice)
    url = reverse("org-member-invite", kwargs={"org_slug": alice_org.slug})

    codes = _attempts(client, url, lambda i: {"email": f"n{i}@example.no", "role": "member"}, 4)

    assert codes == [302, 302, 302, 429]


def test_a_flood_leaves_one_audit_event_a_minute_not_one_per_request(client, tight_limits):
    for _ in range(10):
        client.post(reverse("login"), {"username": "x@example.no", "password": "y"})

    assert AuditEvent.objects.filter(action="security.rate_limited").count() == 1
