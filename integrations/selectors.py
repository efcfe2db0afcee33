"""Reads for integrations."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from integrations.models import Integration, IntegrationStatus, PostingSettings, SyncRun


def integration_list() -> QuerySet[Integration]:
    return Integration.objects.order_by("-created_at")


def integration_activated_exists() -> bool:
    """Whether the organisation ever finished connecting an accounting system (its mirror
    may hold data, even if the connection was later lost)."""
    return Integration.objects.filter(activated_at__isnull=False).exists()


def integration_get(*, integration_id: int) -> Integration:
    return Integration.objects.get(pk=integration_id)


def integrations_with_latest_run() -> list[Integration]:
    """Connected integrations, each with `latest_run` (a SyncRun or None): two queries."""
    latest = SyncRun.objects.filter(integration=OuterRef("pk")).order_by("-created_at", "-id")
    integrations = list(
        Integration.objects.exclude(status=IntegrationStatus.DISCONNECTED)
        .annotate(latest_run_id=Subquery(latest.values("id")[:1]))
        .order_by("created_at", "id")
    )
    run_ids = [i.latest_run_id for i in integrations if i.latest_run_id]
    runs = {run.pk: run for run in SyncRun.objects.filter(pk__in=run_ids)} if run_ids else {}
    for integration in integrations:
        integration.latest_run = runs.get(integration.latest_run_id)
    return integrations


def sync_run_latest(*, integration: Integration) -> SyncRun | None:
    return SyncRun.objects.filter(integration=integration).order_by("-created_at").first()


def sync_run_list(*, integration_id: int | None = None) -> QuerySet[SyncRun]:
    runs = SyncRun.objects.select_related("integration").order_by("-created_at", "-id")
    return runs.filter(integration_id=integration_id) if integration_id is not None else runs


def remote_companies(*, integration: Integration) -> list:
    """The companies the connected Visma user may open (Business NXT availableCompanies)."""
    from integrations.connectors import client_for

    with client_for(integration) as client:
        return client.available_companies()


def remote_ledger_accounts(*, integration: Integration) -> list:
    """The chosen company's chart of accounts, for the fee and interest income choices."""
    from integrations.connectors import client_for

    with client_for(integration) as client:
        return client.ledger_accounts(company_no=integration.visma_company_id)


def remote_voucher_series(*, integration: Integration) -> list:
    """The chosen company's voucher series, for the choice of the income vouchers' series."""
    from integrations.connectors import client_for

    with client_for(integration) as client:
        return client.voucher_series(company_no=integration.visma_company_id)


def posting_settings_for(*, integration: Integration) -> PostingSettings | None:
    """Where voucher posting books for the integration: the income accounts and the voucher
    series from its settings page, or None when there are none yet. Each field can still
    be None (never chosen), so check the ones you need."""
    return PostingSettings.objects.filter(integration=integration).first()
