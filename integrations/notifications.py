"""Telling an organisation's owners that an integration needs them."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from integrations.models import Integration
from kredin.audit import audit_record
from kredin.models import Membership
from kredin.permissions import Role


def notify_owners_reconnect(*, integration_id: int) -> None:
    integration = (
        Integration.objects.unscoped().select_related("organization").get(pk=integration_id)
    )
    organization = integration.organization
    owners = Membership.objects.filter(organization=organization, role=Role.OWNER).select_related(
        "user"
    )
    link = settings.SITE_URL.rstrip("/") + reverse(
        "integrations:detail",
        kwargs={"org_slug": organization.slug, "integration_id": integration.pk},
    )
    context = {"integration": integration, "organization": organization, "link": link}
    body = render_to_string("emails/integration_must_reconnect.txt", context)
    subject = render_to_string("emails/integration_must_reconnect_subject.txt", context).strip()
    recipients = [m.user.email for m in owners]
    if recipients:
        send_mail(
            subject=subject,
            message=body,
            from_email=None,
            recipient_list=recipients,
        )
    audit_record(
        action="integration.must_reconnect",
        organization=organization,
        target=integration,
        details={"reason": integration.last_error_code, "notified": recipients},
    )
