"""Every sandbox ``_control/`` switch answers only requests carrying the shared secret."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sandbox.control import control_secret_required
from sandbox.models import CustomerTransaction, Fault, Grant
from tests.sandbox.conftest import ENDPOINTS
from tests.sandbox.control import CONTROL_SECRET_HEADER, control_headers, control_post

pytestmark = pytest.mark.django_db


def _control_paths() -> list[str]:
    """Every URL below the project's root whose route has a ``_control/`` part."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "_control/" in route:
                yield "/" + route

    return sorted(walk(get_resolver().url_patterns, ""))


CONTROL_PATHS = _control_paths()


def test_the_known_switches_are_all_found():
    assert "/sandbox/visma-connect/_control/revoke" in CONTROL_PATHS
    assert {
        f"/sandbox/businessnxt/_control/{action}"
        for action in (
            "payment",
            "credit-note",
            "invoice",
            "change-row",
            "fault",
            "clear-faults",
            "reset-limits",
        )
    } <= set(CONTROL_PATHS)


@pytest.mark.parametrize("path", CONTROL_PATHS)
@pytest.mark.parametrize(
    "headers",
    [{}, {CONTROL_SECRET_HEADER: ""}, {CONTROL_SECRET_HEADER: "test-sandbox-control-secreT"}],
    ids=["no-header", "empty", "wrong"],
)
def test_a_switch_without_the_right_secret_is_forbidden(path, headers, settings):
    settings.SANDBOX_CONTROL_SECRET = "test-sandbox-control-secret"
    response = Client().post(
        path, data=json.dumps({}), content_type="application/json", headers=headers
    )
    assert response.status_code == 403
    assert CONTROL_SECRET_HEADER in response.json()["error"]


@pytest.mark.parametrize("path", CONTROL_PATHS)
def test_every_switch_is_behind_the_one_guard(path):
    view = get_resolver().resolve(path).func
    assert view.__code__ is control_secret_required(lambda request: None).__code__


@pytest.mark.parametrize("given", ["", "anything"])
def test_an_empty_setting_refuses_every_request(settings, given):
    settings.SANDBOX_CONTROL_SECRET = ""
    response = Client().post(
        "/sandbox/businessnxt/_control/fault",
        data=json.dumps({"company_no": 1, "kind": "http_500"}),
        content_type="application/json",
        headers={CONTROL_SECRET_HEADER: given},
    )
    assert response.status_code == 403
    assert not Fault.objects.exists()


def test_a_refused_switch_changes_nothing(company):
    invoice = (
        CustomerTransaction.objects.filter(company=company, voucher_type=1)
        .exclude(outstanding_amount_domestic=0)
        .first()
    )
    response = Client().post(
        "/sandbox/businessnxt/_control/payment",
        data=json.dumps({"company_no": company.company_no, "invoice_no": invoice.invoice_no}),
        content_type="application/json",
        headers={CONTROL_SECRET_HEADER: "guess"},
    )
    assert response.status_code == 403
    before = invoice.outstanding_amount_domestic
    invoice.refresh_from_db()
    assert invoice.outstanding_amount_domestic == before


def test_revoke_switch_with_the_secret_revokes_and_without_it_does_not(demo_user, demo_client):
    from sandbox.connect import tokens

    grant = Grant.objects.create(client=demo_client, user=demo_user, scope="openid offline_access")
    refresh = tokens.issue_tokens(grant, ENDPOINTS)["refresh_token"]
    refused = Client().post(
        "/sandbox/visma-connect/_control/revoke",
        data=json.dumps({"refresh_token": refresh}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    grant.refresh_from_db()
    assert not grant.revoked
    allowed = control_post("/sandbox/visma-connect/_control/revoke", {"refresh_token": refresh})
    assert allowed.json() == {"revoked": True}
    grant.refresh_from_db()
    assert grant.revoked and grant.revoked_at is not None


def test_a_switch_with_the_secret_needs_no_csrf_token(company):
    """Scripts (bench/run.py) post with requests, not a browser: the guard keeps csrf_exempt."""
    response = Client(enforce_csrf_checks=True).post(
        "/sandbox/businessnxt/_control/reset-limits",
        data="{}",
        content_type="application/json",
        headers=control_headers(),
    )
    assert response.status_code == 200
    assert response.json() == {"reset": True}
