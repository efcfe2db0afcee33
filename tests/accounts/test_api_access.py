import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from kredin.models import AuditEvent

pytestmark = pytest.mark.django_db


def _page(org):
    return reverse("org-api-access", kwargs={"org_slug": org.slug})


def test_a_created_token_authenticates_api_calls_for_the_persons_organisations(
    alice, alice_org, charlie_org, client_for
):
    response = client_for(alice).post(_page(alice_org), {"action": "rotate"})
    key = response.context["new_token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    own = api.get(reverse("organization-detail", kwargs={"org_slug": alice_org.slug}))
    assert own.status_code == 200 and own.json()["slug"] == alice_org.slug
    other = api.get(reverse("organization-detail", kwargs={"org_slug": charlie_org.slug}))
    assert other.status_code == 404
    assert AuditEvent.objects.filter(action="api_token.created", actor=alice).exists()


def test_rotating_invalidates_the_old_token_and_the_page_never_shows_it_again(
    alice, alice_org, client_for
):
    client = client_for(alice)
    first = client.post(_page(alice_org), {"action": "rotate"}).context["new_token"]
    second = client.post(_page(alice_org), {"action": "rotate"}).context["new_token"]
    assert first != second
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert (
        api.get(reverse("organization-detail", kwargs={"org_slug": alice_org.slug})).status_code
        == 401
    )
    assert second not in client.get(_page(alice_org)).content.decode()


def test_revoking_removes_the_token(alice, alice_org, client_for):
    client = client_for(alice)
    key = client.post(_page(alice_org), {"action": "rotate"}).context["new_token"]
    client.post(_page(alice_org), {"action": "revoke"})
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert (
        api.get(reverse("organization-detail", kwargs={"org_slug": alice_org.slug})).status_code
        == 401
    )


def test_bad_token_gets_the_consistent_error_body(alice_org):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token nope")
    body = api.get(reverse("organization-detail", kwargs={"org_slug": alice_org.slug})).json()
    assert body["error"]["code"] == "authentication_failed"
