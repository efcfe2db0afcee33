"""Telling an organisation's owners and admins that an integration needs them."""

from __future__ import annotations

from django.urls import reverse

from integrations.models import Integration
from kredin.audit import audit_record
from kredin.models import NotificationKind
from kredin.services.notifications import notify


def notify_owners_reconnect(*, integration_id: int) -> None:
    """In-app and by e-mail (through kredin's notifications), once per lost connection:
    the caller calls only when the integration turns "must reconnect"."""
    integration = (
        Integration.objects.unscoped().select_related("organization").get(pk=integration_id)
    )
    organization = integration.organization
    told = notify(
        organization=organization,
        kind=NotificationKind.INTEGRATION_RECONNECT,
        params={"integration": str(integration), "error": integration.last_error},
        url=reverse(
            "integrations:detail",
            kwargs={"org_slug": organization.slug, "integration_id": integration.pk},
        ),
    )
    audit_record(
        action="integration.must_reconnect",
        organization=organization,
        target=integration,
        details={"reason": integration.last_error_code, "notified": told},
    )
