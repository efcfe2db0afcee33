"""Template tags for the support action partials (templates/support/_*_actions.html)."""

from __future__ import annotations

from django import template

from debt_collection.selectors.autopilot import AutopilotPause, autopilot_pause_state
from kredin.models import Organization

register = template.Library()


@register.simple_tag
def autopilot_pause_for(organization: Organization) -> AutopilotPause | None:
    """`{% autopilot_pause_for organization as pause %}`: the pause in force, or None."""
    return autopilot_pause_state(organization=organization)
