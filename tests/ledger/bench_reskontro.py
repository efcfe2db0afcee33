"""Server-time benchmark of the reskontro at 100,000 open items (not collected by pytest).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kredin_bench \
        .venv/bin/python -m tests.ledger.bench_reskontro seed  # 10k customers, 100k items
    DATABASE_URL=... .venv/bin/python -m tests.ledger.bench_reskontro  # time pages and API

Times are measured in-process through Django's test client (no network), 10 runs each
after 2 warm-up runs. Point DATABASE_URL at a scratch database: `seed` replaces the
"bench" organisation's ledger.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kredin.test_settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from integrations.models import Integration  # noqa: E402
from kredin.models import Membership, Organization, User  # noqa: E402
from kredin.tenancy import organization_scope  # noqa: E402
from ledger.models import Customer, OpenItem  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
CUSTOMERS = ITEMS // 10
SLUG = "bench"


def seed() -> None:
    call_command("migrate", verbosity=0)
    org, _ = Organization.objects.get_or_create(
        slug=SLUG, defaults={"name": "Bench AS", "organization_number": "923609016"}
    )
    user = User.objects.filter(email="bench@example.no").first() or User.objects.create_user(
        email="bench@example.no", password="bench-password-123"
    )
    Membership.objects.get_or_create(organization=org, user=user, defaults={"role": "owner"})
    rng = random.Random(1)
    today = timezone.localdate()
    with organization_scope(org):
        OpenItem.objects.all().delete()
        Customer.objects.all().delete()
        Integration.objects.get_or_create(
            visma_company_id=1,
            defaults={"status": "active", "company_name": "Bench", "organization": org},
        )
        words = ["Fjord", "Bre", "Elv", "Tind", "Skog"]
        Customer.objects.bulk_create(
            [
                Customer(
                    organization=org,
                    external_id=str(i),
                    customer_no=i,
                    name=f"Kunde {rng.choice(words)} {i} AS",
                    organization_number=str(900000000 + i),
                )
                for i in range(CUSTOMERS)
            ],
            batch_size=5000,
        )
        customers = list(Customer.objects.all())
        items = []
        for i in range(ITEMS):
            amount = Decimal(rng.randint(100, 10_000_000)) / 100
            settled = rng.random() < 0.1
            items.append(
                OpenItem(
                    organization=org,
                    customer=rng.choice(customers),
                    external_id=f"1:{i}",
                    invoice_no=str(100000 + i),
                    kid=str(10**8 + i),
                    voucher_date=today - dt.timedelta(days=rng.randint(0, 400)),
                    due_date=today - dt.timedelta(days=rng.randint(-30, 380)),
                    amount=amount,
                    outstanding=Decimal(0) if settled else amount,
                    status="settled" if settled else "open",
                )
            )
        OpenItem.objects.bulk_create(items, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {ITEMS} items for {CUSTOMERS} customers")


def run() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(User.objects.get(email="bench@example.no"))
    customer = Customer.objects.unscoped().filter(organization__slug=SLUG).first()
    page, api = f"/o/{SLUG}/reskontro/", f"/api/v1/orgs/{SLUG}/"
    cases = [
        ("page default", page, {}),
        ("page 50", page, {"page": 50}),
        ("page sort -outstanding", page, {"sort": "-outstanding"}),
        ("page sort customer", page, {"sort": "customer"}),
        ("page bucket d31_60", page, {"bucket": "d31_60"}),
        ("page amount range", page, {"amount_min": "1000", "amount_max": "5000"}),
        ("page q=fjord", page, {"q": "fjord"}),
        ("page q=<invoice no>", page, {"q": "100500"}),
        ("page customers", page, {"view": "customers"}),
        ("page customers by name", page, {"view": "customers", "sort": "name"}),
        ("customer detail", f"{page}kunder/{customer.pk}/", {}),
        ("api open-items", f"{api}open-items/", {}),
        ("api open-items q", f"{api}open-items/", {"q": "fjord"}),
        ("api customers", f"{api}customers/", {}),
        ("api summary", f"{api}reskontro/summary/", {}),
    ]
    for name, url, params in cases:
        times = []
        for _ in range(12):
            started = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        times = sorted(times[2:])
        print(f"{name:26s} median {statistics.median(times):7.1f} ms   max {times[-1]:7.1f} ms")


if __name__ == "__main__":
    seed() if "seed" in sys.argv[1:] else run()
