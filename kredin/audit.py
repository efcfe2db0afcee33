"""Writing to the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from kredin.models import AuditEvent, Organization, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind the deployment's proxy the first forwarded address is the client's.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    organization: Organization | None = None,
    actor: User | None = None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        organization=organization,
        actor=actor,
        actor_label=getattr(actor, "email", "") or "",
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=str(target)[:200] if target is not None else "",
        details=details or {},
        ip_address=client_ip(request),
    )
