"""Benchmarks of the Business NXT sync and the reskontro pages (`make bench` runs this file).

    .venv/bin/python bench/run.py [--customers 10000] [--open-items 100000] [--seed 1]

What it does, all against a PostgreSQL database of its own (DATABASE_URL's name + "_bench",
dropped and created afresh):

1. migrates it and seeds a sandbox company with `manage.py sandbox_seed`, sized so that about
   `--open-items` items are open and overdue;
2. serves the project (with its Business NXT stand-in) from a SEPARATE gunicorn process;
3. fetch-only: pages through customers, open entries and transactions with the sync's own
   client, storing nothing (twice: before and after the sync);
4. a full sync of an empty mirror, timing the database writes apart from the whole;
5. pays 1 % of the open items through the sandbox's control API and runs an incremental sync;
6. renders the reskontro page and the open-items API at that volume: server time (median,
   p95) and SQL queries per request.

Prints a Markdown report; docs/benchmarks.md holds the figures of a recorded run.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
GRAPHQL_PATH = "/sandbox/businessnxt/api/graphql"
CONTROL_PATH = "/sandbox/businessnxt/_control"
# Share of seeded invoices still open and overdue (seed model: ~23.5 %, measured 23-24 %).
OPEN_SHARE = 0.235


def bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kredin")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{parts.path.lstrip('/') or 'kredin'}_bench"))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


@contextlib.contextmanager
def server(env: dict, port: int) -> Iterator[str]:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
        [
            PYTHON,
            "-m",
            "gunicorn",
            "kredin.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("the benchmark server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def organization_number(n: int) -> str:
    """The n-th valid (MOD11) organisation number from 90000000x on."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    base = 90_000_000
    while True:
        digits = str(base)
        check = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if check < 10:
            n -= 1
            if n == 0:
                return digits + str(check % 11)
        base += 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


class Timer:
    """Wraps functions to add up the time spent in them."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, module, name: str) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        setattr(module, name, timed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--open-items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--page-requests", type=int, default=30)
    parser.add_argument(
        "--skip-fetch-only",
        action="store_true",
        help="leave out the two fetch-only runs (and so the sync / fetch ratio)",
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="keep the bench database and its seeded company (saves the seed)",
    )
    args = parser.parse_args()

    url = bench_database_url()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench._settings",
        "DJANGO_DEBUG": "true",
        "KREDIN_SANDBOX_ENABLED": "true",
        "CELERY_BROKER_URL": "memory://",
        "PYTHONPATH": str(ROOT),
        # The sandbox's _control/ switches want a shared secret; the server process and this
        # one both read it from here (a throwaway one unless the caller set their own).
        "KREDIN_SANDBOX_CONTROL_SECRET": os.environ.get("KREDIN_SANDBOX_CONTROL_SECRET")
        or secrets.token_urlsafe(24),
    }
    invoices = math.ceil(args.open_items / OPEN_SHARE)
    print(
        f"database {urlsplit(url).path.lstrip('/')}: migrating, seeding "
        f"{args.customers} customers and {invoices} invoices ...",
        flush=True,
    )
    if args.reuse_database:
        company_no = 9112233  # sandbox_seed's default company
    else:
        recreate_database(url)
        manage(env, "migrate", "-v", "0")
        started = time.perf_counter()
        # Seeded as of yesterday: the seed stamps a day's rows with clock times up to 17:00,
        # and stamps later than now (which a real ledger never has) would be read again by
        # every incremental sync, blurring what it costs.
        yesterday = (date.today() - timedelta(days=1)).isoformat()
        seeded = manage(
            env,
            "sandbox_seed",
            "--customers",
            str(args.customers),
            "--invoices",
            str(invoices),
            "--seed",
            str(args.seed),
            "--today",
            yesterday,
        )
        company_no = int(seeded.strip().splitlines()[-1].split(":")[1])
        print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)

    os.environ.update(env)
    import django

    django.setup()
    with server(env, free_port()) as base_url:
        report = run(base_url, company_no, args)
    print()
    print(report)
    return 0


def run(base_url: str, company_no: int, args) -> str:
    import requests
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from integrations.connectors import client_for
    from integrations.models import Integration, IntegrationStatus, SyncKind, SyncRun
    from integrations.oauth import credential_store
    from integrations.sync import sync_run_execute
    from integrations.sync.engine import due_cutoff
    from kredin.models import Membership, Organization, User
    from kredin.tenancy import organization_scope
    from ledger import services as ledger_services
    from ledger.models import OpenItem
    from sandbox import conf
    from sandbox.connect import tokens
    from sandbox.models import ConnectClient, Grant, SandboxUser

    settings.BUSINESS_NXT_GRAPHQL_URL = base_url + GRAPHQL_PATH
    lines = [
        "| measure | value |",
        "|---|---|",
    ]

    def out(name: str, value: str) -> None:
        lines.append(f"| {name} | {value} |")
        print(f"{name}: {value}", flush=True)

    suffix = Organization.objects.count() + 1
    organization = Organization.objects.create(
        name="Benk AS", organization_number=organization_number(suffix), slug=f"benk-{suffix}"
    )
    user = User.objects.create_user(email=f"benk{suffix}@example.no", password="benk-benk-benk-1")
    Membership.objects.create(organization=organization, user=user, role="owner")
    grant = Grant.objects.create(
        client=ConnectClient.objects.get(client_id=conf.client_id()),
        user=SandboxUser.objects.get(email=conf.DEMO_EMAIL),
        scope=f"openid offline_access {conf.USER_SCOPE}",
    )
    token = tokens.issue_tokens(
        grant,
        tokens.Endpoints(
            issuer=base_url + "/sandbox/visma-connect",
            graphql=base_url + GRAPHQL_PATH,
            graphql_service=base_url + GRAPHQL_PATH + "-service",
        ),
    )
    with organization_scope(organization):
        integration = Integration.objects.create(
            status=IntegrationStatus.ACTIVE,
            visma_company_id=company_no,
            company_name="Benk",
            fetch_from_date=timezone.localdate().replace(year=timezone.localdate().year - 4),
            days_past_due=1,
            activated_at=timezone.now(),
        )
        credential_store(integration=integration, token=token)

        def fetch_only() -> tuple[float, int, int]:
            cutoff = due_cutoff(integration)
            rows = requests_sent = 0
            started = time.perf_counter()
            with client_for(integration) as client:
                pages = [
                    client.customers(company_no=company_no),
                    client.open_entries(
                        company_no=company_no,
                        due_on_or_before=cutoff,
                        voucher_date_from=integration.fetch_from_date,
                    ),
                    client.transactions(
                        company_no=company_no, voucher_date_from=integration.fetch_from_date
                    ),
                ]
                for iterator in pages:
                    for page in iterator:
                        rows += len(page.items)
                requests_sent = client.requests_sent
            return time.perf_counter() - started, rows, requests_sent

        if not args.skip_fetch_only:
            fetch_1, rows, fetch_requests = fetch_only()
            out("fetch-only, run 1", f"{fetch_1:.2f} s ({rows} rows, {fetch_requests} requests)")

        writes = Timer()
        for name in (
            "customers_upsert",
            "customers_ensure",
            "open_items_upsert",
            "transactions_upsert",
            "customer_ids",
        ):
            writes.wrap(ledger_services, name)
        run = SyncRun.objects.create(integration=integration, kind=SyncKind.FULL, trigger="manual")
        started = time.perf_counter()
        sync_run_execute(run_id=run.pk)
        full = time.perf_counter() - started
        run.refresh_from_db()
        assert run.status == "succeeded", run.error
        if not args.skip_fetch_only:
            fetch_2, _, _ = fetch_only()
            fetch = min(fetch_1, fetch_2)
            out("fetch-only, run 2", f"{fetch_2:.2f} s")
        stored = run.customers_seen + run.items_seen + run.transactions_seen
        out(
            "full sync",
            f"{full:.2f} s: {run.customers_seen} customers, {run.items_seen} open items, "
            f"{run.transactions_seen} transactions",
        )
        out("full sync, rows/s end to end", f"{stored / full:,.0f}")
        out(
            "time in database writes during the sync (CPUs shared with the server)",
            f"{writes.seconds:.2f} s → {stored / writes.seconds:,.0f} rows/s",
        )
        if not args.skip_fetch_only:
            out("sync time / fetch-only time", f"{full / fetch:.2f} (goal ≤ 1.30)")

        # 1 % of the open items paid through the control API, as a bank payment would be.
        open_invoices = list(
            OpenItem.objects.filter(kind="invoice", status="open")
            .exclude(invoice_no="")
            .values_list("invoice_no", flat=True)
        )
        paid = random.Random(args.seed).sample(  # noqa: S311 - a sample, not a secret
            open_invoices, max(1, len(open_invoices) // 100)
        )
        session = requests.Session()
        session.headers["X-Sandbox-Control-Secret"] = settings.SANDBOX_CONTROL_SECRET
        for invoice_no in paid:
            response = session.post(
                f"{base_url}{CONTROL_PATH}/payment",
                json={"company_no": company_no, "invoice_no": invoice_no},
            )
            response.raise_for_status()
        run = SyncRun.objects.create(
            integration=integration, kind=SyncKind.INCREMENTAL, trigger="manual"
        )
        started = time.perf_counter()
        sync_run_execute(run_id=run.pk)
        incremental = time.perf_counter() - started
        run.refresh_from_db()
        assert run.status == "succeeded", run.error
        out(
            "incremental sync, 1 % paid",
            f"{incremental:.2f} s: {len(paid)} payments, {run.items_settled} items settled, "
            f"{run.transactions_seen} transactions read",
        )
        out("incremental / full", f"{100 * incremental / full:.1f} % (goal ≤ 5 %)")

    lines += ingest_only(company_no, out)
    lines += page_timings(
        organization, user, args.page_requests, CaptureQueriesContext, connection, out
    )
    lines.insert(
        0,
        f"Machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"PostgreSQL {connection.cursor().connection.info.server_version}.\n",
    )
    return "\n".join(lines)


def ingest_only(company_no: int, out) -> list[str]:
    """The write path alone: the company's open entries and transactions, 500 a page, into an
    empty mirror of a new organisation, with no server competing for the CPUs."""
    from django.db import transaction

    from integrations.businessnxt.records import entry_from_row
    from integrations.models import Integration
    from kredin.models import Organization
    from kredin.tenancy import organization_scope
    from ledger import services
    from sandbox.models import CustomerTransaction

    fields = {
        "voucherJournalNo": "voucher_journal_no",
        "auditNo": "audit_no",
        "customerNo": "customer_no",
        "voucherNo": "voucher_no",
        "voucherDate": "voucher_date",
        "dueDate": "due_date",
        "invoiceNo": "invoice_no",
        "text": "text",
        "cid": "cid",
        "voucherType": "voucher_type",
        "amountDomestic": "amount_domestic",
        "outstandingAmountDomestic": "outstanding_amount_domestic",
    }
    rows = CustomerTransaction.objects.filter(company__company_no=company_no).order_by("pk")
    opened = rows.exclude(outstanding_amount_domestic=0)[:100_000]
    history = rows[:100_000]

    def entries(queryset):
        return [
            entry_from_row(
                {
                    **{k: r[v] for k, v in fields.items()},
                    "changedTimestamp": "2026-01-01 10:00:00.000",
                }
            )
            for r in queryset.values(*fields.values())
        ]

    suffix = Organization.objects.count() + 1
    organization = Organization.objects.create(
        name="Benk Inn AS",
        organization_number=organization_number(suffix),
        slug=f"benk-{suffix}",
    )
    with organization_scope(organization):
        integration = Integration.objects.create(status="active", visma_company_id=company_no)
        for label, upsert, batch in (
            ("open items", services.open_items_upsert, entries(opened)),
            ("transactions", services.transactions_upsert, entries(history)),
        ):
            started = time.perf_counter()
            known: dict[str, int] = {}
            for i in range(0, len(batch), 500):
                page = batch[i : i + 500]
                with transaction.atomic():
                    services.customers_ensure(
                        integration_id=integration.pk,
                        external_ids={e.customer_external_id for e in page},
                        known=known,
                    )
                    upsert(integration_id=integration.pk, entries=page, customers=known)
            seconds = time.perf_counter() - started
            out(
                f"ingest only, {len(batch)} {label} (500 a page, empty mirror)",
                f"{seconds:.2f} s → {len(batch) / seconds:,.0f} {label}/s (goal ≥ 10,000)",
            )
    return []


def page_timings(organization, user, count, capture, connection, out) -> list[str]:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    client = Client()
    client.force_login(user)
    targets = []
    for label, name, query in (
        ("reskontro page", "ledger:reskontro", ""),
        ("reskontro page 50", "ledger:reskontro", "?page=50"),
        ("open-items API", "ledger-api:open-item-list", ""),
        ("open-items API page 50", "ledger-api:open-item-list", "?page=50"),
    ):
        try:
            targets.append((label, reverse(name, kwargs={"org_slug": organization.slug}) + query))
        except NoReverseMatch:
            out(label, "not measured (no such URL yet)")
    for label, url in targets:
        client.get(url)  # warm-up
        times, queries = [], []
        for _ in range(count):
            with capture(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append(1000 * (time.perf_counter() - started))
            queries.append(len(captured))
            if response.status_code != 200:
                out(label, f"HTTP {response.status_code} at {url}")
                break
        else:
            out(
                f"{label} ({url})",
                f"median {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, "
                f"{max(queries)} SQL queries",
            )
    return []


if __name__ == "__main__":
    sys.exit(main())
