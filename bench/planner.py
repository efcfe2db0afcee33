"""Benchmark of the autopilot's planning step over many organisations (`make bench` runs it).

    .venv/bin/python bench/planner.py [--organizations 100] [--items 1000] [--cases 200]

Issue #11: planning for 100,000 open items and 20,000 active cases over 100 organisations
should take at most 60 s in all on a 2-core machine, with a constant number of SQL queries
per organisation (not per case), and the time at 10,000 items beside it (linear: ratio ≈ 10).

What it does, against a PostgreSQL database of its own (DATABASE_URL's name +
"_bench_planner", dropped and created afresh, dropped again at the end unless
--keep-database):

1. migrates it and builds, with bulk_create, the small size: `--organizations`
   organisations with `--items / 10` open invoices and `--cases / 10` active cases each;
2. runs `plan_day(on=today)` in every organisation's scope, `--repeat` times, adding up the
   wall time and counting the SQL statements of each organisation;
3. empties the tables and does the same at full size (`--items` invoices and `--cases` cases
   per organisation: 100,000 and 20,000 by default);
4. prints a Markdown report: totals, ratio, queries per organisation, actions by kind.

The cases are built like the autopilot's own (debt_collection/autopilot/apply.py): each on
1-3 overdue invoices of one customer (a CaseItem and a PRINCIPAL claim entry per invoice),
with 0-3 letters in the default order (friendly reminder, reminder, collection notice), each
a Document with its deadline, the statutory fee (FEE entry) for fee-bearing steps and the
late interest up to its day (INTEREST entry per invoice), and Case.current_step set to the
last letter's step. Some invoices in cases have been paid in part since. The other invoices
of the organisation are in no case, for the planner to start new cases with.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL_SECONDS = 60.0
CUSTOMERS_PER_CASE = 1.5  # customers per organisation: 1.5 × its cases (at least 20)
NOT_YET_DUE_SHARE = 0.03
PART_PAID_SHARE = 0.05  # invoices in cases the ledger shows paid in part since
BUSINESS_SHARE = 0.4
DEADLINE_DAYS = {"friendly_reminder": 7, "reminder": 14, "collection_notice": 14}
STEPS = ("friendly_reminder", "reminder", "collection_notice")


def bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kredin")
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "kredin"
    return urlunsplit(parts._replace(path=f"/{name}_bench_planner"))


def _admin(url: str, *statements: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def recreate_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def organization_numbers(count: int, start: int = 91_000_000) -> list[str]:
    """`count` valid, distinct organisation numbers: the first eight digits counted up from
    `start`, the ninth the MOD11 check digit python-stdnum accepts (bases with none skipped)."""
    from stdnum.no import orgnr

    found: list[str] = []
    base = start
    while len(found) < count:
        digits = str(base)
        for check in "0123456789":
            if orgnr.is_valid(digits + check):
                found.append(digits + check)
                break
        base += 1
    return found


# --- building the data ----------------------------------------------------------------------


def build(*, organizations: int, items: int, cases: int, today: date, seed: int) -> dict:
    """Organisations, settings, customers, invoices and cases, in bulk; returns the counts."""
    from django.db import connection

    from debt_collection.models import (
        Case,
        CaseItem,
        ClaimEntry,
        CollectionSettings,
        Document,
        DocumentStatus,
        EntryKind,
    )
    from debt_collection.rules import late_interest, statutory_fee_amount
    from debt_collection.rules.fees import step_fee_rule
    from debt_collection.selectors import collection_rules
    from kredin.models import Organization
    from ledger.models import Customer, CustomerType, OpenItem

    rules = collection_rules()
    rng = random.Random(seed)  # noqa: S311 - test data, not a secret
    numbers = organization_numbers(organizations)
    orgs = Organization.objects.bulk_create(
        [
            Organization(name=f"Planbenk {n:03d} AS", organization_number=number, slug=f"plan-{n}")
            for n, number in enumerate(numbers, 1)
        ]
    )
    CollectionSettings.objects.unscoped().bulk_create(
        [
            CollectionSettings(
                organization=org,
                autopilot="automatic",
                sender_name=org.name,
                sender_address="Benkveien 1",
                sender_post_code="0150",
                sender_city="Oslo",
                sender_organization_number=org.organization_number,
                bank_account="15030012345",
                sender_email="post@planbenk.example",
            )
            for org in orgs
        ]
    )
    customers_per_org = max(20, round(cases * CUSTOMERS_PER_CASE))
    customers = Customer.objects.unscoped().bulk_create(
        [
            Customer(
                organization=org,
                external_id=str(10_000 + c),
                customer_no=10_000 + c,
                name=f"Kunde {c}",
                customer_type=CustomerType.BUSINESS
                if rng.random() < BUSINESS_SHARE
                else CustomerType.PERSON,
            )
            for org in orgs
            for c in range(customers_per_org)
        ],
        batch_size=5000,
    )
    by_org: dict[int, list] = {}
    for customer in customers:
        by_org.setdefault(customer.organization_id, []).append(customer)

    invoice_rows = []
    for org in orgs:
        for n in range(items):
            if rng.random() < NOT_YET_DUE_SHARE:
                due = today + timedelta(days=rng.randint(1, 14))
            else:
                due = today - timedelta(days=rng.randint(1, 120))
            amount = Decimal(rng.randint(500, 50_000)).quantize(Decimal("0.01"))
            invoice_rows.append(
                OpenItem(
                    organization=org,
                    customer=rng.choice(by_org[org.pk]),
                    external_id=f"1:{n + 1}",
                    kind="invoice",
                    invoice_no=str(100_000 + n),
                    voucher_no=100_000 + n,
                    voucher_date=due - timedelta(days=14),
                    due_date=due,
                    kid=f"{100_000 + n:07d}",
                    amount=amount,
                    outstanding=amount,
                    status="open",
                )
            )
    invoices = OpenItem.objects.unscoped().bulk_create(invoice_rows, batch_size=5000)

    # Cases: one customer each, on 1-3 of its invoices at least 8 days overdue.
    case_rows, links, entries, letters, letter_entries = [], [], [], [], []
    part_paid: list = []
    overdue_by_customer: dict[int, list] = {}
    for item in invoices:
        if item.due_date <= today - timedelta(days=8):
            overdue_by_customer.setdefault(item.customer_id, []).append(item)
    business = {c.pk for c in customers if c.customer_type == CustomerType.BUSINESS}
    fee_cache: dict[tuple[str, date], Decimal] = {}
    for org in orgs:
        candidates = [c for c in by_org[org.pk] if overdue_by_customer.get(c.pk)]
        rng.shuffle(candidates)
        if len(candidates) < cases:
            raise SystemExit(f"only {len(candidates)} customers with overdue items for {cases}")
        for number, customer in enumerate(candidates[:cases], 1):
            own = overdue_by_customer[customer.pk]
            chosen = rng.sample(own, min(len(own), rng.randint(1, 3)))
            first_day = max(item.due_date for item in chosen) + timedelta(days=7)
            # The letters so far: 0-3 in the default order, each after the previous deadline.
            wanted = rng.randint(0, 3)
            dated: list[tuple[str, date, date]] = []
            day = first_day + timedelta(days=rng.randint(0, 3))
            for step in STEPS[:wanted]:
                if day > today:
                    break
                deadline = day + timedelta(days=DEADLINE_DAYS[step])
                dated.append((step, day, deadline))
                day = deadline + timedelta(days=1 + rng.randint(0, 6))
            started_on = dated[0][1] if dated else min(today, first_day + timedelta(days=2))
            case = Case(
                organization=org,
                number=number,
                customer=customer,
                state="active",
                current_step=dated[-1][0] if dated else "",
                debtor_is_business=customer.pk in business,
                started_on=started_on,
            )
            case_rows.append(case)
            for item in chosen:
                links.append(
                    CaseItem(
                        organization=org,
                        case=case,
                        open_item=item,
                        principal=item.amount,
                        added_on=started_on,
                    )
                )
                entries.append(
                    ClaimEntry(
                        organization=org,
                        case=case,
                        kind=EntryKind.PRINCIPAL,
                        entry_date=started_on,
                        amount=item.amount,
                        open_item=item,
                        rule="case_started",
                        source="reskontro",
                    )
                )
                if rng.random() < PART_PAID_SHARE:
                    part_paid.append(item)
            interest_until = {item.pk: item.due_date for item in chosen}
            for step, sent_on, deadline in dated:
                document = Document(
                    organization=org,
                    case=case,
                    step=step,
                    status=DocumentStatus.SENT,
                    planned_for=sent_on,
                    deadline=deadline,
                    content={"bench": True, "step": step},
                )
                letters.append(document)
                fee_rule = step_fee_rule(step)
                if fee_rule.value != "none":
                    key = (step, sent_on)
                    if key not in fee_cache:
                        fee_cache[key] = statutory_fee_amount(
                            fee_rule=fee_rule,
                            due_date=min(i.due_date for i in chosen),
                            on=sent_on,
                            rules=rules,
                        )
                    letter_entries.append(
                        ClaimEntry(
                            organization=org,
                            case=case,
                            kind=EntryKind.FEE,
                            entry_date=sent_on,
                            amount=fee_cache[key],
                            document=document,
                            rule=f"fee:{step}",
                            source=step,
                        )
                    )
                for item in chosen:
                    interest = late_interest(
                        item.amount, interest_until[item.pk], sent_on, rules=rules
                    )
                    interest_until[item.pk] = sent_on
                    if interest > 0:
                        letter_entries.append(
                            ClaimEntry(
                                organization=org,
                                case=case,
                                kind=EntryKind.INTEREST,
                                entry_date=sent_on,
                                amount=interest,
                                document=document,
                                open_item=item,
                                rule="late_interest",
                                source="forsinkelsesrenteloven § 3",
                            )
                        )
    Case.objects.unscoped().bulk_create(case_rows, batch_size=5000)
    for row in (*links, *entries, *letters):
        row.case_id = row.case.pk
    CaseItem.objects.unscoped().bulk_create(links, batch_size=5000)
    ClaimEntry.objects.unscoped().bulk_create(entries, batch_size=5000)
    Document.objects.unscoped().bulk_create(letters, batch_size=5000)
    for row in letter_entries:
        row.case_id, row.document_id = row.case.pk, row.document.pk
    ClaimEntry.objects.unscoped().bulk_create(letter_entries, batch_size=5000)
    # The ledger shows a part payment on some invoices in cases since they were claimed.
    for item in part_paid:
        item.outstanding = (item.amount * Decimal(rng.choice(("0.25", "0.5", "0.75")))).quantize(
            Decimal("0.01")
        )
    OpenItem.objects.unscoped().bulk_update(part_paid, ["outstanding"], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "organizations": len(orgs),
        "customers": len(customers),
        "open items": len(invoices),
        "overdue": sum(1 for i in invoices if i.due_date < today),
        "cases": len(case_rows),
        "items in cases": len(links),
        "letters": len(letters),
        "claim entries": len(entries) + len(letter_entries),
    }


def empty_tables() -> None:
    """Everything the organisations own goes (the database is this benchmark's own)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE kredin_organization CASCADE")


# --- measuring ------------------------------------------------------------------------------


def measure(*, today: date, repeat: int) -> dict:
    """plan_day for every organisation, `repeat` times: wall time, queries, actions."""
    from django.db import connection

    import debt_collection.autopilot as autopilot
    from kredin.models import Organization
    from kredin.tenancy import organization_scope

    organizations = list(Organization.objects.order_by("pk"))
    queries: list[int] = []
    runs: list[dict] = []

    def count(execute, sql, params, many, context):
        queries[-1] += 1
        return execute(sql, params, many, context)

    original_facts = autopilot.organization_facts
    for _ in range(repeat):
        facts_seconds = 0.0

        def timed_facts(*args, **kwargs):
            nonlocal facts_seconds
            started = time.perf_counter()
            try:
                return original_facts(*args, **kwargs)
            finally:
                facts_seconds += time.perf_counter() - started

        autopilot.organization_facts = timed_facts
        queries.clear()
        per_org: list[float] = []
        summary: Counter = Counter()
        try:
            with connection.execute_wrapper(count):
                for organization in organizations:
                    queries.append(0)
                    with organization_scope(organization):
                        started = time.perf_counter()
                        plan = autopilot.plan_day(on=today)
                        per_org.append(time.perf_counter() - started)
                    summary.update(plan.summary())
        finally:
            autopilot.organization_facts = original_facts
        runs.append(
            {
                "total": sum(per_org),
                "facts": facts_seconds,
                "per_org": per_org,
                "queries": list(queries),
                "summary": dict(sorted(summary.items())),
            }
        )
    return {"runs": runs}


def report_size(label: str, counts: dict, result: dict, out) -> float:
    runs = result["runs"]
    totals = [run["total"] for run in runs]
    best = min(totals)
    last = runs[-1]
    queries = sorted({q for run in runs for q in run["queries"]})
    out(f"{label}: data", ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    out(
        f"{label}: plan_day over all organisations",
        " / ".join(f"{t:.2f} s" for t in totals) + f" (runs 1-{len(runs)}; best {best:.2f} s)",
    )
    fastest = min(runs, key=lambda run: run["total"])
    out(
        f"{label}: of which loading facts (organization_facts), in the best run",
        f"{fastest['facts']:.2f} s",
    )
    per_org = last["per_org"]
    out(
        f"{label}: per organisation (last run)",
        f"median {1000 * statistics.median(per_org):.0f} ms, max {1000 * max(per_org):.0f} ms",
    )
    out(
        f"{label}: SQL queries per organisation",
        f"min {min(queries)}, max {max(queries)}"
        + (" (constant)" if len(queries) == 1 else " (NOT constant)"),
    )
    out(
        f"{label}: actions planned (last run)",
        ", ".join(f"{kind} {n:,}" for kind, n in last["summary"].items()),
    )
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=100)
    parser.add_argument("--items", type=int, default=1000, help="open invoices per organisation")
    parser.add_argument("--cases", type=int, default=200, help="active cases per organisation")
    parser.add_argument("--small-factor", type=int, default=10, help="the small size: 1/this")
    parser.add_argument("--repeat", type=int, default=3, help="planning runs per size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    args = parser.parse_args()

    url = bench_database_url()
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench._settings",
            "DJANGO_DEBUG": "true",
            "CELERY_BROKER_URL": "memory://",
            "PYTHONPATH": str(ROOT),
        }
    )
    name = urlsplit(url).path.lstrip("/")
    print(f"database {name}: creating and migrating ...", flush=True)
    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    try:
        call_command("migrate", verbosity=0)
        today = timezone.localdate()
        lines = ["| measure | value |", "|---|---|"]

        def out(measure: str, value: str) -> None:
            lines.append(f"| {measure} | {value} |")
            print(f"{measure}: {value}", flush=True)

        sizes = [
            ("small", args.items // args.small_factor, args.cases // args.small_factor),
            ("full", args.items, args.cases),
        ]
        best: dict[str, float] = {}
        for label, items, cases in sizes:
            if best:
                empty_tables()
            started = time.perf_counter()
            counts = build(
                organizations=args.organizations,
                items=items,
                cases=cases,
                today=today,
                seed=args.seed,
            )
            print(f"{label}: built in {time.perf_counter() - started:.1f} s", flush=True)
            result = measure(today=today, repeat=args.repeat)
            best[label] = report_size(f"{args.organizations * items:,} items", counts, result, out)
        ratio = best["full"] / best["small"]
        out("ratio full / small (best runs)", f"{ratio:.2f} (linear would be {args.small_factor})")
        full_items = args.organizations * args.items
        met = best["full"] <= GOAL_SECONDS
        out(
            f"goal: ≤ {GOAL_SECONDS:.0f} s at {full_items:,} items",
            f"{'met' if met else 'NOT met'} ({best['full']:.2f} s)",
        )
        lines.insert(
            0,
            f"Planned on {today.isoformat()}. "
            f"Machine: {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"PostgreSQL {connection.cursor().connection.info.server_version // 10000}.\n",
        )
        print()
        print("\n".join(lines))
    finally:
        connection.close()
        if not args.keep_database:
            drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
