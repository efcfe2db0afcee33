"""Telling an organisation's owners what the autopilot cannot decide for them."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from kredin.audit import audit_record
from kredin.models import Membership, NotificationKind, Organization
from kredin.permissions import Role
from kredin.services.notifications import notify


def notify_owners_register_pause(*, organization_id: int, cases: list[tuple[int, int, str]]):
    """Cases (id, number, debtor) paused because the register flags the debtor."""
    organization = Organization.objects.get(pk=organization_id)
    owners = [
        m.user.email
        for m in Membership.objects.filter(
            organization=organization, role=Role.OWNER
        ).select_related("user")
    ]
    links = [
        (
            number,
            debtor,
            settings.SITE_URL.rstrip("/")
            + reverse(
                "collections:case-detail", kwargs={"org_slug": organization.slug, "case_id": pk}
            ),
        )
        for pk, number, debtor in cases
    ]
    context = {"organization": organization, "cases": links}
    if owners:
        send_mail(
            subject=render_to_string("emails/register_pause_subject.txt", context).strip(),
            message=render_to_string("emails/register_pause.txt", context),
            from_email=None,
            recipient_list=owners,
        )
    audit_record(
        action="collections.register_pause",
        organization=organization,
        details={"cases": [number for _pk, number, _debtor in cases], "notified": owners},
    )


def notify_admins_delivery(*, organization_id: int, delivery_id: int) -> None:
    """A letter did not reach the debtor (or may not have): the organisation's owners and
    admins hear of it through kredin's notifications, once per delivery and status."""
    from debt_collection.models import Delivery
    from kredin.tenancy import organization_scope

    organization = Organization.objects.get(pk=organization_id)
    with organization_scope(organization):
        delivery = Delivery.objects.select_related("document__case__customer").get(
            pk=delivery_id
        )
        case = delivery.document.case
        told = notify(
            organization=organization,
            kind=NotificationKind.DELIVERY_FAILED,
            params={
                "case": case.number,
                "debtor": case.customer.name,
                "channel": delivery.channel,
                "status": delivery.status,
                "error": delivery.error[:200],
            },
            url=reverse(
                "collections:delivery-detail",
                kwargs={"org_slug": organization.slug, "delivery_id": delivery.pk},
            ),
            key=f"delivery:{delivery.pk}:{delivery.status}",
        )
        audit_record(
            action="collections.delivery_failed",
            organization=organization,
            details={
                "case": case.number,
                "channel": delivery.channel,
                "status": delivery.status,
                "notified": told,
            },
        )
