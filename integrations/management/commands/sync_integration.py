"""Run a sync of an organisation's accounting integration here and now, without a broker.

    python manage.py sync_integration --org alice-ror [--full]
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from integrations.models import Integration, IntegrationStatus, SyncKind, SyncRun, SyncTrigger
from integrations.sync import sync_run_execute
from kredin.models import Organization
from kredin.tenancy import organization_scope


class Command(BaseCommand):
    help = "Sync an organisation's active accounting integration in this process."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--full", action="store_true", help="full sync instead of changes")

    def handle(self, *args, **options) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(f"No organisation with slug {options['org']!r}.")
        with organization_scope(organization):
            integration = (
                Integration.objects.filter(status=IntegrationStatus.ACTIVE).order_by("pk").first()
            )
            if integration is None:
                raise CommandError(f"{organization.slug} has no active integration.")
            kind = SyncKind.FULL if options["full"] else SyncKind.INCREMENTAL
            run = SyncRun.objects.create(
                integration=integration, kind=kind, trigger=SyncTrigger.MANUAL
            )
            started = time.perf_counter()
            outcome = sync_run_execute(run_id=run.pk)
            elapsed = time.perf_counter() - started
        run.refresh_from_db()
        summary = outcome.summary if outcome else {}
        self.stdout.write(f"{integration} ({outcome.kind if outcome else kind} sync, run {run.pk})")
        self.stdout.write(
            f"customers: {summary.get('customers_seen', 0)} read, "
            f"{summary.get('customers_created', 0)} new, "
            f"{summary.get('customers_updated', 0)} changed"
        )
        self.stdout.write(
            f"items: {run.items_seen} read, {run.items_created} new, "
            f"{run.items_updated} changed, {run.items_settled} settled"
        )
        self.stdout.write(
            f"transactions: {summary.get('transactions_seen', 0)} read, "
            f"{summary.get('transactions_created', 0)} new, "
            f"{summary.get('transactions_updated', 0)} changed"
        )
        self.stdout.write(f"duration: {elapsed:.2f} s")
        if run.status != "succeeded":
            raise CommandError(f"Sync failed: {run.error}")
        self.stdout.write(self.style.SUCCESS("status: succeeded"))
