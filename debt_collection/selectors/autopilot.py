"""Whether Kredin's support has paused an organisation's autopilot, for notices and the
support console."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from debt_collection.models import CollectionSettings
from kredin.models import Organization


@dataclass(frozen=True)
class AutopilotPause:
    paused_at: datetime
    reason: str
    paused_by: str  # the staff member's e-mail, "" if the account is gone


def autopilot_pause_state(*, organization: Organization | int) -> AutopilotPause | None:
    """The pause in force for the organisation, or None when the autopilot runs as set.

    Reads by the organisation's id rather than the scope, so the support console (which
    has no organisation in scope) can ask too.
    """
    organization_id = organization if isinstance(organization, int) else organization.pk
    row = (
        CollectionSettings.objects.unscoped()
        .filter(organization_id=organization_id, autopilot_paused_at__isnull=False)
        .select_related("autopilot_paused_by")
        .first()
    )
    if row is None:
        return None
    by = row.autopilot_paused_by
    return AutopilotPause(
        paused_at=row.autopilot_paused_at,
        reason=row.autopilot_paused_reason,
        paused_by=getattr(by, "email", "") or "",
    )
