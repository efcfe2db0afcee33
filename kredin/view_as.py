"""Support's "view as customer", as the organisation pages see it.

The support app starts and ends these sessions and sets `request.view_as` (its
middleware); kredin only honours it: the staff member is given a `ViewAsMembership` in that
one organisation, which may look at everything an owner may look at and change nothing.
The same middleware refuses every write while it lasts, so no view has to remember to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kredin.models import Organization


@dataclass(frozen=True)
class ViewAs:
    session_id: int
    staff_id: int
    organization: Organization
    reason: str
    expires_at: datetime


def view_as_for(request) -> ViewAs | None:
    """The view-as session of this request's own signed-in staff member, if one is on."""
    view_as = getattr(request, "view_as", None)
    user = getattr(request, "user", None)
    if view_as is None or user is None or view_as.staff_id != getattr(user, "pk", None):
        return None
    return view_as
