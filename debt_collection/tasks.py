"""Celery entry points for collections: thin, scoped, ids in."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from kredin.tasks import tenant_task


@tenant_task(name="debt_collection.autopilot_run_day", acks_late=False)
def autopilot_run_day_task(organization_id: int, on: str | None = None) -> dict[str, int]:
    """One organisation's collection day. Not acked late: a rerun must not send twice, and
    the plan's own checks make a second run of the same day do nothing anyway."""
    from debt_collection.autopilot import run_day
    from kredin.clock import today_in_norway

    plan, _applied = run_day(on=date.fromisoformat(on) if on else today_in_norway())
    return plan.summary()


@shared_task(name="debt_collection.autopilot_run_all")
def autopilot_run_all_task() -> int:
    """Beat, daily in Europe/Oslo: one task per organisation that collects (any mode but
    off, or open cases to keep books on)."""
    from debt_collection.models import AutopilotMode, Case, CaseState, CollectionSettings
    from kredin.clock import today_in_norway

    on = today_in_norway().isoformat()
    collecting = set(
        CollectionSettings.objects.unscoped()
        .exclude(autopilot=AutopilotMode.OFF)
        .values_list("organization_id", flat=True)
    ) | set(
        Case.objects.unscoped()
        .exclude(state=CaseState.CLOSED)
        .values_list("organization_id", flat=True)
    )
    for organization_id in sorted(collecting):
        autopilot_run_day_task.delay(organization_id, on)
    return len(collecting)


@tenant_task(name="debt_collection.dispatch.document", queue="dispatch", acks_late=False)
def document_dispatch_task(organization_id: int, document_id: int) -> list[str]:
    """Send one letter. Safe to run twice: each delivery is claimed before it is sent."""
    from debt_collection.dispatch import dispatch_document

    return [d.status for d in dispatch_document(document_id=document_id)]


@shared_task(name="debt_collection.dispatch.pending", queue="dispatch")
def dispatch_pending_task() -> int:
    """Beat: every letter the dispatch worker should look at again (see letters_to_redispatch)."""
    from debt_collection.selectors.deliveries import letters_to_redispatch

    count = 0
    for organization_id, document_id in letters_to_redispatch():
        document_dispatch_task.delay(organization_id, document_id)
        count += 1
    return count


@tenant_task(name="debt_collection.vouchers.post", queue="default", acks_late=False)
def voucher_post_task(organization_id: int, posting_id: int) -> str:
    """One attempt at a voucher. Safe to run twice: it is claimed, and it reads back first."""
    from debt_collection.services.vouchers import voucher_post

    return voucher_post(posting_id=posting_id).status


@shared_task(name="debt_collection.vouchers.due", queue="default")
def vouchers_due_task() -> int:
    """Beat: vouchers waiting for their next attempt, and any a dead worker left claimed."""
    from debt_collection.services.vouchers import vouchers_due

    due = vouchers_due()
    for organization_id, posting_id in due:
        voucher_post_task.delay(organization_id, posting_id)
    return len(due)
