"""Asking for a sync: one queued or running run per integration at a time."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from integrations.models import Integration, SyncKind, SyncRun, SyncStatus, SyncTrigger
from integrations.services.errors import IntegrationError
from integrations.tasks import sync_run_execute_task
from kredin.models import User


@transaction.atomic
def sync_request(
    *,
    integration: Integration,
    kind: str = SyncKind.INCREMENTAL,
    trigger: str = SyncTrigger.MANUAL,
    requested_by: User | None = None,
) -> SyncRun:
    """Queue a sync, or return the one already queued or running for the integration."""
    if not integration.is_active:
        raise IntegrationError(_("Integrasjonen er ikke aktiv, så den kan ikke synkroniseres nå."))
    Integration.objects.select_for_update().filter(pk=integration.pk).first()
    ongoing = (
        SyncRun.objects.filter(
            integration=integration, status__in=[SyncStatus.QUEUED, SyncStatus.RUNNING]
        )
        .order_by("-created_at")
        .first()
    )
    if ongoing is not None and not (kind == SyncKind.FULL and ongoing.kind != SyncKind.FULL):
        return ongoing
    run = SyncRun.objects.create(
        integration=integration, kind=kind, trigger=trigger, requested_by=requested_by
    )
    organization_id, run_id = integration.organization_id, run.pk
    transaction.on_commit(lambda: sync_run_execute_task.delay(organization_id, run_id))
    return run


