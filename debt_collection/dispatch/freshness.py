"""Never dun a paid invoice: just before a letter goes out, ask Business NXT itself.

The mirror can be up to a sync behind. The letter's invoices are read again through the
client (their open entries, matched to the mirror's rows by their Business NXT identity);
one that was paid, credited or changed stops the letter. If
Business NXT cannot be asked, the letter waits: it never goes out on stale data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from debt_collection.models import Document
from integrations.businessnxt.client import BusinessNxtError, TransientFailure
from integrations.connectors import client_for
from integrations.models import Integration
from integrations.oauth import ReconnectRequired
from kredin.tasks import TransientError
from ledger.models import OpenItem


@dataclass(frozen=True)
class Freshness:
    ok: bool
    reachable: bool = True
    changed: tuple[str, ...] = ()  # invoice numbers that no longer match the letter
    problem: str = ""  # why the ledger could not be asked


def letter_still_true(*, document: Document) -> Freshness:
    items = document.content.get("items", [])
    mirrored = {
        row["pk"]: row
        for row in OpenItem.objects.filter(pk__in=[item["item_id"] for item in items]).values(
            "pk", "external_id", "integration_id"
        )
    }
    integrations = {row["integration_id"] for row in mirrored.values()}
    integration_id = next(iter(integrations)) if len(integrations) == 1 else None
    integration = Integration.objects.filter(pk=integration_id).first() if integration_id else None
    if integration is None or not integration.is_active or not integration.visma_company_id:
        return Freshness(ok=False, reachable=False, problem="no_active_integration")
    try:
        with client_for(integration) as client:
            remote = {
                entry.external_id: entry.outstanding
                for page in client.open_entries(
                    company_no=integration.visma_company_id,
                    invoice_nos=sorted({item["invoice_no"] for item in items}),
                )
                for entry in page.items
            }
    except (TransientFailure, TransientError, ReconnectRequired, BusinessNxtError) as exc:
        return Freshness(ok=False, reachable=False, problem=type(exc).__name__)
    changed = tuple(
        sorted(
            item["invoice_no"]
            for item in items
            if item["item_id"] not in mirrored
            or remote.get(mirrored[item["item_id"]]["external_id"]) != Decimal(item["outstanding"])
        )
    )
    return Freshness(ok=not changed, changed=changed)
