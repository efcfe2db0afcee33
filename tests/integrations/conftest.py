"""Fixtures for integration tests against the Business NXT and Visma Connect stand-ins.

`sandbox_integration` is the one to reuse: alice's organisation with an ACTIVE Business NXT
integration connected to a freshly seeded sandbox company, served over real HTTP by the
live server. It yields a `SandboxIntegration` with:

- `integration`: the Integration row (fetch from `FETCH_FROM`, 1 day past due),
  with encrypted credentials from a real sandbox grant;
- `company_no`: the sandbox company's number (for `sandbox.nxt.ledger` / `faults` helpers);
- `url`: the live server's base URL;
- `sync(kind="full")`: create a SyncRun and run it in-process, returning the run;
- `mirror()`: every Customer, OpenItem and LedgerTransaction row of the organisation as
  comparable tuples (timestamps left out).

Client retries wait milliseconds instead of seconds here, and the outbound timeout is 2 s.
The fixture uses the live server, so the test database is transactional (flushed after
each test) and tests run inside `organization_scope(alice_org)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from integrations.models import Integration, IntegrationStatus, SyncKind, SyncRun, SyncTrigger
from integrations.oauth import credential_store
from integrations.ratelimit import shared_limiter
from integrations.sync import sync_run_execute
from kredin.tenancy import organization_scope
from ledger.models import Customer, LedgerTransaction, OpenItem
from sandbox import conf
from sandbox.connect import tokens
from sandbox.models import ConnectClient, Grant, SandboxUser
from sandbox.nxt import limits
from sandbox.seeding import seed_company

GRAPHQL_PATH = "/sandbox/businessnxt/api/graphql"
CONNECT_PATH = "/sandbox/visma-connect"
COMPANY_NO = 9112233
SEED_CUSTOMERS = 25
SEED_INVOICES = 150


def fetch_from() -> date:
    """Two years back: the seed spreads invoices over three, so some fall outside."""
    return timezone.localdate() - timedelta(days=730)


def sandbox_token(base_url: str, *, scope: str = "") -> dict:
    """A token response for the demo user, as Visma Connect would hand it to Kredin."""
    user = SandboxUser.objects.get(email=conf.DEMO_EMAIL)
    client = ConnectClient.objects.get(client_id=conf.client_id())
    grant = Grant.objects.create(
        client=client,
        user=user,
        tenant=user.customers.first(),
        scope=scope or f"openid profile email offline_access {conf.USER_SCOPE}",
    )
    endpoints = tokens.Endpoints(
        issuer=f"{base_url}{CONNECT_PATH}",
        graphql=f"{base_url}{GRAPHQL_PATH}",
        graphql_service=f"{base_url}{GRAPHQL_PATH}-service",
    )
    return tokens.issue_tokens(grant, endpoints)


def mirror_rows() -> dict[str, list[tuple]]:
    """The whole mirror of the organisation in scope, without timestamps or surrogate keys."""
    return {
        "customers": sorted(
            Customer.objects.values_list(
                "external_id",
                "customer_no",
                "name",
                "organization_number",
                "address_line1",
                "post_code",
                "city",
                "email",
                "phone",
                "ledger_data",
                "integration_id",
            )
        ),
        "items": sorted(
            OpenItem.objects.values_list(
                "external_id",
                "customer__external_id",
                "kind",
                "invoice_no",
                "voucher_no",
                "voucher_date",
                "due_date",
                "kid",
                "amount",
                "outstanding",
                "status",
                "text",
                "integration_id",
            )
        ),
        "transactions": sorted(
            LedgerTransaction.objects.values_list(
                "external_id",
                "customer__external_id",
                "kind",
                "invoice_no",
                "voucher_no",
                "voucher_date",
                "due_date",
                "amount",
                "outstanding",
                "text",
                "integration_id",
            )
        ),
    }


@dataclass
class SandboxIntegration:
    integration: Integration
    company_no: int
    url: str

    def sync(self, kind: str = SyncKind.FULL, trigger: str = SyncTrigger.MANUAL) -> SyncRun:
        run = SyncRun.objects.create(integration=self.integration, kind=kind, trigger=trigger)
        sync_run_execute(run_id=run.pk)
        run.refresh_from_db()
        self.integration.refresh_from_db()
        return run

    def mirror(self) -> dict[str, list[tuple]]:
        return mirror_rows()


@pytest.fixture
def fast_client_retries(settings):
    settings.BUSINESS_NXT_RETRY_WAIT_SECONDS = 0.01
    settings.BUSINESS_NXT_RETRY_WAIT_MAX_SECONDS = 0.05
    settings.OUTBOUND_HTTP_TIMEOUT = 2.0
    settings.BUSINESS_NXT_REQUESTS_PER_MINUTE = 100_000
    shared_limiter.cache_clear()
    limits.reset()
    yield
    shared_limiter.cache_clear()
    limits.reset()


@pytest.fixture
def sandbox_company(transactional_db):
    """A seeded sandbox company (25 customers, 150 invoices with payments and credit notes)."""
    return seed_company(
        customers=SEED_CUSTOMERS,
        invoices=SEED_INVOICES,
        seed=7,
        today=timezone.localdate(),
        company_no=COMPANY_NO,
    ).company


@pytest.fixture
def sandbox_integration(
    live_server, settings, fast_client_retries, sandbox_company, alice_org, alice
):
    settings.BUSINESS_NXT_GRAPHQL_URL = f"{live_server.url}{GRAPHQL_PATH}"
    settings.VISMA_CONNECT_URL = f"{live_server.url}{CONNECT_PATH}"
    with organization_scope(alice_org):
        integration = Integration.objects.create(
            status=IntegrationStatus.ACTIVE,
            visma_company_id=sandbox_company.company_no,
            company_name=sandbox_company.name,
            fetch_from_date=fetch_from(),
            days_past_due=1,
            activated_at=timezone.now(),
            created_by=alice,
        )
        credential_store(integration=integration, token=sandbox_token(live_server.url))
        yield SandboxIntegration(
            integration=integration, company_no=sandbox_company.company_no, url=live_server.url
        )
