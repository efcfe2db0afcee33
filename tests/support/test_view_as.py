"""View as customer: a reason, a banner, 30 minutes, read-only everywhere, in the owners' log."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from kredin.models import ApiToken, AuditEvent
from support.middleware import WRITES_ALLOWED
from support.models import ViewAsEnd, ViewAsSession
from tests.tenancy.test_cross_tenant_routes import _concrete_path, alice_objects, all_routes

pytestmark = pytest.mark.django_db

__all__ = ["alice_objects"]  # a fixture, imported to be used here
REASON = "Kunden ringte: brevet til Kunde AS ser feil ut"


def _start(client, organization, reason=REASON):
    return client.post(
        reverse("support:view-as-start", kwargs={"organization_id": organization.pk}),
        {"reason": reason},
    )


@pytest.fixture
def viewing(agent_client, alice_org):
    response = _start(agent_client, alice_org)
    assert response.status_code == 302
    return agent_client


@pytest.mark.parametrize("reason", ["", "   ", "fordi"])
def test_viewing_as_needs_a_reason(agent_client, alice_org, reason):
    _start(agent_client, alice_org, reason=reason)

    assert not ViewAsSession.objects.exists()
    assert (
        agent_client.get(reverse("org-home", kwargs={"org_slug": alice_org.slug})).status_code
        == 404
    )


def test_the_agent_sees_the_customers_pages_with_a_banner(viewing, alice_org):
    page = viewing.get(reverse("ledger:reskontro", kwargs={"org_slug": alice_org.slug}))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="view-as-banner"' in html and REASON in html
    audit = viewing.get(reverse("org-audit-log", kwargs={"org_slug": alice_org.slug}))
    assert audit.status_code == 200


def test_only_that_organisation(viewing, charlie_org):
    assert (
        viewing.get(reverse("org-home", kwargs={"org_slug": charlie_org.slug})).status_code == 404
    )


def test_the_start_and_the_end_are_in_the_owners_audit_log(
    viewing, alice, alice_org, agent, client_for
):
    viewing.post(reverse("support:view-as-end"))

    events = AuditEvent.objects.filter(organization=alice_org, actor=agent).order_by("id")
    assert [e.action for e in events] == ["support.view_as_started", "support.view_as_ended"]
    assert events[0].details["reason"] == REASON
    log = client_for(alice).get(reverse("org-audit-log", kwargs={"org_slug": alice_org.slug}))
    html = log.content.decode()
    assert "agent@kredin.no" in html and REASON in html
    assert viewing.get(reverse("org-home", kwargs={"org_slug": alice_org.slug})).status_code == 404


def test_it_ends_by_itself_after_30_minutes(viewing, alice_org):
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = viewing.get(reverse("org-home", kwargs={"org_slug": alice_org.slug}))

    assert response.status_code == 404
    session = ViewAsSession.objects.get()
    assert session.ended_how == ViewAsEnd.EXPIRED
    assert AuditEvent.objects.filter(
        organization=alice_org, action="support.view_as_ended", details__how="expired"
    ).exists()


def test_logging_out_ends_it(viewing):
    viewing.post(reverse("logout"))

    assert ViewAsSession.objects.get().ended_how == ViewAsEnd.LOGGED_OUT


def test_a_customer_cannot_start_one(client_for, alice, alice_org):
    response = _start(client_for(alice), alice_org)

    assert response.status_code == 404
    assert not ViewAsSession.objects.exists()


def _values(alice_objects, agent, alice_org) -> dict:
    values = {
        "organization_id": alice_org.pk,
        "user_id": agent.pk,
        "posting_id": alice_objects["voucher_id"],
        "uidb64": "MQ",
        "token": "not-a-token",
        "path": "x",
    }
    return {**values, **alice_objects}


def _path(route, values) -> str:
    for kwarg in route.kwargs:
        values.setdefault(kwarg, "1")
    return _concrete_path(route, values)


def test_no_route_takes_a_write_while_viewing(viewing, alice_objects, agent, alice_org):
    values = _values(alice_objects, agent, alice_org)
    tokens_before = ApiToken.objects.count()
    events_before = AuditEvent.objects.count()
    routes = [r for r in all_routes() if r.name not in WRITES_ALLOWED]
    assert len(routes) > 100
    wrote = []
    for route in routes:
        path = _path(route, values)
        for method in ("post", "put", "patch", "delete"):
            response = getattr(viewing, method)(path)
            if response.status_code != 403:
                wrote.append((method.upper(), path, response.status_code))

    assert not wrote, f"writes got through while viewing as the customer: {wrote}"
    assert ApiToken.objects.count() == tokens_before
    assert AuditEvent.objects.count() == events_before
    assert ViewAsSession.objects.get().ended_at is None


def test_api_writes_are_refused_with_a_code(viewing, alice_org):
    response = viewing.post(
        f"/api/v1/orgs/{alice_org.slug}/cases/", {"item_ids": [1]}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "view_as_read_only"


def test_every_page_of_the_organisation_reads_without_error(
    viewing, alice_objects, agent, alice_org
):
    values = _values(alice_objects, agent, alice_org)
    broken = []
    for route in all_routes():
        if "org_slug" not in route.kwargs:
            continue
        path = _path(route, values)
        response = viewing.get(path)
        if response.status_code >= 500:
            broken.append((path, response.status_code))

    assert not broken


def test_the_agent_is_offered_no_write_buttons(viewing, alice, alice_objects, client_for):
    reskontro = reverse("ledger:reskontro", kwargs={"org_slug": alice_objects["org_slug"]})

    assert "Start sak" in client_for(alice).get(reskontro).content.decode()
    assert "Start sak" not in viewing.get(reskontro).content.decode()
