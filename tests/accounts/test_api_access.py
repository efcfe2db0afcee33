"""API keys: one organisation each, stored as a hash, shown once, audited there."""

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from kredin.models import ApiToken, AuditEvent, Membership
from kredin.permissions import Role

pytestmark = pytest.mark.django_db


def _page(org):
    return reverse("org-api-access", kwargs={"org_slug": org.slug})


def _detail(org):
    return reverse("organization-detail", kwargs={"org_slug": org.slug})


def _api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _create(client, org, name="Rapport") -> str:
    return client.post(_page(org), {"action": "create", "name": name}).context["new_key"]


def test_a_key_works_in_its_own_organisation_and_is_audited_there(alice, alice_org, client_for):
    key = _create(client_for(alice), alice_org)

    response = _api(key).get(_detail(alice_org))

    assert response.status_code == 200 and response.json()["slug"] == alice_org.slug
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.organization == alice_org and event.actor == alice
    assert key not in str(event.details)


def test_a_key_answers_404_in_another_organisation_of_the_same_person(
    alice, alice_org, charlie_org, client_for
):
    Membership.objects.create(organization=charlie_org, user=alice, role=Role.OWNER)
    key = _create(client_for(alice), alice_org)

    assert _api(key).get(_detail(charlie_org)).status_code == 404
    assert client_for(alice).get(_detail(charlie_org)).status_code == 200  # her session can


def test_only_a_hash_of_the_key_is_stored(alice, alice_org, client_for):
    key = _create(client_for(alice), alice_org)

    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.key_hash, token.prefix, token.name}
    assert key.startswith(token.prefix)


def test_the_page_shows_the_key_once(alice, alice_org, client_for):
    client = client_for(alice)
    key = _create(client, alice_org)

    page = client.get(_page(alice_org)).content.decode()

    assert key not in page
    assert ApiToken.objects.get().prefix in page


def test_deleting_a_key_stops_it_and_is_audited(alice, alice_org, client_for):
    client = client_for(alice)
    key = _create(client, alice_org)
    token = ApiToken.objects.get()

    client.post(_page(alice_org), {"action": "delete", "token_id": token.pk})

    assert _api(key).get(_detail(alice_org)).status_code == 401
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.organization == alice_org and event.details["reason"] == "deleted"


def test_nobody_deletes_another_persons_key(alice, bob, alice_org, client_for):
    key = _create(client_for(alice), alice_org)
    token = ApiToken.objects.get()

    response = client_for(bob).post(_page(alice_org), {"action": "delete", "token_id": token.pk})

    assert response.status_code == 404
    assert _api(key).get(_detail(alice_org)).status_code == 200


def test_leaving_the_organisation_ends_the_persons_keys_there(alice, bob, alice_org, client_for):
    key = _create(client_for(bob), alice_org)
    membership = Membership.objects.get(user=bob)

    client_for(alice).post(
        reverse(
            "org-member-remove", kwargs={"org_slug": alice_org.slug, "membership_id": membership.pk}
        )
    )

    assert not ApiToken.objects.exists()
    assert _api(key).get(_detail(alice_org)).status_code == 401


def test_bad_key_gets_the_consistent_error_body(alice_org):
    body = _api("kr_nope").get(_detail(alice_org)).json()

    assert body["error"]["code"] == "authentication_failed"


def test_keys_are_throttled_per_key(alice, alice_org, client_for, monkeypatch):
    from kredin.api.throttling import PerTokenRateThrottle

    monkeypatch.setattr(PerTokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    client = client_for(alice)
    first, second = _create(client, alice_org, "a"), _create(client, alice_org, "b")

    codes = [_api(first).get(_detail(alice_org)).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    assert _api(second).get(_detail(alice_org)).status_code == 200
