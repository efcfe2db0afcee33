"""What "share diagnostics with support" sends: the integration's state and its last errors.

Built from stored fields only (codes, worded messages, times, counts), so nothing secret can
be in it: no token, no key, not even the Visma user's name.
"""

from __future__ import annotations

from typing import Any

from integrations.models import Credential, Integration, SyncRun


def _time(value) -> str | None:
    return value.isoformat() if value else None


def integration_diagnostics(*, integration: Integration) -> dict[str, Any]:
    credential = Credential.objects.filter(integration=integration).first()
    last_runs = list(
        SyncRun.objects.filter(integration=integration).order_by("-created_at", "-id")[:3]
    )
    return {
        "integration_id": integration.pk,
        "system": integration.system,
        "status": integration.status,
        "company_name": integration.company_name,
        "visma_company_id": integration.visma_company_id,
        "activated_at": _time(integration.activated_at),
        "last_synced_at": _time(integration.last_synced_at),
        "last_error": {
            "code": integration.last_error_code,
            "message": integration.last_error if integration.last_error_code else "",
        },
        "access_expires_at": _time(credential.access_expires_at) if credential else None,
        "sync_runs": [
            {
                "id": run.pk,
                "kind": run.kind,
                "trigger": run.trigger,
                "status": run.status,
                "phase": run.phase,
                "started_at": _time(run.started_at),
                "finished_at": _time(run.finished_at),
                "items_seen": run.items_seen,
                "error_code": run.error_code,
                "error": run.error if run.error_code else "",
            }
            for run in last_runs
        ],
    }
