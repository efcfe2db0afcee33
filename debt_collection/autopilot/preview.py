"""Hva skjer nå: today's actions and the waits that end within the horizon, for the page
and the API alike."""

from __future__ import annotations

from datetime import timedelta

from debt_collection.autopilot import plan_day
from debt_collection.models import Case
from ledger.models import Customer

HORIZON_DAYS = 30


def preview_rows(*, on, lang: str) -> tuple[list[dict], list[dict]]:
    """(today's actions, waits ending within the horizon), each with its words."""
    plan = plan_day(on=on)
    horizon = on + timedelta(days=HORIZON_DAYS)
    case_ids = {a.case_id for a in plan.actions if a.case_id}
    cases = Case.objects.in_bulk(case_ids)
    customers = Customer.objects.in_bulk({a.customer_id for a in plan.actions})
    today, coming = [], []
    for action in plan.actions:
        row = {
            "action": action,
            "text": action.describe(lang),
            "case": cases.get(action.case_id),
            "customer": customers.get(action.customer_id),
        }
        if action.kind != "wait":
            today.append(row)
        elif action.on is not None and action.on <= horizon:
            coming.append(row)
    coming.sort(key=lambda row: (row["action"].on, row["action"].customer_id))
    return today, coming
