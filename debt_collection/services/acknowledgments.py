"""Recording that the debtor has acknowledged the claim (foreldelsesloven § 14)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from debt_collection.models import Acknowledgment, AcknowledgmentChannel, Case, TimelineEvent
from debt_collection.services.cases import CaseError
from kredin.audit import audit_record
from kredin.clock import today_in_norway
from kredin.models import Membership
from kredin.permissions import Permission
from kredin.services import require_permission
from ledger.models import OpenItem


@transaction.atomic
def acknowledgment_record(
    *,
    membership: Membership,
    acknowledged_on: date,
    how: str,
    note: str = "",
    case: Case | None = None,
    open_item: OpenItem | None = None,
    request: HttpRequest | None = None,
) -> Acknowledgment:
    """On a case or on one item; a new limitation period runs from `acknowledged_on`."""
    require_permission(membership, membership.organization, Permission.WORK_CASES)
    if (case is None) == (open_item is None):
        raise CaseError(_("Velg en sak eller en faktura."))
    if acknowledged_on > today_in_norway():
        raise CaseError(_("Datoen for erkjennelsen kan ikke være fram i tid."))
    acknowledgment = Acknowledgment.objects.create(
        case=case,
        open_item=open_item,
        acknowledged_on=acknowledged_on,
        how=AcknowledgmentChannel(how),
        note=note[:500],
        recorded_by=membership.user,
    )
    if case is not None:
        TimelineEvent.objects.create(
            case=case,
            on=today_in_norway(),
            actor=membership.user,
            kind="acknowledged",
            params={"acknowledged_on": acknowledged_on.isoformat(), "how": how, "note": note},
        )
    audit_record(
        action="collections.acknowledgment_recorded",
        organization=membership.organization,
        actor=membership.user,
        target=case or open_item,
        request=request,
    )
    return acknowledgment
