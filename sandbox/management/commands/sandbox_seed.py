"""Fill a sandbox Business NXT company with a realistic, reproducible Norwegian ledger."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from sandbox import conf
from sandbox.seeding import DEFAULT_COMPANY_NO, seed_company


class Command(BaseCommand):
    help = "Seed a sandbox Business NXT company. The last line of output is 'company: <number>'."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--customers", type=int, default=200)
        parser.add_argument("--invoices", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=date.fromisoformat, default=None)
        parser.add_argument("--company-no", type=int, default=DEFAULT_COMPANY_NO)

    def handle(self, *args, **options) -> None:
        today = options["today"] or timezone.localdate()
        result = seed_company(
            customers=options["customers"],
            invoices=options["invoices"],
            seed=options["seed"],
            today=today,
            company_no=options["company_no"],
        )
        try:
            from sandbox.brreg.seeding import seed_register_for_customers

            seed_register_for_customers(result.customers, options["seed"])
        except (ImportError, AttributeError):
            pass  # the Brønnøysund stand-in is optional
        company = result.company
        self.stdout.write(
            f"Seeded {company.name} (org.nr {company.organization_number}): "
            f"{len(result.customers)} customers with org.nr, {result.rows} ledger rows."
        )
        self.stdout.write(f"Sandbox login: {conf.DEMO_EMAIL} / {conf.DEMO_PASSWORD}")
        self.stdout.write(f"company: {company.company_no}")
