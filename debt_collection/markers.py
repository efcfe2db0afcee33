"""The short marker of a case on hold, for the reskontro and the case list alike."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from debt_collection.models import CaseState


def hold_marker(*, state: str, paused_until: date | None) -> str:
    """ "Innsigelse", "Pause til 12.03." or "Pause"; empty for a case that is not on hold."""
    if state == CaseState.OBJECTED:
        return _("Innsigelse")
    if state == CaseState.PAUSED:
        if paused_until is None:
            return _("Pause")
        return _("Pause til %(date)s") % {"date": paused_until.strftime("%d.%m.")}
    return ""
