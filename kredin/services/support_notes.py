"""A customer shares something with Kredin's support (the "share diagnostics" button)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from kredin.audit import audit_record
from kredin.models import Membership, SupportNote

# Keys never copied into a note, however a caller builds its details.
_SECRET_WORDS = ("token", "secret", "password", "passord", "authorization", "cookie", "key")


def without_secrets(details: Any) -> Any:
    """The details with every value under a secret-sounding key left out, at any depth."""
    if isinstance(details, dict):
        return {
            key: without_secrets(value)
            for key, value in details.items()
            if not any(word in str(key).lower() for word in _SECRET_WORDS)
        }
    if isinstance(details, list):
        return [without_secrets(value) for value in details]
    return details


@transaction.atomic
def support_note_create(
    *,
    membership: Membership,
    topic: str,
    subject: str,
    details: dict[str, Any],
    request: HttpRequest | None = None,
) -> SupportNote:
    note = SupportNote.objects.create(
        organization=membership.organization,
        author=membership.user,
        topic=topic,
        subject=subject[:200],
        details=without_secrets(details),
    )
    audit_record(
        action="support.note_shared",
        organization=membership.organization,
        actor=membership.user,
        target=note,
        details={"topic": topic},
        request=request,
    )
    return note
