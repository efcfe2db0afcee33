"""The API describes itself (OpenAPI schema, Swagger UI) and fails in one body shape."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

OPENAPI_JSON = "application/vnd.oai.openapi+json"


def assert_error_body(body: dict, code: str) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


@pytest.fixture
def client(client, alice):
    """The schema and the docs are for signed-in people."""
    client.force_login(alice)
    return client


def test_schema_and_docs_need_a_signed_in_person(alice):
    from django.test import Client

    anonymous = Client()

    schema = anonymous.get(reverse("api-schema"), HTTP_ACCEPT=OPENAPI_JSON)
    docs = anonymous.get(reverse("api-docs"))

    assert schema.status_code == 401
    assert docs.status_code == 302 and reverse("login") in docs["Location"]


def test_schema_is_a_valid_openapi_document(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT=OPENAPI_JSON)

    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # raises on a document that breaks the OpenAPI 3 JSON schema
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Kredin API"


def test_schema_lists_the_organisation_endpoint(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT=OPENAPI_JSON)

    assert "/api/v1/orgs/{org_slug}/" in json.loads(response.content)["paths"]


def test_api_docs_page_renders(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    assert b"swagger-ui" in response.content.lower()
    # Served from this deployment, so the page works without reaching a CDN.
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content
    assert b"cdn.jsdelivr.net" not in response.content


def test_unauthenticated_api_call_gets_the_error_body(alice_org):
    response = APIClient().get(reverse("organization-detail", args=[alice_org.slug]))

    assert response.status_code == 401
    assert_error_body(response.json(), "not_authenticated")


def test_api_call_for_another_organisation_gets_404_in_the_error_body(
    api_client_for, charlie, alice_org
):
    response = api_client_for(charlie).get(reverse("organization-detail", args=[alice_org.slug]))

    assert response.status_code == 404
    assert_error_body(response.json(), "not_found")
