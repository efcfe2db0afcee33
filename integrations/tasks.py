"""Celery entry points for integrations: thin, scoped, ids in."""

from __future__ import annotations

import logging

from celery import shared_task

from integrations.models import Integration, IntegrationStatus, SyncKind, SyncTrigger
from kredin.tasks import tenant_task
from kredin.tenancy import organization_scope

logger = logging.getLogger(__name__)


@tenant_task(
    name="integrations.sync_run_execute",
    queue="sync",
    acks_late=True,
    soft_time_limit=90 * 60,
    time_limit=95 * 60,
)
def sync_run_execute_task(organization_id: int, run_id: int) -> None:
    from integrations.sync import sync_run_execute

    sync_run_execute(run_id=run_id)


@shared_task(name="integrations.sync_request_all_active", queue="sync")
def sync_request_all_active_task() -> int:
    """Beat fan-out: one incremental sync per active integration, each in its own scope."""
    from integrations.services import sync_request

    queued = 0
    active = Integration.objects.unscoped().filter(status=IntegrationStatus.ACTIVE)
    for organization_id, integration_id in active.values_list("organization_id", "pk"):
        with organization_scope(organization_id):
            integration = Integration.objects.get(pk=integration_id)
            sync_request(
                integration=integration, kind=SyncKind.INCREMENTAL, trigger=SyncTrigger.SCHEDULE
            )
            queued += 1
    return queued
