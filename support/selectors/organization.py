"""Everything support needs to know about one organisation, on one page.

Each section is one query with its rows capped, so the page costs the same number of
queries for a small customer and a large one. Credentials are read for their expiry only:
the encrypted token is deferred and never leaves the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count
from django.shortcuts import get_object_or_404

from debt_collection.models import (
    Case,
    CaseState,
    Delivery,
    DeliveryStatus,
    VoucherPosting,
    VoucherStatus,
)
from debt_collection.rules.formatting import step_title
from debt_collection.selectors import reader_language
from integrations.models import Integration, SyncRun
from kredin.forms import role_label
from kredin.models import AuditEvent, Invitation, Membership, Organization, SupportNote
from kredin.selectors import (
    audit_events_for_organization,
    organization_members,
    support_notes_for_organization,
)
from kredin.views.settings import action_label

# Deliveries that need a person: not delivered, or perhaps delivered (never resent alone).
FAILED_DELIVERY = (
    DeliveryStatus.FAILED,
    DeliveryStatus.BOUNCED,
    DeliveryStatus.RETURNED,
    DeliveryStatus.UNKNOWN,
)
SYNC_RUNS = 10
FAILED_ROWS = 20
AUDIT_EVENTS = 50


@dataclass(frozen=True)
class IntegrationRow:
    integration: Integration
    has_credential: bool
    token_expires_at: datetime | None
    token_refreshed_at: datetime | None


@dataclass(frozen=True)
class StepCount:
    state: str
    state_label: str
    step: str
    step_label: str
    count: int


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    label: str
    actor: str
    reason: str


@dataclass
class OrganizationOverview:
    organization: Organization
    members: list[Membership] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    integrations: list[IntegrationRow] = field(default_factory=list)
    sync_runs: list[SyncRun] = field(default_factory=list)
    case_steps: list[StepCount] = field(default_factory=list)
    failed_deliveries: list[Delivery] = field(default_factory=list)
    failed_vouchers: list[VoucherPosting] = field(default_factory=list)
    audit: list[AuditRow] = field(default_factory=list)
    support_notes: list[SupportNote] = field(default_factory=list)


def support_organization_overview(*, organization_id: int) -> OrganizationOverview:
    organization = get_object_or_404(Organization, pk=organization_id)
    return OrganizationOverview(
        organization=organization,
        members=with_role_labels(organization_members(organization=organization)),
        invitations=with_role_labels(
            Invitation.objects.filter(organization=organization, accepted_at__isnull=True)
            .select_related("invited_by")
            .order_by("-created_at", "-id")
        ),
        integrations=_integrations(organization),
        sync_runs=list(
            SyncRun.objects.unscoped()
            .filter(organization=organization)
            .select_related("integration")[:SYNC_RUNS]
        ),
        case_steps=_case_steps(organization),
        failed_deliveries=_failed_deliveries(organization),
        failed_vouchers=list(
            VoucherPosting.objects.unscoped()
            .filter(organization=organization, status=VoucherStatus.FAILED)
            .select_related("case")[:FAILED_ROWS]
        ),
        audit=[
            _audit_row(event)
            for event in audit_events_for_organization(organization=organization)[:AUDIT_EVENTS]
        ],
        support_notes=support_notes_for_organization(organization=organization),
    )


def with_role_labels(rows) -> list:
    """The stored role is a code; the page shows the words the customer's own pages use."""
    rows = list(rows)
    for row in rows:
        row.role_label = role_label(row.role)
    return rows


def _integrations(organization: Organization) -> list[IntegrationRow]:
    integrations = (
        Integration.objects.unscoped()
        .filter(organization=organization)
        .select_related("credential")
        .defer("credential__token_ciphertext")
        .order_by("-created_at", "-id")
    )
    rows = []
    for integration in integrations:
        credential = integration.credential if _has_credential(integration) else None
        rows.append(
            IntegrationRow(
                integration=integration,
                has_credential=credential is not None,
                token_expires_at=credential.access_expires_at if credential else None,
                token_refreshed_at=credential.refreshed_at if credential else None,
            )
        )
    return rows


def _has_credential(integration: Integration) -> bool:
    # A missing reverse one-to-one raises on access, even when select_related found none.
    try:
        integration.credential  # noqa: B018  (cached by select_related: no query)
    except Integration.credential.RelatedObjectDoesNotExist:
        return False
    return True


def _failed_deliveries(organization: Organization) -> list[Delivery]:
    lang = reader_language()
    deliveries = list(
        Delivery.objects.unscoped()
        .filter(organization=organization, status__in=FAILED_DELIVERY)
        .select_related("document__case")
        .defer("body")[:FAILED_ROWS]
    )
    for delivery in deliveries:
        delivery.step_label = _step_label(delivery.document.step, lang=lang)
    return deliveries


def _case_steps(organization: Organization) -> list[StepCount]:
    lang = reader_language()
    counts = (
        Case.objects.unscoped()
        .filter(organization=organization)
        .exclude(state=CaseState.CLOSED)
        .values("state", "current_step")
        .annotate(count=Count("id"))
        .order_by("state", "current_step")
    )
    return [
        StepCount(
            state=row["state"],
            state_label=str(CaseState(row["state"]).label),
            step=row["current_step"],
            step_label=_step_label(row["current_step"], lang=lang),
            count=row["count"],
        )
        for row in counts
    ]


def _step_label(code: str, *, lang: str) -> str:
    if not code:
        return ""
    try:
        return step_title(code, lang=lang)
    except (KeyError, ValueError):
        # A step code from an older catalogue still deserves a row, under its code.
        return code


def _audit_row(event: AuditEvent) -> AuditRow:
    details = event.details if isinstance(event.details, dict) else {}
    actor = event.actor.email if event.actor else event.actor_label
    return AuditRow(
        event=event,
        label=action_label(event.action),
        actor=actor,
        reason=str(details.get("reason", "")),
    )
