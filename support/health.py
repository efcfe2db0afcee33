"""What the system health page reads: the broker's queues, the workers, beat, failures.

Broker and worker questions are asked live, with short timeouts, and any failure is shown
as "unknown" with the error rather than breaking the page: the page is most needed exactly
when the broker is down. Error figures say precisely what they count.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from celery.signals import task_prerun
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from brreg.models import CustomerEnrichment, FeedCursor, MatchStatus
from debt_collection.models import VoucherPosting, VoucherStatus
from integrations.models import Integration, IntegrationStatus, SyncRun, SyncStatus
from kredin.celery import app as celery_app

BEAT_LAST_RUN_KEY = "support:beat_last_run"
# Longer than the longest beat interval (daily), so a day's silence is still visible.
BEAT_KEY_TIMEOUT = 3 * 24 * 60 * 60
WINDOW = timedelta(hours=24)
FAILING_LIMIT = 50


@dataclass(frozen=True)
class QueueLengths:
    # None per queue when the broker could not be asked.
    lengths: dict[str, int | None]
    error: str = ""


@dataclass(frozen=True)
class Workers:
    names: list[str] | None  # None: unknown
    error: str = ""


@dataclass(frozen=True)
class Rate:
    failed: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(100) * self.failed / self.total).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class RegisterHealth:
    waiting_for_retry: int
    lookups: Rate
    feed: FeedCursor | None


@dataclass
class SystemHealth:
    queues: QueueLengths
    workers: Workers
    beat_last_run: datetime | None
    failing_integrations: list[Integration] = field(default_factory=list)
    sync_runs: Rate = Rate(0, 0)
    voucher_postings: Rate = Rate(0, 0)
    register: RegisterHealth | None = None


def queue_names() -> list[str]:
    names = getattr(celery_app.conf, "task_queues_names", None)
    return list(names or [settings.CELERY_TASK_DEFAULT_QUEUE])


def queue_lengths() -> QueueLengths:
    names = queue_names()
    lengths: dict[str, int | None] = {}
    try:
        with celery_app.connection_for_read() as conn:
            # One quick try: a page waiting for a dead broker helps nobody.
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            for name in names:
                lengths[name] = _queue_length(conn, name)
    except Exception as exc:  # any broker failure means "unknown", shown with the error
        return QueueLengths(lengths=dict.fromkeys(names), error=_error_text(exc))
    return QueueLengths(lengths=lengths)


def _queue_length(conn, name: str) -> int:
    # A channel per queue: a passive declare of a missing queue may close its channel.
    channel = conn.channel()
    try:
        return channel.queue_declare(queue=name, passive=True).message_count
    except conn.channel_errors:
        return 0  # the queue does not exist yet: nothing was ever sent to it
    finally:
        # Closing a broken channel is best effort.
        with contextlib.suppress(Exception):
            channel.close()


def workers_alive(*, timeout: float = 1.0) -> Workers:
    try:
        replies = celery_app.control.inspect(timeout=timeout).ping() or {}
    except Exception as exc:
        return Workers(names=None, error=_error_text(exc))
    return Workers(names=sorted(replies))


def beat_task_names() -> frozenset[str]:
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", {}) or {}
    return frozenset(entry["task"] for entry in schedule.values() if "task" in entry)


@task_prerun.connect(dispatch_uid="support.health.record_beat_task")
def record_beat_task(sender=None, task=None, **kwargs) -> None:
    """A worker starting a task that beat schedules is the evidence beat is alive; the
    time goes to the shared cache (nothing in the database records beat)."""
    name = getattr(task, "name", None) or getattr(sender, "name", None)
    if name in beat_task_names():
        # A cache outage must not fail the task itself.
        with contextlib.suppress(Exception):
            cache.set(BEAT_LAST_RUN_KEY, timezone.now().isoformat(), BEAT_KEY_TIMEOUT)


def beat_last_run() -> datetime | None:
    try:
        value = cache.get(BEAT_LAST_RUN_KEY)
    except Exception:
        return None
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def failing_integrations(*, limit: int = FAILING_LIMIT) -> list[Integration]:
    """Live integrations that must be reconnected, carry an error, or whose latest run
    failed (disconnected ones are left alone: nobody expects them to sync)."""
    latest_run = (
        SyncRun.objects.unscoped().filter(integration=OuterRef("pk")).order_by("-created_at", "-id")
    )
    return list(
        Integration.objects.unscoped()
        .exclude(status=IntegrationStatus.DISCONNECTED)
        .annotate(
            latest_run_status=Subquery(latest_run.values("status")[:1]),
            latest_run_error_code=Subquery(latest_run.values("error_code")[:1]),
        )
        .filter(
            Q(status=IntegrationStatus.MUST_RECONNECT)
            | ~Q(last_error_code="")
            | Q(latest_run_status=SyncStatus.FAILED)
        )
        .select_related("organization")
        .order_by("organization__name", "id")[:limit]
    )


def sync_run_rate(*, since: datetime) -> Rate:
    counts = (
        SyncRun.objects.unscoped()
        .filter(created_at__gte=since)
        .aggregate(total=Count("id"), failed=Count("id", filter=Q(status=SyncStatus.FAILED)))
    )
    return Rate(failed=counts["failed"], total=counts["total"])


def voucher_posting_rate(*, since: datetime) -> Rate:
    counts = (
        VoucherPosting.objects.unscoped()
        .filter(created_at__gte=since)
        .aggregate(total=Count("id"), failed=Count("id", filter=Q(status=VoucherStatus.FAILED)))
    )
    return Rate(failed=counts["failed"], total=counts["total"])


def register_health(*, since: datetime) -> RegisterHealth:
    """Customers whose lookup failed since `since`, of those looked up (failed or not), and
    who waits for a retry now. Counted per customer: one that failed and then succeeded in
    the window counts once, as failed."""
    failed = Q(last_failed_at__gte=since)
    counts = CustomerEnrichment.objects.unscoped().aggregate(
        waiting=Count("id", filter=Q(match=MatchStatus.PENDING_RETRY)),
        failed=Count("id", filter=failed),
        looked_up=Count("id", filter=failed | Q(last_enriched_at__gte=since)),
    )
    return RegisterHealth(
        waiting_for_retry=counts["waiting"],
        lookups=Rate(failed=counts["failed"], total=counts["looked_up"]),
        feed=FeedCursor.objects.filter(feed="enheter").first(),
    )


def system_health() -> SystemHealth:
    since = timezone.now() - WINDOW
    queues = queue_lengths()
    # Workers answer over the same broker: when it is down, asking them only waits.
    workers = Workers(names=None, error=queues.error) if queues.error else workers_alive()
    return SystemHealth(
        queues=queues,
        workers=workers,
        beat_last_run=beat_last_run(),
        failing_integrations=failing_integrations(),
        sync_runs=sync_run_rate(since=since),
        voucher_postings=voucher_posting_rate(since=since),
        register=register_health(since=since),
    )


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    # Some transports name the broker URL in their errors; its password stays out.
    password = urlsplit(str(celery_app.conf.broker_url or "")).password
    if password:
        text = text.replace(password, "****")
    return text[:300]
