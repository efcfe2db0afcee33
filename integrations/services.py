"""Writes for integrations: connect, choose company, configure, activate, sync, disconnect."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.models import (
    Integration,
    IntegrationStatus,
    RegisterMode,
    SyncKind,
    SyncRun,
    SyncStatus,
    SyncTrigger,
)
from integrations.oauth import credential_store
from kredin.audit import audit_record
from kredin.models import Organization, User


class IntegrationError(Exception):
    """A request the integration cannot honour; the message is fit for the user."""


@dataclass(frozen=True)
class IntegrationSettings:
    fetch_from_date: date
    days_past_due: int
    fee_income_account: int
    interest_income_account: int
    register_mode: str
    register_fetch_addresses: bool
    register_update_on_exact_match: bool

    @classmethod
    def of(cls, integration: Integration) -> IntegrationSettings:
        return cls(**{name: getattr(integration, name) for name in cls.__dataclass_fields__})


# Settings that change which items are read in: a change calls for a full sync.
_READ_IN_SETTINGS = {"fetch_from_date", "days_past_due"}
_REGISTER_SETTINGS = {"register_mode", "register_fetch_addresses", "register_update_on_exact_match"}


@transaction.atomic
def integration_connect(
    *,
    organization: Organization,
    user: User,
    token: dict[str, Any],
    external_user: str = "",
    reconnect: Integration | None = None,
    request: HttpRequest | None = None,
) -> Integration:
    """Store a fresh grant: a new integration, or new credentials for one that lost them."""
    if reconnect is not None:
        integration = reconnect
        integration.status = (
            IntegrationStatus.ACTIVE
            if integration.activated_at
            else IntegrationStatus.CHOOSE_COMPANY
        )
        integration.disconnected_at = None
        integration.last_error = ""
        integration.save(update_fields=["status", "disconnected_at", "last_error"])
        action = "integration.reconnected"
    else:
        integration = Integration.objects.create(
            organization=organization,
            status=IntegrationStatus.CHOOSE_COMPANY,
            created_by=user,
            external_user=external_user[:255],
        )
        action = "integration.connected"
    credential_store(integration=integration, token=token)
    audit_record(
        action=action, organization=organization, actor=user, target=integration, request=request
    )
    return integration


@transaction.atomic
def integration_choose_company(
    *,
    integration: Integration,
    company_no: int,
    company_name: str,
    user: User,
    request: HttpRequest | None = None,
) -> Integration:
    clash = (
        Integration.objects.filter(system=integration.system, company_no=company_no)
        .exclude(pk=integration.pk)
        .exclude(status=IntegrationStatus.DISCONNECTED)
        .exists()
    )
    if clash:
        raise IntegrationError(
            _("Dette firmaet er allerede koblet til Kredin i denne organisasjonen.")
        )
    integration.company_no = company_no
    integration.company_name = company_name[:255]
    if integration.status == IntegrationStatus.CHOOSE_COMPANY:
        integration.status = IntegrationStatus.CONFIGURING
    try:
        with transaction.atomic():
            integration.save(update_fields=["company_no", "company_name", "status"])
    except IntegrityError as exc:
        raise IntegrationError(_("Dette firmaet er allerede koblet til Kredin.")) from exc
    audit_record(
        action="integration.company_chosen",
        organization=integration.organization,
        actor=user,
        target=integration,
        details={"company_no": company_no, "company_name": company_name},
        request=request,
    )
    return integration


@transaction.atomic
def integration_configure(
    *,
    integration: Integration,
    new_settings: IntegrationSettings,
    user: User,
    activate: bool = False,
    request: HttpRequest | None = None,
) -> SyncRun | None:
    """Save settings; activate on the wizard's last step. Returns a sync run if one starts."""
    if new_settings.register_mode not in RegisterMode.values:
        raise IntegrationError(_("Ukjent valg for Brønnøysundregisteret."))
    old = asdict(IntegrationSettings.of(integration))
    new = asdict(new_settings)
    changed = {key for key in new if old[key] != new[key]}
    for key, value in new.items():
        setattr(integration, key, value)
    first_activation = activate and integration.activated_at is None
    if first_activation:
        integration.status = IntegrationStatus.ACTIVE
        integration.activated_at = timezone.now()
    integration.save()
    if changed or first_activation:
        audit_record(
            action="integration.activated" if first_activation else "integration.settings_changed",
            organization=integration.organization,
            actor=user,
            target=integration,
            details={k: {"old": str(old[k]), "new": str(new[k])} for k in sorted(changed)},
            request=request,
        )
    if not integration.is_active:
        return None
    if first_activation:
        return sync_request(
            integration=integration,
            kind=SyncKind.FULL,
            trigger=SyncTrigger.WIZARD,
            requested_by=user,
        )
    if changed & _READ_IN_SETTINGS:
        return sync_request(
            integration=integration,
            kind=SyncKind.FULL,
            trigger=SyncTrigger.SETTINGS,
            requested_by=user,
        )
    if changed & _REGISTER_SETTINGS:
        _enqueue_enrichment(integration)
    return None


def _enqueue_enrichment(integration: Integration) -> None:
    from kredin.celery import app

    organization_id, integration_id = integration.organization_id, integration.pk
    transaction.on_commit(
        lambda: app.send_task("brreg.enrich_customers", args=[organization_id, integration_id])
    )


@transaction.atomic
def sync_request(
    *,
    integration: Integration,
    kind: str = SyncKind.INCREMENTAL,
    trigger: str = SyncTrigger.MANUAL,
    requested_by: User | None = None,
) -> SyncRun:
    """Queue a sync, or return the one already queued or running for the integration."""
    if not integration.is_active:
        raise IntegrationError(_("Integrasjonen er ikke aktiv, så den kan ikke synkroniseres nå."))
    Integration.objects.select_for_update().filter(pk=integration.pk).first()
    ongoing = (
        SyncRun.objects.filter(
            integration=integration, status__in=[SyncStatus.QUEUED, SyncStatus.RUNNING]
        )
        .order_by("-created_at")
        .first()
    )
    if ongoing is not None and not (kind == SyncKind.FULL and ongoing.kind != SyncKind.FULL):
        return ongoing
    run = SyncRun.objects.create(
        integration=integration, kind=kind, trigger=trigger, requested_by=requested_by
    )
    from integrations.tasks import run_sync

    organization_id, run_id = integration.organization_id, run.pk
    transaction.on_commit(lambda: run_sync.delay(organization_id, run_id))
    return run


@transaction.atomic
def integration_disconnect(
    *, integration: Integration, user: User, request: HttpRequest | None = None
) -> Integration:
    """Revoke the grant at Visma Connect, forget the credentials and stop syncing; the
    mirrored ledger stays. A Visma Connect that is down or refuses does not stop the
    disconnect: the audit event says whether the revocation was confirmed."""
    from integrations.models import Credential
    from integrations.oauth import grant_revoke

    grant_revoked = grant_revoke(integration=integration)
    Credential.objects.filter(integration=integration).delete()
    integration.status = IntegrationStatus.DISCONNECTED
    integration.disconnected_at = timezone.now()
    integration.save(update_fields=["status", "disconnected_at"])
    audit_record(
        action="integration.disconnected",
        organization=integration.organization,
        actor=user,
        target=integration,
        details={"grant_revoked": grant_revoked},
        request=request,
    )
    return integration


@transaction.atomic
def integration_delete(
    *, integration: Integration, user: User, request: HttpRequest | None = None
) -> None:
    """Remove the integration itself. Customers and items keep their history (FK set null)."""
    audit_record(
        action="integration.deleted",
        organization=integration.organization,
        actor=user,
        target=integration,
        details={"company_no": integration.company_no},
        request=request,
    )
    integration.delete()
