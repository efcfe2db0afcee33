"""python manage.py collections_demo_setup --org <slug>

Give the demo organisation sender details for its letters (once; a person's later changes
are kept) and the suggest mode, so the demo shows what the autopilot would do without
sending anything by itself.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from debt_collection.models import AutopilotMode, CollectionSettings
from kredin.models import Organization
from kredin.tenancy import organization_scope


class Command(BaseCommand):
    help = "Letter sender details and the suggest mode for the demo organisation (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)

    def handle(self, *args, org: str, **options):
        organization = Organization.objects.filter(slug=org).first()
        if organization is None:
            raise CommandError(f"No organisation with the slug {org!r}.")
        with organization_scope(organization):
            _settings, created = CollectionSettings.objects.get_or_create(
                organization=organization,
                defaults={
                    "autopilot": AutopilotMode.SUGGEST,
                    "sender_name": organization.name,
                    "sender_address": "Rørleggerveien 1",
                    "sender_post_code": "5003",
                    "sender_city": "Bergen",
                    "sender_organization_number": organization.organization_number,
                    "bank_account": "15030012345",
                    "sender_email": "post@demo-rorlegger.example",
                    "sender_phone": "55 00 00 00",
                },
            )
        self.stdout.write(
            f"Collection settings for {organization.slug}: "
            f"{'created (suggest mode)' if created else 'kept as they were'}"
        )
