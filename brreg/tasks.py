"""Celery entry points; the work is in services."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from kredin.tasks import tenant_task


@tenant_task(name="brreg.enrich_customers")
def enrich_customers(
    organization_id: int, integration_id: int, customer_ids: list[int] | None = None
) -> dict[str, Any]:
    """After each sync and when the register settings change. Never fails on an outage:
    customers it could not check are left pending_retry for `brreg.retry_pending`."""
    from brreg.services import customers_enrich
    from integrations.models import Integration

    integration = Integration.objects.get(pk=integration_id)
    result = customers_enrich(integration=integration, customer_ids=customer_ids)
    return {
        "checked": result.checked,
        "matches": dict(result.matches),
        "changed": result.customers_changed,
        "outage": result.outage,
        "requests": result.register_requests,
        "message": str(result.message),
    }


@shared_task(name="brreg.follow_update_feed")
def follow_update_feed() -> dict[str, Any]:
    from brreg.maintenance import enrichment_retry_due, register_feed_follow

    outcome = register_feed_follow()
    outcome["retried"] = enrichment_retry_due()
    return outcome


@shared_task(name="brreg.retry_pending")
def retry_pending() -> int:
    from brreg.maintenance import enrichment_retry_due

    return enrichment_retry_due()
