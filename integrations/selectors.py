"""Reads for integrations."""

from __future__ import annotations

from django.db.models import QuerySet

from integrations.models import Integration, IntegrationStatus, SyncRun


def integration_list() -> QuerySet[Integration]:
    return Integration.objects.order_by("-created_at")


def integration_get(*, integration_id: int) -> Integration:
    return Integration.objects.get(pk=integration_id)


def integration_current() -> Integration | None:
    """The organisation's live integration, if any (active first, then any not disconnected)."""
    live = Integration.objects.exclude(status=IntegrationStatus.DISCONNECTED)
    return (
        live.filter(status=IntegrationStatus.ACTIVE).order_by("-activated_at").first()
        or live.order_by("-created_at").first()
    )


def sync_run_latest(*, integration: Integration) -> SyncRun | None:
    return SyncRun.objects.filter(integration=integration).order_by("-created_at").first()


def sync_run_list(*, integration: Integration | None = None) -> QuerySet[SyncRun]:
    runs = SyncRun.objects.select_related("integration").order_by("-created_at")
    return runs.filter(integration=integration) if integration is not None else runs


def remote_companies(*, integration: Integration) -> list:
    """The companies the connected Visma user may open (Business NXT availableCompanies)."""
    from integrations.connectors import client_for

    with client_for(integration) as client:
        return client.available_companies()


def remote_ledger_accounts(*, integration: Integration) -> list:
    """The chosen company's chart of accounts, for the fee and interest income choices."""
    from integrations.connectors import client_for

    with client_for(integration) as client:
        return client.ledger_accounts(company_no=integration.company_no)
