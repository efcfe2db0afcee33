"""Which client talks to an integration's accounting system (one place to add Tripletex etc.)."""

from __future__ import annotations

from integrations.businessnxt.client import BusinessNxtClient
from integrations.models import AccountingSystem, Integration
from integrations.oauth import access_token_for


def client_for(integration: Integration) -> BusinessNxtClient:
    if integration.system != AccountingSystem.BUSINESS_NXT:
        raise ValueError(f"No client for accounting system {integration.system!r}.")

    def token(force_refresh: bool) -> str:
        return access_token_for(integration=integration, force_refresh=force_refresh)

    # Business NXT counts requests per token; one integration holds one token at a time.
    return BusinessNxtClient(token_provider=token, limiter_key=f"integration:{integration.pk}")
