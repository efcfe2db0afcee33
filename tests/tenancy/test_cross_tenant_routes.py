"""Every URL pattern and API route, walked as charlie against alice's objects.

A route that takes the organisation from the URL must answer charlie with 404 (never
403, never data). A route without an organisation must be on the public list below.
Adding a route that is neither makes this test fail, on purpose.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from integrations.models import Integration, IntegrationStatus, SyncRun
from kredin.models import Membership
from ledger.models import Customer

pytestmark = pytest.mark.django_db

# Routes that do not belong to one organisation, and why each is safe.
PUBLIC_ROUTES = {
    "home": "redirects to the user's own organisation",
    "login": "log-in form",
    "login-second-factor": "staff's code step, only after their password (or signed in)",
    "logout": "log-out",
    "signup": "sign-up asks for a new organisation, created once the address is confirmed",
    "signup-sent": "the same 'check your e-mail' page for every address",
    "email-confirm": "guarded by a signed, expiring token and the sign-up password",
    "email-resend": "answers the same whatever the address",
    "account": "the logged-in person's own account page",
    "password-change": "the logged-in person's own password",
    "organization-new": "creates an organisation the person then owns",
    "password_reset*": "password reset by e-mail",
    "invitation-accept": "guarded by an unguessable token",
    "switch-organization": "checks membership before redirecting",
    "set_language": "language choice",
    "healthz": "health check, no data",
    "api-schema": "the OpenAPI document, no data; signed-in people only",
    "api-docs": "API documentation page, no data; signed-in people only",
    "visma-connect-callback": "checks the pending authorization's organisation membership",
    "businessnxt-webhook": "HMAC-signed; triggers syncs only",
    "admin:*": "Django admin: superusers with a verified second factor only",
    "support:*": "Kredin staff with a verified second factor only (tests/support)",
    "sandbox*": "stand-ins for outside services, demo and tests only",
    "sandbox_brreg*": "stand-in for the business register, demo and tests only",
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: object

    @property
    def kwargs(self) -> list[str]:
        import re

        return re.findall(r"<(?:\w+:)?(\w+)>", self.pattern)


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            child_namespace = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), child_namespace)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            full_name = f"{namespace}:{name}" if namespace else name
            yield Route(
                name=full_name.strip(":"),
                pattern=prefix + str(entry.pattern),
                callback=entry.callback,
            )


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _is_public(route: Route) -> bool:
    label = route.name or route.pattern
    if route.pattern.startswith(("sandbox/", "admin/", "static/")):
        return True
    return any(fnmatch.fnmatch(label, pattern) for pattern in PUBLIC_ROUTES)


def _concrete_path(route: Route, values: dict[str, object]) -> str:
    import re

    path = route.pattern
    for kwarg in route.kwargs:
        path = re.sub(rf"<(?:\w+:)?{kwarg}>", str(values[kwarg]), path)
    # Drop regex anchors that some included patterns carry.
    return "/" + path.replace("^", "").replace("$", "")


@pytest.fixture
def alice_objects(alice, bob, alice_org, in_alice_scope):
    integration = Integration.objects.create(
        status=IntegrationStatus.ACTIVE, visma_company_id=123, company_name="Alice Firma"
    )
    run = SyncRun.objects.create(integration=integration, kind="full", trigger="manual")
    customer = Customer.objects.create(
        integration=integration, external_id="10001", name="Kunde AS"
    )
    from ledger.models import OpenItem

    item = OpenItem.objects.create(
        integration=integration,
        customer=customer,
        external_id="1:1",
        amount="100.00",
        outstanding="100.00",
    )
    from kredin.models import Invitation

    invitation = Invitation.objects.create(
        organization=alice_org, email="new@example.no", role="member", invited_by=alice
    )
    from debt_collection.services.cases import cases_start
    from kredin.clock import today_in_norway

    item.due_date = today_in_norway() - timedelta(days=30)
    item.save(update_fields=["due_date"])
    [case] = cases_start(
        membership=Membership.objects.get(user=alice), item_ids=[item.pk], on=today_in_norway()
    )
    document = case.documents.first()
    from debt_collection.models import Delivery, PrintBatch

    delivery = Delivery.objects.create(
        document=document, channel="post", provider="print_queue", recipient="Kunde AS"
    )
    batch = PrintBatch.objects.create(pdf="print/x.pdf", pdf_sha256="0" * 64)
    from debt_collection.models import VoucherPosting

    voucher = VoucherPosting.objects.create(
        case=case,
        integration=integration,
        key="KRDTEST000001",
        customer_no=10001,
        voucher_date=today_in_norway(),
        costs="38.00",
        interest="120.00",
        status="failed",
    )
    return {
        "org_slug": alice_org.slug,
        "case_id": case.pk,
        "document_id": document.pk,
        "delivery_id": delivery.pk,
        "batch_id": batch.pk,
        "voucher_id": voucher.pk,
        "invitation_id": invitation.pk,
        "integration_id": integration.pk,
        "run_id": run.pk,
        "customer_id": customer.pk,
        "item_id": item.pk,
        "open_item_id": item.pk,
        "membership_id": Membership.objects.get(user=bob).pk,
        "notification_id": _alice_notification(alice, alice_org),
        "objection_id": _alice_objection(case),
    }


def _alice_objection(case) -> int:
    from debt_collection.models import Objection

    return Objection.objects.create(
        case=case, raised_on=case.started_on, received_via="letter", text="Uenig i kravet"
    ).pk


def _alice_notification(alice, alice_org) -> int:
    from kredin.models import Notification

    return Notification.objects.create(
        organization=alice_org, user=alice, kind="voucher_failed", params={"case": 1}
    ).pk


def test_every_route_is_tenant_scoped_or_declared_public():
    undeclared = [r for r in all_routes() if "org_slug" not in r.kwargs and not _is_public(r)]
    assert not undeclared, (
        "Routes outside /o/<org_slug>/ and /api/v1/orgs/<org_slug>/ must be declared public "
        f"with a reason in PUBLIC_ROUTES: {[(r.name, r.pattern) for r in undeclared]}"
    )


def test_charlie_gets_404_on_every_route_with_alices_objects(
    alice_objects, charlie, client_for, api_client_for
):
    tenant_routes = [r for r in all_routes() if "org_slug" in r.kwargs]
    assert len(tenant_routes) >= 10, "the route walk found suspiciously few routes"
    page_client = client_for(charlie)
    api_client = api_client_for(charlie)
    failures = []
    for route in tenant_routes:
        missing = [k for k in route.kwargs if k not in alice_objects]
        assert not missing, (
            f"{route.name} ({route.pattern}) takes {missing}: give alice_objects an object for it"
        )
        path = _concrete_path(route, alice_objects)
        client = api_client if route.pattern.startswith("api/") else page_client
        for method in ("get", "post", "put", "patch", "delete"):
            response = getattr(client, method)(path)
            if response.status_code not in (404, 405):
                failures.append((method.upper(), path, response.status_code))
    assert not failures, f"charlie reached alice's organisation: {failures}"


def test_anonymous_visitors_get_the_login_page_or_401(alice_objects, client):
    for route in all_routes():
        if "org_slug" not in route.kwargs:
            continue
        path = _concrete_path(route, alice_objects)
        response = client.get(path)
        if route.pattern.startswith("api/"):
            assert response.status_code in (401, 403), (path, response.status_code)
        else:
            assert response.status_code == 302 and "/logg-inn/" in response["Location"], (
                path,
                response.status_code,
            )
