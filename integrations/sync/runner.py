"""A sync run from start to finish: claim it, run the engine, record the outcome.

Called by `sync_run_execute_task` (and the `sync_integration` command) inside the
organisation's scope. A run already finished is left alone; a run found "running" belongs
to a worker that died or a redelivered task, and starts over from the beginning, which is
safe because every write is an idempotent upsert.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from brreg.tasks import customers_enrich_task
from integrations.businessnxt.client import BusinessNxtError, NotAuthorized, TransientFailure
from integrations.connectors import client_for
from integrations.models import Integration, SyncKind, SyncRun, SyncStatus
from integrations.oauth import ReconnectRequired, integration_mark_must_reconnect
from integrations.sync.engine import SyncContext, due_cutoff, full_sync, incremental_sync
from integrations.sync.progress import COUNTERS, Progress
from kredin.models import NotificationKind, Organization
from kredin.services.notifications import notify
from kredin.tasks import TransientError

logger = logging.getLogger(__name__)

# Namespace of the PostgreSQL advisory lock that keeps one sync per integration at a time.
_LOCK_NAMESPACE = 0x4B53  # "KS"

@dataclass(frozen=True)
class SyncOutcome:
    run: SyncRun
    summary: dict[str, int]
    kind: str


def sync_run_execute(*, run_id: int) -> SyncOutcome | None:
    """Run one queued (or interrupted) sync run to its end; never raises for outside failures."""
    run = SyncRun.objects.select_related("integration").filter(pk=run_id).first()
    if run is None:
        logger.warning("sync run %s does not exist (deleted?)", run_id)
        return None
    if run.is_finished:
        return SyncOutcome(run=run, summary={}, kind=run.kind)
    with _exclusive(run.integration_id) as claimed:
        if not claimed:
            logger.info(
                "sync run %s: another sync of integration %s is running; leaving it",
                run_id,
                run.integration_id,
            )
            return SyncOutcome(run=run, summary={}, kind=run.kind)
        return _execute(run)


def _execute(run: SyncRun) -> SyncOutcome:
    integration = Integration.objects.get(pk=run.integration_id)
    if run.status == SyncStatus.RUNNING:
        logger.info("sync run %s was interrupted; starting it over", run.pk)
    run.status = SyncStatus.RUNNING
    run.started_at = timezone.now()
    run.finished_at = None
    run.error_code, run.error_params = "", {}
    run.phase = ""
    run.total_steps = run.done_steps = 0
    for name in COUNTERS:
        setattr(run, name, 0)
    run.save()
    progress = Progress(run_id=run.pk)
    if not integration.is_active or not integration.visma_company_id:
        return _fail(run, integration, progress, "inactive")

    cutoff = due_cutoff(integration)
    incremental = (
        run.kind == SyncKind.INCREMENTAL
        and bool(integration.sync_watermark)
        and integration.synced_due_cutoff is not None
    )
    client = client_for(integration)
    try:
        with client:
            ctx = SyncContext(
                integration=integration, client=client, progress=progress, cutoff=cutoff
            )
            if incremental:
                incremental_sync(
                    ctx,
                    watermark=integration.sync_watermark,
                    previous_cutoff=integration.synced_due_cutoff,
                )
            else:
                full_sync(ctx)
    except ReconnectRequired:
        # access_token_for has flagged the integration and told its owners.
        return _fail(run, integration, progress, "reconnect")
    except NotAuthorized:
        integration_mark_must_reconnect(integration=integration, code="reconnect")
        return _fail(run, integration, progress, "reconnect")
    except (TransientFailure, TransientError):
        logger.warning("sync run %s: Business NXT unreachable", run.pk, exc_info=True)
        return _fail(run, integration, progress, "unreachable", attempts=client.max_attempts)
    except BusinessNxtError as exc:
        logger.warning("sync run %s: Business NXT refused: %s", run.pk, exc)
        if exc.code in ("NO_COMPANY_ACCESS", "EXTERNAL_INTEGRATION_ERROR"):
            return _fail(run, integration, progress, "no_company_access")
        return _fail(run, integration, progress, "refused", detail=str(exc)[:500])
    except Exception:
        logger.exception("sync run %s failed unexpectedly", run.pk)
        return _fail(run, integration, progress, "unexpected")
    return _succeed(run, integration, ctx, incremental=incremental)


@transaction.atomic
def _succeed(
    run: SyncRun, integration: Integration, ctx: SyncContext, *, incremental: bool
) -> SyncOutcome:
    now = timezone.now()
    watermark = ctx.next_watermark() or (integration.sync_watermark if incremental else "")
    Integration.objects.filter(pk=integration.pk).update(
        last_synced_at=now,
        sync_watermark=watermark,
        synced_due_cutoff=ctx.cutoff,
        last_error_code="",
        last_error_params={},
    )
    progress = ctx.progress
    progress.save()
    SyncRun.objects.filter(pk=run.pk).update(
        status=SyncStatus.SUCCEEDED, finished_at=now, done_steps=progress.total_steps
    )
    _enqueue_enrichment(integration.organization_id, integration.pk)
    run.refresh_from_db()
    return SyncOutcome(
        run=run,
        summary=progress.summary(),
        kind=SyncKind.INCREMENTAL if incremental else SyncKind.FULL,
    )


def _fail(
    run: SyncRun, integration: Integration, progress: Progress, code: str, **params: object
) -> SyncOutcome:
    with transaction.atomic():
        progress.save()
        SyncRun.objects.filter(pk=run.pk).update(
            status=SyncStatus.FAILED,
            finished_at=timezone.now(),
            error_code=code,
            error_params=params,
        )
        Integration.objects.filter(pk=integration.pk).update(
            last_error_code=code, last_error_params=params
        )
        run.refresh_from_db()
        if code not in _TOLD_ELSEWHERE:
            _notify_failing(run, integration)
    return SyncOutcome(run=run, summary=progress.summary(), kind=run.kind)


# A lost connection has its own notification; a switched-off integration is no news.
_TOLD_ELSEWHERE = {"reconnect", "inactive"}


def _notify_failing(run: SyncRun, integration: Integration) -> None:
    """Once per failing streak: the key names the last success, which only the next
    success changes, so the retries of a broken sync add nothing."""
    since = integration.last_synced_at.isoformat() if integration.last_synced_at else "never"
    organization = Organization.objects.get(pk=integration.organization_id)
    notify(
        organization=organization,
        kind=NotificationKind.SYNC_FAILING,
        params={"integration": str(integration), "error": run.error},
        url=reverse(
            "integrations:detail",
            kwargs={"org_slug": organization.slug, "integration_id": integration.pk},
        ),
        key=f"sync:{integration.pk}:{since}",
    )


def _enqueue_enrichment(organization_id: int, integration_id: int) -> None:
    """Register enrichment runs after the sync's data is committed."""

    def send() -> None:
        try:
            customers_enrich_task.delay(organization_id, integration_id)
        except Exception:
            # The enrichment is a nicety the next sync asks for again; the sync succeeded.
            logger.warning(
                "could not queue register enrichment for integration %s",
                integration_id,
                exc_info=True,
            )

    transaction.on_commit(send)


@contextmanager
def _exclusive(integration_id: int) -> Iterator[bool]:
    """One sync per integration at a time (PostgreSQL); other databases run one worker."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = (_LOCK_NAMESPACE, integration_id % 2**31)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        claimed = bool(cursor.fetchone()[0])
    try:
        yield claimed
    finally:
        if claimed:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
