"""Per-company fault switches, kept in the DB so every server thread and process sees them.

A fault can be aimed at one operation and phased:

- ``operation``: empty (every request for the company, the original behaviour), a mutation
  field (``batch_create``, ``voucher_create``, ``batch_delete``), a processing
  (``updateBatch``), a table field (``customerTransaction``), or the name of the GraphQL
  operation (``query openEntries``, ``mutation create_batch``).
- ``phase``: ``before`` (the default) answers instead of running the request, so nothing is
  applied; ``after_commit`` runs the request, lets its mutation commit, and then answers with
  the fault, as when Business NXT finishes a write but the answer is lost on the way back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q

from sandbox.models import Fault

# The faults that replace (or delay) a whole answer; duplicate_page acts inside the paging.
TRANSPORT_KINDS = (
    Fault.Kind.HTTP_500,
    Fault.Kind.HTTP_504,
    Fault.Kind.HTTP_429,
    Fault.Kind.TIMEOUT,
    Fault.Kind.SLOW,
)
# A 429 means the gateway turned the request away, so it cannot come after a commit.
AFTER_COMMIT_KINDS = (Fault.Kind.HTTP_500, Fault.Kind.HTTP_504, Fault.Kind.TIMEOUT, Fault.Kind.SLOW)


def set_fault(
    *,
    company_no: int,
    kind: str,
    count: int = 1,
    delay_ms: int = 0,
    operation: str = "",
    phase: str = Fault.Phase.BEFORE,
) -> Fault:
    """Make the next ``count`` affected requests for the company misbehave.

    Kinds: ``http_500``, ``http_504`` and ``http_429`` (status only), ``timeout`` (sleep
    ``delay_ms`` then answer 504, meant to outlast the client's timeout), ``slow`` (sleep
    ``delay_ms`` then answer normally), ``duplicate_page`` (the next continuation page repeats
    the previous page's items). With ``phase="after_commit"`` the request runs and commits
    first; ``http_429`` and ``duplicate_page`` are before-only.
    """
    if kind not in Fault.Kind.values:
        raise ValueError(f"Unknown fault kind {kind!r}; expected one of {Fault.Kind.values}")
    if phase not in Fault.Phase.values:
        raise ValueError(f"Unknown fault phase {phase!r}; expected one of {Fault.Phase.values}")
    if phase == Fault.Phase.AFTER_COMMIT and kind not in AFTER_COMMIT_KINDS:
        raise ValueError(
            f"Fault kind {kind!r} cannot come after the commit; use one of "
            f"{[str(k) for k in AFTER_COMMIT_KINDS]}"
        )
    if count < 1 or delay_ms < 0:
        raise ValueError("count must be at least 1 and delay_ms not negative")
    return Fault.objects.create(
        company_no=company_no,
        kind=kind,
        remaining=count,
        delay_ms=delay_ms,
        operation=operation or "",
        phase=phase,
    )


def clear_faults(*, company_no: int | None = None) -> int:
    rows = (
        Fault.objects.all() if company_no is None else Fault.objects.filter(company_no=company_no)
    )
    return rows.delete()[0]


def _aimed_at(targets: Iterable[str] | None) -> Q:
    """Untargeted faults, and those aimed at one of the request's operations."""
    return Q(operation="") | Q(operation__in=sorted(targets or ()))


def _take(pending) -> Fault | None:
    """Use up one occurrence of the first pending fault; safe under concurrent requests."""
    for fault in pending.order_by("id"):
        if Fault.objects.filter(pk=fault.pk, remaining__gt=0).update(remaining=F("remaining") - 1):
            return fault
    return None


def consume(company_no: int, kind: str, targets: Iterable[str] | None = None) -> Fault | None:
    """Use up one occurrence of a pending fault of ``kind`` aimed at this request."""
    pending = Fault.objects.filter(company_no=company_no, kind=kind, remaining__gt=0)
    return _take(pending.filter(_aimed_at(targets)))


def transport_fault(
    company_nos: set[int],
    targets: Iterable[str] | None = None,
    phase: str = Fault.Phase.BEFORE,
) -> Fault | None:
    """The first pending request-level fault of ``phase`` for the companies a request touches,
    untargeted or aimed at one of ``targets`` (the request's operation names)."""
    if not company_nos:
        return None
    pending = Fault.objects.filter(
        company_no__in=company_nos, kind__in=TRANSPORT_KINDS, phase=phase, remaining__gt=0
    )
    return _take(pending.filter(_aimed_at(targets)))
