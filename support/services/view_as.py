"""Starting, ending and reading a support agent's "view as customer" session.

The session id is kept in the agent's Django session; the row says when it expires. Each
start and end is written to the organisation's audit log, with the reason.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from kredin.audit import audit_record
from kredin.models import Organization, User
from kredin.view_as import ViewAs
from support.models import ViewAsEnd, ViewAsSession
from support.reasons import reason_clean

VIEW_AS_MINUTES = 30
SESSION_KEY = "kredin_view_as"


@transaction.atomic
def view_as_start(
    *, staff: User, organization: Organization, reason: str, request: HttpRequest
) -> ViewAsSession:
    reason = reason_clean(reason)
    view_as_end_all(staff=staff, how=ViewAsEnd.REPLACED, request=request)
    started = timezone.now()
    session = ViewAsSession.objects.create(
        staff=staff,
        organization=organization,
        reason=reason,
        started_at=started,
        expires_at=started + timedelta(minutes=VIEW_AS_MINUTES),
    )
    audit_record(
        action="support.view_as_started",
        organization=organization,
        actor=staff,
        target=organization,
        details={"reason": reason, "expires_at": session.expires_at.isoformat()},
        request=request,
    )
    request.session[SESSION_KEY] = session.pk
    return session


def view_as_end(*, session: ViewAsSession, how: str, request: HttpRequest | None) -> None:
    with transaction.atomic():
        ended = ViewAsSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_how=how
        )
        if ended:
            audit_record(
                action="support.view_as_ended",
                organization=session.organization,
                actor=session.staff,
                target=session.organization,
                details={"how": how, "reason": session.reason},
                request=request,
            )
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


def view_as_end_all(*, staff: User, how: str, request: HttpRequest | None) -> None:
    open_sessions = ViewAsSession.objects.filter(staff=staff, ended_at__isnull=True)
    for session in open_sessions.select_related("organization", "staff"):
        view_as_end(
            session=session,
            how=ViewAsEnd.EXPIRED if session.expires_at <= timezone.now() else how,
            request=request,
        )


def view_as_current(request: HttpRequest) -> ViewAs | None:
    """This request's view-as session, if one is on; an expired one is ended here."""
    session_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if session_id is None:
        return None
    user = request.user
    session = (
        ViewAsSession.objects.select_related("organization", "staff")
        .filter(pk=session_id, staff_id=getattr(user, "pk", None))
        .first()
    )
    allowed = user.is_authenticated and user.is_staff and user.is_active and user.is_verified()
    if session is None or not allowed or not session.is_open:
        if session is not None and session.ended_at is None:
            view_as_end(session=session, how=ViewAsEnd.EXPIRED, request=request)
        request.session.pop(SESSION_KEY, None)
        return None
    return ViewAs(
        session_id=session.pk,
        staff_id=session.staff_id,
        organization=session.organization,
        reason=session.reason,
        expires_at=session.expires_at,
    )
