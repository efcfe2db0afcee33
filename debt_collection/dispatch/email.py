"""Letters by e-mail: a short Norwegian message with the PDF attached.

The Message-ID is made and stored before the message is handed to the mail server, so
the delivery row always names the message it is about; a task that dies after sending
finds the row "sending" and does not send again (see dispatch_document).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.utils import timezone, translation

from debt_collection.letters.render import LETTER_LANGUAGE
from debt_collection.models import Delivery, DeliveryStatus, Document
from debt_collection.rules.dates import format_date
from debt_collection.rules.formatting import format_money


def email_compose(*, document: Document, delivery: Delivery) -> None:
    content = document.content
    deadline = content.get("deadline")
    context = {
        "content": content,
        "document": document,
        "total": format_money(Decimal(content["amounts"]["total"]), lang=LETTER_LANGUAGE),
        "deadline": format_date(date.fromisoformat(deadline), lang=LETTER_LANGUAGE)
        if deadline
        else "",
    }
    with translation.override(LETTER_LANGUAGE):  # the debtor's letter, whoever sent it
        delivery.subject = render_to_string("emails/letter_subject.txt", context).strip()[:255]
        delivery.body = render_to_string("emails/letter.txt", context)
    domain = (content.get("creditor", {}).get("email") or "kredin.no").split("@")[-1]
    delivery.message_id = make_msgid(domain=domain)
    delivery.status = DeliveryStatus.SENDING
    delivery.sending_at = timezone.now()
    delivery.save(update_fields=["subject", "body", "message_id", "status", "sending_at"])


def email_send(*, document: Document, delivery: Delivery, pdf: bytes) -> None:
    creditor = document.content.get("creditor", {})
    message = EmailMessage(
        subject=delivery.subject,
        body=delivery.body,
        to=[delivery.recipient],
        reply_to=[creditor["email"]] if creditor.get("email") else None,
        headers={"Message-ID": delivery.message_id},
    )
    message.attach(f"{_file_name(document)}.pdf", pdf, "application/pdf")
    message.send(fail_silently=False)


def _file_name(document: Document) -> str:
    return f"{document.step}-S{document.content.get('case_number', '')}".replace(" ", "-")
