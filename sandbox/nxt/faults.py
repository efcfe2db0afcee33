"""Per-company fault switches, kept in the DB so every server thread and process sees them."""

from __future__ import annotations

from django.db.models import F

from sandbox.models import Fault


def set_fault(*, company_no: int, kind: str, count: int = 1, delay_ms: int = 0) -> Fault:
    """Make the next ``count`` affected requests for the company misbehave.

    Kinds: ``http_500`` and ``http_429`` (status only), ``timeout`` (sleep ``delay_ms`` then answer
    504, meant to outlast the client's timeout), ``slow`` (sleep ``delay_ms`` then answer normally),
    ``duplicate_page`` (the next continuation page repeats the previous page's items).
    """
    if kind not in Fault.Kind.values:
        raise ValueError(f"Unknown fault kind {kind!r}; expected one of {Fault.Kind.values}")
    return Fault.objects.create(
        company_no=company_no, kind=kind, remaining=count, delay_ms=delay_ms
    )


def clear_faults(*, company_no: int | None = None) -> int:
    rows = (
        Fault.objects.all() if company_no is None else Fault.objects.filter(company_no=company_no)
    )
    return rows.delete()[0]


def consume(company_no: int, kind: str) -> Fault | None:
    """Use up one occurrence of a pending fault; safe under concurrent requests."""
    pending = Fault.objects.filter(company_no=company_no, kind=kind, remaining__gt=0)
    for fault in pending.order_by("id"):
        if Fault.objects.filter(pk=fault.pk, remaining__gt=0).update(remaining=F("remaining") - 1):
            return fault
    return None


def transport_fault(company_nos: set[int]) -> Fault | None:
    """The first pending request-level fault for any of the companies a request touches."""
    if not company_nos:
        return None
    kinds = [Fault.Kind.HTTP_500, Fault.Kind.HTTP_429, Fault.Kind.TIMEOUT, Fault.Kind.SLOW]
    candidates = Fault.objects.filter(
        company_no__in=company_nos, kind__in=kinds, remaining__gt=0
    ).order_by("id")
    for fault in candidates:
        if Fault.objects.filter(pk=fault.pk, remaining__gt=0).update(remaining=F("remaining") - 1):
            return fault
    return None
