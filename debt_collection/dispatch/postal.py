"""Letters by post, behind a small interface so a print-and-post service can plug in.

The one provider built in is the print queue: letters wait on a page, the creditor
downloads the batch as one PDF, prints it, and marks it printed (or a letter returned).
A real provider would implement `PostalProvider` in a package of its own with its own
`client.py`, and be chosen by the KREDIN_POSTAL_PROVIDER setting.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from debt_collection.models import Delivery, DeliveryStatus


class PostalProvider(Protocol):
    name: str

    def submit(self, *, delivery: Delivery, pdf: bytes) -> None:
        """Hand the letter over: set handed_over_at and the status the provider reports
        (queued while it waits to be printed, sent once posted). A real provider stores
        its own reference before the call and reads it back after a timeout."""


class PrintQueue:
    """The letter waits in the print queue; a person prints and marks it."""

    name = "print_queue"

    def submit(self, *, delivery: Delivery, pdf: bytes) -> None:
        delivery.status, delivery.handed_over_at = DeliveryStatus.QUEUED, timezone.now()
        delivery.save(update_fields=["status", "handed_over_at"])


def postal_provider() -> PostalProvider:
    return import_string(settings.KREDIN_POSTAL_PROVIDER)()
