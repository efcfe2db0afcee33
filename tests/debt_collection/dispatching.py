"""Helpers for the dispatch tests: a real SMTP server, and a case whose first letter waits
to be dispatched, on invoices mirrored from the sandbox over real HTTP."""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

from debt_collection.models import CollectionSettings, Document
from debt_collection.services.cases import cases_start
from debt_collection.tasks import document_dispatch_task
from kredin.clock import today_in_norway
from kredin.models import Membership
from ledger.models import ItemKind, ItemStatus, OpenItem

REFUSED_DOMAIN = "ukjent.example"


@dataclass
class SmtpLog:
    """What a real SMTP server received, in order."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@" + REFUSED_DOMAIN):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def with_message_id(self, message_id: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["Message-ID"] == message_id]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_server(settings):
    """Start aiosmtpd and point Django's SMTP backend at it; returns (controller, log)."""
    log = SmtpLog()
    controller = Controller(log, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    return controller, log


@dataclass
class WaitingLetter:
    document: Document
    items: list[OpenItem]
    company_no: int

    def dispatch(self) -> list[str]:
        """What the dispatch worker runs for the letter (the task's body, in this process)."""
        return document_dispatch_task(self.document.organization_id, self.document.pk)

    def refresh(self) -> Document:
        self.document.refresh_from_db()
        return self.document


def collection_settings(*, organization, channels: str) -> CollectionSettings:
    return CollectionSettings.objects.create(
        autopilot="suggest",
        channels=channels,
        sender_name="Alice Rørlegger AS",
        sender_address="Rørveien 1",
        sender_post_code="0150",
        sender_city="Oslo",
        sender_organization_number=organization.organization_number,
        bank_account="15030012345",
        sender_email="post@alice.example",
    )


def overdue_debtor_items() -> list[OpenItem]:
    """A mirrored debtor's overdue, unpaid invoices (not partly paid, to keep sums plain)."""
    overdue = OpenItem.objects.filter(
        status=ItemStatus.OPEN,
        kind=ItemKind.INVOICE,
        due_date__lte=today_in_norway() - timedelta(days=20),
        outstanding__gt=0,
    ).order_by("customer_id", "due_date")
    by_customer: dict[int, list[OpenItem]] = {}
    for item in overdue:
        by_customer.setdefault(item.customer_id, []).append(item)
    for items in by_customer.values():
        if all(item.outstanding == item.amount for item in items):
            return items
    raise AssertionError("the seeded sandbox company has no plainly overdue debtor")


def letter_waiting(*, membership: Membership, company_no: int, debtor_email: str) -> WaitingLetter:
    """Start a case from the reskontro; its first letter is written, not yet dispatched."""
    items = overdue_debtor_items()
    customer = items[0].customer
    customer.email = debtor_email
    customer.save(update_fields=["email"])
    (case,) = cases_start(
        membership=membership, item_ids=[i.pk for i in items], on=today_in_norway()
    )
    document = Document.objects.get(case=case)
    return WaitingLetter(document=document, items=items, company_no=company_no)
