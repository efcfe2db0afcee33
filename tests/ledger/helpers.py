"""Small helpers for reading reskontro pages in tests."""

from __future__ import annotations

import re

from django.urls import reverse


def page_url(name: str, org_slug: str = "alice-ror", **kwargs) -> str:
    return reverse(f"ledger:{name}", kwargs={"org_slug": org_slug, **kwargs})


# The reskontro pages' sync endpoints belong to integrations' API.
_INTEGRATION_ROUTES = {"sync-run-list", "sync-run-detail", "integration-sync"}


def api_url(name: str, org_slug: str = "alice-ror", **kwargs) -> str:
    namespace = "integrations-api" if name in _INTEGRATION_ROUTES else "ledger-api"
    return reverse(f"{namespace}:{name}", kwargs={"org_slug": org_slug, **kwargs})


def item_ids(response) -> list[int]:
    """Open-item ids in the order the list shows them."""
    return [int(i) for i in re.findall(r'data-item-id="(\d+)"', response.content.decode())]


def customer_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-customer-id="(\d+)"', response.content.decode())]


def flag_customer(customer, **flags):
    """Give a customer the register state enrichment would leave (bankrupt=True, ...)."""
    from brreg.models import CustomerEnrichment, MatchStatus
    from kredin.tenancy import organization_scope

    with organization_scope(customer.organization_id):
        CustomerEnrichment.objects.create(
            customer=customer, match=flags.pop("match", MatchStatus.EXACT), **flags
        )
