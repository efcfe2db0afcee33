"""Keeping enrichment current across organisations: the nightly update feed and the
retries after an outage. Both fan out one organisation scope at a time."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

from brreg.cache import feed_follow
from brreg.client import BrregClient, RegisterError
from brreg.models import CustomerEnrichment, FeedCursor, MatchStatus
from brreg.services import customers_enrich
from kredin.tenancy import organization_scope

logger = logging.getLogger(__name__)


def _enrich_across_organizations(rows: list[tuple[int, int]], client: BrregClient) -> int:
    """Re-enrich (organization_id, customer_id) rows, one organisation scope at a time."""
    groups: dict[int, list[int]] = {}
    for organization_id, customer_id in rows:
        groups.setdefault(organization_id, []).append(customer_id)
    for organization_id, customer_ids in sorted(groups.items()):
        with organization_scope(organization_id):
            customers_enrich(customer_ids=customer_ids, client=client)
    return sum(len(ids) for ids in groups.values())


def register_feed_follow(*, client: BrregClient | None = None) -> dict[str, Any]:
    """Nightly: read the update feed, refresh changed cache entries, re-enrich the customers
    (in every organisation) that carry them. Unchanged entries stay valid without a lookup."""
    client = client or BrregClient()
    try:
        refreshed, branches = feed_follow(client=client)
    except RegisterError as error:
        FeedCursor.objects.update_or_create(
            feed="enheter", defaults={"last_error": str(error)[:500]}
        )
        logger.warning("Following the register's update feed failed: %s", error)
        return {"ok": False, "error": str(error)}
    rows = list(
        CustomerEnrichment.objects.unscoped()
        .filter(orgnr__in=refreshed | branches)
        .values_list("organization_id", "customer_id")
    )
    customers = _enrich_across_organizations(rows, client)
    return {"ok": True, "refreshed": len(refreshed), "customers": customers}


def enrichment_retry_due(*, client: BrregClient | None = None) -> int:
    """Retry customers whose lookup failed in an outage and whose retry time has come."""
    rows = list(
        CustomerEnrichment.objects.unscoped()
        .filter(match=MatchStatus.PENDING_RETRY, retry_after__lte=timezone.now())
        .values_list("organization_id", "customer_id")
    )
    if not rows:
        return 0
    return _enrich_across_organizations(rows, client or BrregClient())
