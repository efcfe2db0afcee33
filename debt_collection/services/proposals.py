"""Deciding on the suggest mode's proposals: approving one carries it out as the automatic
mode would, after asking the rules again today."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from debt_collection.models import CaseItem, Proposal, ProposalStatus
from debt_collection.services.cases import CaseError, case_send_next, cases_start
from kredin.models import Membership


def proposal_approve(*, proposal: Proposal, membership: Membership, on: date) -> bool:
    """True when it was carried out; a proposal the rules no longer allow expires."""
    try:
        if proposal.kind == "start_case":
            free = list(
                set(proposal.payload.get("item_ids", []))
                - set(
                    CaseItem.objects.filter(released_on__isnull=True).values_list(
                        "open_item_id", flat=True
                    )
                )
            )
            cases_start(membership=membership, item_ids=free, on=on)
        elif proposal.case is not None:
            case_send_next(case=proposal.case, membership=membership, on=on)
        else:
            raise CaseError("nothing to do")
    except CaseError:
        _decide(proposal, ProposalStatus.EXPIRED, membership)
        return False
    _decide(proposal, ProposalStatus.APPROVED, membership)
    return True


def proposal_dismiss(*, proposal: Proposal, membership: Membership) -> None:
    _decide(proposal, ProposalStatus.DISMISSED, membership)


def _decide(proposal: Proposal, status: str, membership: Membership) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = (
        status,
        membership.user,
        timezone.now(),
    )
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
