"""Writing to the append-only audit log."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from kredin.models import AuditEvent, Organization, User


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: from X-Forwarded-For only as far as trusted proxies wrote it.

    Each of the KREDIN_TRUSTED_PROXY_COUNT proxies in front of us appends the address it
    saw, so the client is that many entries from the right; anything further left came
    from the client and may be made up. With no trusted proxy the header is ignored.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    trusted = settings.KREDIN_TRUSTED_PROXY_COUNT
    if trusted > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= trusted:
            address = hops[-trusted]
    return _valid_ip(address)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


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
