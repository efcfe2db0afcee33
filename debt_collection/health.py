"""What /healthz says about collections: whether the legal figures are up to date."""

from __future__ import annotations

from debt_collection.selectors import rules_staleness
from kredin.clock import today_in_norway


def rules_health() -> dict:
    """ "attention" with the missing tables when a half-year or year has begun without its
    figures; letters that need them wait until they are added."""
    missing = rules_staleness(today=today_in_norway())
    if not missing:
        return {"status": "ok"}
    return {
        "status": "attention",
        "missing": [
            {
                "code": str(reason.code),
                "table": str(reason.params.get("table", "")),
                "message": reason.message("en"),
            }
            for reason in missing
        ],
    }
