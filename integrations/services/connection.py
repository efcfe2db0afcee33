"""Connecting an accounting system, choosing its company, disconnecting and deleting."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.models import Credential, Integration, IntegrationStatus
from integrations.oauth import credential_store, grant_revoke
from integrations.services.errors import IntegrationError
from kredin.audit import audit_record
from kredin.models import Organization, User

logger = logging.getLogger(__name__)


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
        integration.last_error_code, integration.last_error_params = "", {}
        integration.save(
            update_fields=["status", "disconnected_at", "last_error_code", "last_error_params"]
        )
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
    visma_company_id: int,
    company_name: str,
    user: User,
    request: HttpRequest | None = None,
) -> Integration:
    clash = (
        Integration.objects.filter(system=integration.system, visma_company_id=visma_company_id)
        .exclude(pk=integration.pk)
        .exclude(status=IntegrationStatus.DISCONNECTED)
        .exists()
    )
    if clash:
        raise IntegrationError(
            _("Dette firmaet er allerede koblet til Kredin i denne organisasjonen.")
        )
    integration.visma_company_id = visma_company_id
    integration.company_name = company_name[:255]
    if integration.status == IntegrationStatus.CHOOSE_COMPANY:
        integration.status = IntegrationStatus.CONFIGURING
    try:
        with transaction.atomic():
            integration.save(update_fields=["visma_company_id", "company_name", "status"])
    except IntegrityError as exc:
        raise IntegrationError(_("Dette firmaet er allerede koblet til Kredin.")) from exc
    audit_record(
        action="integration.company_chosen",
        organization=integration.organization,
        actor=user,
        target=integration,
        details={"visma_company_id": visma_company_id, "company_name": company_name},
        request=request,
    )
    return integration


@transaction.atomic
def integration_disconnect(
    *, integration: Integration, user: User, request: HttpRequest | None = None
) -> Integration:
    """Revoke the grant at Visma Connect, forget the credentials and stop syncing; the
    mirrored ledger stays. A Visma Connect that is down or refuses does not stop the
    disconnect: the audit event says whether the revocation was confirmed."""
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
        details={"visma_company_id": integration.visma_company_id},
        request=request,
    )
    integration.delete()
