"""What Kredin's support staff may do for a customer, each with a written reason.

Every action starts with `reason_clean`, so one without a reason changes nothing; then it
calls the service of the app that owns the rows (support writes none of them itself) and
records an audit event in the organisation's log: actor the staff member, details with
the reason, for the owners to read who did what and why.

The caller (a support view) has checked that `staff` is active staff with a verified
second factor. Domain errors of the owning apps (IntegrationError, VoucherError,
DeliveryError, AutopilotPauseError, AccountsError) pass through for the view to show.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from debt_collection.models import CollectionSettings, Delivery, VoucherPosting
from debt_collection.services.deliveries import delivery_send_again
from debt_collection.services.settings import autopilot_pause, autopilot_resume
from debt_collection.services.vouchers import voucher_retry
from integrations.models import Integration, SyncKind, SyncRun, SyncTrigger
from integrations.services.sync import sync_request
from kredin.audit import audit_record
from kredin.models import Invitation, Organization, PendingSignup, User
from kredin.services.accounts import confirmation_resend
from kredin.services.invitations import invitation_resend
from kredin.tenancy import organization_scope
from support.errors import SupportError
from support.reasons import reason_clean

SYNC_KINDS = (SyncKind.FULL, SyncKind.INCREMENTAL)


def _record(
    action: str, *, staff: User, organization, target, reason: str, request, **details
) -> None:
    """The organisation's audit event: the agent, what they acted on, and why."""
    audit_record(
        action=action,
        organization=organization,
        actor=staff,
        target=target,
        details={"reason": reason, **details},
        request=request,
    )


def support_sync_rerun(
    *,
    staff: User,
    integration: Integration,
    kind: str,
    reason: str,
    request: HttpRequest | None = None,
) -> SyncRun:
    """Queue a full or incremental sync (or get the one already queued or running)."""
    reason = reason_clean(reason)
    if kind not in SYNC_KINDS:
        raise SupportError(_("Velg full eller inkrementell synkronisering."))
    organization = integration.organization
    with organization_scope(organization), transaction.atomic():
        run = sync_request(
            integration=integration, kind=kind, trigger=SyncTrigger.SUPPORT, requested_by=staff
        )
        _record(
            "support.sync_requested",
            staff=staff,
            organization=organization,
            target=integration,
            reason=reason,
            request=request,
            sync_run_id=run.pk,
            kind=run.kind,
        )
    return run


def support_voucher_retry(
    *,
    staff: User,
    posting: VoucherPosting,
    reason: str,
    request: HttpRequest | None = None,
) -> VoucherPosting:
    """Send a failed voucher posting to the accounting system again."""
    reason = reason_clean(reason)
    organization = posting.organization
    with organization_scope(organization), transaction.atomic():
        posting = voucher_retry(posting=posting, actor=staff)
        _record(
            "support.voucher_retried",
            staff=staff,
            organization=organization,
            target=posting,
            reason=reason,
            request=request,
            posting_id=posting.pk,
            key=posting.key,
        )
    return posting


def support_delivery_retry(
    *,
    staff: User,
    delivery: Delivery,
    reason: str,
    request: HttpRequest | None = None,
) -> Delivery:
    """Queue a failed, held or unknown delivery once more."""
    reason = reason_clean(reason)
    organization = delivery.organization
    with organization_scope(organization), transaction.atomic():
        delivery = delivery_send_again(delivery=delivery, actor=staff)
        _record(
            "support.delivery_retried",
            staff=staff,
            organization=organization,
            target=delivery,
            reason=reason,
            request=request,
            delivery_id=delivery.pk,
            channel=delivery.channel,
        )
    return delivery


def support_autopilot_pause(
    *,
    staff: User,
    organization: Organization,
    reason: str,
    request: HttpRequest | None = None,
) -> CollectionSettings:
    """Stop the organisation's letters, new cases and proposals until resumed."""
    reason = reason_clean(reason)
    with organization_scope(organization), transaction.atomic():
        current = autopilot_pause(organization=organization, actor=staff, reason=reason)
        _record(
            "support.autopilot_paused",
            staff=staff,
            organization=organization,
            target=organization,
            reason=reason,
            request=request,
        )
    return current


def support_autopilot_resume(
    *,
    staff: User,
    organization: Organization,
    reason: str,
    request: HttpRequest | None = None,
) -> CollectionSettings:
    """Let the autopilot work in the organisation's chosen mode again."""
    reason = reason_clean(reason)
    with organization_scope(organization), transaction.atomic():
        current = autopilot_resume(organization=organization, actor=staff, reason=reason)
        _record(
            "support.autopilot_resumed",
            staff=staff,
            organization=organization,
            target=organization,
            reason=reason,
            request=request,
        )
    return current


def support_invitation_resend(
    *,
    staff: User,
    invitation: Invitation,
    reason: str,
    request: HttpRequest | None = None,
) -> Invitation:
    """Send an open invitation again with a new link and expiry; the e-mail goes on commit."""
    reason = reason_clean(reason)
    organization = invitation.organization
    with organization_scope(organization), transaction.atomic():
        invitation = invitation_resend(invitation=invitation, request=request)
        _record(
            "support.invitation_resent",
            staff=staff,
            organization=organization,
            target=invitation,
            reason=reason,
            request=request,
            email=invitation.email,
            role=invitation.role,
        )
    return invitation


def support_confirmation_resend(
    *,
    staff: User,
    user: User,
    reason: str,
    request: HttpRequest | None = None,
) -> None:
    """Send an unconfirmed account a fresh confirmation link; the e-mail goes on commit."""
    reason = reason_clean(reason)
    if not user.is_unconfirmed:
        raise SupportError(_("Kontoen er allerede bekreftet, så det er ingen lenke å sende."))
    with transaction.atomic():
        confirmation_resend(email=user.email, request=request)
        # An unconfirmed account belongs to no organisation yet: the one it asked for (its
        # PendingSignup) is only created on confirmation, and an invitation link confirms
        # the account as it joins. So the event goes to Kredin's own log (no organisation),
        # naming the person.
        audit_record(
            action="support.confirmation_resent",
            organization=None,
            actor=staff,
            target=user,
            details={
                "reason": reason,
                "email": user.email,
                "pending_signup": PendingSignup.objects.filter(user=user).exists(),
            },
            request=request,
        )
