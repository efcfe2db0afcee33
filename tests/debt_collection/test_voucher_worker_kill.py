"""Exactly once, with a real crash: a Celery worker on Redis, in its own OS process, is
SIGKILLed after Business NXT has posted the voucher and before the worker has written that
down; a new worker takes the abandoned claim over, reads back, and records the voucher
instead of booking it a second time.

The sandbox's `slow` fault after the commit of `updateBatch` opens the window: the sandbox
posts the batch (its general-ledger lines exist), then holds the answer for a few seconds.
While it sleeps the worker is blocked on the HTTP answer, so the outbox row is still
"posting" with no journal number: that is when the worker is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from debt_collection.models import VoucherPosting, VoucherStatus
from debt_collection.tasks import vouchers_due_task
from kredin.celery import app as celery_app
from sandbox.models import Batch, Fault, GeneralLedgerTransaction
from sandbox.nxt import faults, limits
from sandbox.nxt.ledger import company_by_no
from sandbox.seeding import FEE_ACCOUNT, INTEREST_ACCOUNT
from tests.platform.conftest import redis_url  # noqa: F401  (the worker tier's Redis)

BASE_DIR = Path(__file__).resolve().parents[2]
QUEUES = ["sync", "letters", "dispatch", "default"]
CLAIM_TIMEOUT_SECONDS = 2
# How long the sandbox holds updateBatch's answer after posting: the window for the kill.
ANSWER_DELAY_MS = 5000


def _wait_for(condition: Callable[[], object], *, timeout: float, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None


def _exactly_one_voucher(debtor, posting: VoucherPosting) -> None:
    """As in test_vouchers.py: one journal, the income booked once, nothing left open."""
    posting.refresh_from_db()
    assert posting.status == VoucherStatus.POSTED, posting.error
    assert len(debtor.journals()) == 1
    assert debtor.journals() == {posting.journal_no}
    assert debtor.income_booked(FEE_ACCOUNT) == posting.costs
    assert debtor.income_booked(INTEREST_ACCOUNT) == posting.interest
    open_batches = Batch.objects.filter(company=company_by_no(debtor.company_no), posted=False)
    assert not open_batches.exists()
    assert debtor.balance_in_business_nxt() == Decimal("0.00")


def _test_database_url() -> str:
    """The database this test is using (test_…), for the worker to connect to."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


class WorkerProcess:
    """`celery -A kredin worker` in a session of its own, its output in a file."""

    def __init__(self, name: str, env: dict[str, str]):
        self.name = name
        self.log = Path(tempfile.mkstemp(prefix=f"kredin-{name}-", suffix=".log")[1])
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kredin",
                "worker",
                "-Q",
                "default",
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--hostname",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        if not self._log_file.closed:
            self._log_file.flush()
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = 30.0) -> None:
        ready = _wait_for(
            lambda: not self.alive() or " ready." in self.output(), timeout=timeout, interval=0.1
        )
        if not ready or not self.alive():
            pytest.fail(f"worker {self.name} did not start:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL the worker's whole process group, as the OOM killer or a lost node would."""
        if self.alive():
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (connections closed), SIGKILL if it takes too long."""
        if self.alive():
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log_file.close()


@pytest.fixture
def start_worker(debtor, redis_url, monkeypatch) -> Iterator[Callable[[], WorkerProcess]]:  # noqa: F811
    """Tasks go to Redis (not run eagerly); `start_worker()` starts a worker subprocess on
    the test database and the live server's sandbox. Every worker is dead before the test
    database is flushed; their logs are printed (pytest shows them when the test fails)."""
    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)  # read before Celery's own config
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    # Connections pooled for an earlier broker URL must not be reused.
    monkeypatch.setattr(celery_app, "_pool", None)
    celery_app.amqp._producer_pool = None
    with celery_app.connection_for_write() as conn:
        for queue in QUEUES:
            conn.default_channel.queue_purge(queue)

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "KREDIN_", "BUSINESS_NXT_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "VISMA_CONNECT_URL", "BRREG_API_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kredin.test_settings",
            "DJANGO_ENV_FILE": "",  # a developer's .env must not fill anything in
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "BUSINESS_NXT_GRAPHQL_URL": settings.BUSINESS_NXT_GRAPHQL_URL,
            "VISMA_CONNECT_URL": settings.VISMA_CONNECT_URL,
            "BRREG_API_URL": "http://127.0.0.1:9/enhetsregisteret/api",
            "KREDIN_VOUCHER_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT_SECONDS),
            # Longer than the sandbox's delay: the worker waits for the answer, not times out.
            "KREDIN_HTTP_TIMEOUT_SECONDS": "30",
            "PYTHONUNBUFFERED": "1",
        }
    )
    workers: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        worker = WorkerProcess(f"kill-test-{len(workers) + 1}", env)
        workers.append(worker)
        worker.wait_ready()
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
        # The sandbox request left sleeping by the kill holds a database connection in the
        # live server; let it finish so the test database can be flushed and dropped.
        _wait_for(lambda: not limits._in_flight.get(debtor.company_no), timeout=15)
        celery_app.amqp._producer_pool = None
        for worker in workers:
            print(f"\n===== {worker.name} (pid {worker.pid}) =====\n{worker.output()}")
            worker.log.unlink(missing_ok=True)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_after_business_nxt_posted_leaves_exactly_one_voucher(debtor, start_worker):
    company = company_by_no(debtor.company_no)
    first = start_worker()
    debtor.pays(debtor.owed_today())
    debtor.sync()
    fault = faults.set_fault(
        company_no=debtor.company_no,
        kind="slow",
        delay_ms=ANSWER_DELAY_MS,
        operation="updateBatch",
        phase="after_commit",
    )

    debtor.day()  # records the payment; on commit the voucher's task goes to Redis
    posting = VoucherPosting.objects.get()

    def posted_in_business_nxt_not_yet_recorded() -> bool:
        """Business NXT has posted the lines and is holding its answer (the after-commit
        fault is used up, so its sleep has begun), and Kredin's row does not know yet."""
        posting.refresh_from_db()
        fault.refresh_from_db()
        lines = GeneralLedgerTransaction.objects.filter(company=company, text__contains=posting.key)
        return (
            lines.exists()
            and fault.remaining == 0
            and posting.status == VoucherStatus.POSTING
            and posting.journal_no is None
        )

    between = _wait_for(
        lambda: not first.alive() or posted_in_business_nxt_not_yet_recorded(),
        timeout=ANSWER_DELAY_MS / 1000 + 15,
    )
    assert between and first.alive(), (
        f"never saw the voucher posted but unrecorded: {posting.status}, {posting.error}"
    )
    first.kill()
    assert "debt_collection.vouchers.post" in first.output()
    assert "succeeded" not in first.output(), "the first worker was to die inside the task"

    posting.refresh_from_db()
    assert posting.status == VoucherStatus.POSTING and posting.journal_no is None
    assert posting.attempts == 1 and posting.batch_no is not None
    batch = Batch.objects.get(company=company, batch_no=posting.batch_no)
    assert batch.posted, "Business NXT did post the batch before the worker died"
    assert Fault.objects.filter(pk=fault.pk, remaining__gt=0).count() == 0

    start_worker()
    # The new worker's claim timeout (its env) is CLAIM_TIMEOUT_SECONDS: once that has passed
    # since the dead worker's claim, beat's sweep finds the row abandoned.
    abandoned_at = posting.claimed_at + timedelta(seconds=CLAIM_TIMEOUT_SECONDS + 0.5)
    time.sleep(max((abandoned_at - timezone.now()).total_seconds(), 0))
    vouchers_due_task.apply_async(queue="default")  # beat's sweep: the dead worker's claim

    def recorded() -> bool:
        posting.refresh_from_db()
        return posting.status != VoucherStatus.POSTING

    assert _wait_for(recorded, timeout=30, interval=0.1), "the new worker never took it over"
    _exactly_one_voucher(debtor, posting)
    assert posting.attempts == 2
    assert posting.journal_no == Batch.objects.get(pk=batch.pk).voucher_journal_no
    assert (
        GeneralLedgerTransaction.objects.filter(company=company, text__contains=posting.key)
        .values("voucher_journal_no")
        .distinct()
        .count()
        == 1
    )
