"""The worker tier: a real Celery worker on Redis runs tenant tasks inside their scope."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from kredin.celery import app as celery_app
from kredin.models import AuditEvent
from kredin.tasks import tenant_task
from kredin.tenancy import current_organization_id

QUEUES = ["sync", "letters", "dispatch", "default"]


@tenant_task(name="tests.platform.record_heartbeat")
def record_heartbeat(organization_id: int, note: str) -> None:
    # The organisation comes from the scope the worker set up, not from the argument.
    AuditEvent.objects.create(
        action="platform.heartbeat",
        organization_id=current_organization_id(),
        details={"note": note},
    )


@pytest.fixture
def redis_worker(redis_url, monkeypatch):
    """A solo-pool worker in a thread, consuming every queue of the project from Redis."""
    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)  # read before Celery's own config
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    # Connections pooled for an earlier broker URL must not be reused.
    monkeypatch.setattr(celery_app, "_pool", None)
    celery_app.amqp._producer_pool = None
    with celery_app.connection_for_write() as conn:
        for queue in QUEUES:
            conn.default_channel.queue_purge(queue)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=QUEUES) as worker:
        yield worker
    celery_app.amqp._producer_pool = None


def wait_for_event(note: str, timeout: float = 20.0) -> AuditEvent | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = AuditEvent.objects.filter(action="platform.heartbeat", details__note=note).first()
        if event is not None:
            return event
        time.sleep(0.1)
    return None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("queue", QUEUES)
def test_real_worker_runs_tenant_task_in_its_organisation_scope(
    redis_worker, alice_org, charlie_org, queue
):
    record_heartbeat.apply_async(args=[alice_org.pk, f"via {queue}"], queue=queue)

    event = wait_for_event(f"via {queue}")

    assert event is not None, f"the worker did not run the task sent to {queue}"
    assert event.organization_id == alice_org.pk
