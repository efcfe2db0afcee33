"""Celery entry points; the work is in services."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from kredin.tasks import tenant_task


@tenant_task(name="brreg.customers_enrich")
def customers_enrich_task(
    organization_id: int, integration_id: int | None = None, customer_ids: list[int] | None = None
) -> dict[str, Any]:
    """After each sync and when the register settings change. Never fails on an outage:
    customers it could not check are left pending_retry for `enrichment_retry_due_task`."""
    from brreg.services import customers_enrich

    result = customers_enrich(integration_id=integration_id, customer_ids=customer_ids)
    return {
        "checked": result.checked,
        "matches": dict(result.matches),
        "changed": result.customers_changed,
        "outage": result.outage,
        "requests": result.register_requests,
        "message": str(result.message),
    }


@shared_task(name="brreg.register_feed_follow")
def register_feed_follow_task() -> dict[str, Any]:
    from brreg.maintenance import enrichment_retry_due, register_feed_follow

    outcome = register_feed_follow()
    outcome["retried"] = enrichment_retry_due()
    return outcome


@shared_task(name="brreg.enrichment_retry_due")
def enrichment_retry_due_task() -> int:
    from brreg.maintenance import enrichment_retry_due

    return enrichment_retry_due()
