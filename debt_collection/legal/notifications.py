"""Telling the members who may sign that a legal step can be taken, or awaits them."""

from __future__ import annotations

from django.urls import reverse

from debt_collection.models import Case
from debt_collection.rules import StepCode
from debt_collection.rules.formatting import step_title
from kredin.models import NotificationKind, Organization
from kredin.services.notifications import notify
from ledger.models import Customer


def _debtor_name(case: Case) -> str:
    return Customer.objects.filter(pk=case.customer_id).values_list("name", flat=True).first() or ""


def legal_step_notify(*, case: Case, step: StepCode | str) -> int:
    """Once per case and step, however often the planner finds the step possible."""
    organization = Organization.objects.get(pk=case.organization_id)
    step = StepCode(step)
    return notify(
        organization=organization,
        kind=NotificationKind.LEGAL_STEP_POSSIBLE,
        params={
            "case": case.number,
            "debtor": _debtor_name(case),
            "step": str(step),
            # Stored in bokmål: the row outlives the reader's language choice.
            "step_label": step_title(step, lang="nb"),
        },
        url=reverse(
            "collections:case-detail", kwargs={"org_slug": organization.slug, "case_id": case.pk}
        ),
        key=f"legal:{case.pk}:{step}",
    )


def signature_awaited_notify(*, document) -> int:
    """A new draft, or a draft changed after it was signed: once per version."""
    case = document.case
    organization = Organization.objects.get(pk=case.organization_id)
    return notify(
        organization=organization,
        kind=NotificationKind.SIGNATURE_AWAITED,
        params={
            "case": case.number,
            "debtor": document.content.get("debtor", {}).get("name") or _debtor_name(case),
            "document": document.content.get("title", ""),
        },
        url=reverse(
            "collections:legal-document",
            kwargs={"org_slug": organization.slug, "document_id": document.pk},
        ),
        key=f"sign:{document.pk}:{document.version}",
    )


def limitation_warning_notify(*, case: Case, limitation_date, months: int) -> int:
    """Once per case and number of months: only a legal step keeps the claim alive."""
    organization = Organization.objects.get(pk=case.organization_id)
    return notify(
        organization=organization,
        kind=NotificationKind.LIMITATION_WARNING,
        params={
            "case": case.number,
            "debtor": _debtor_name(case),
            "limitation_date": limitation_date.strftime("%d.%m.%Y"),
            "months": months,
        },
        url=reverse(
            "collections:case-detail", kwargs={"org_slug": organization.slug, "case_id": case.pk}
        ),
        key=f"limitation:{case.pk}:{months}",
    )
