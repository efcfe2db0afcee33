"""The register options become the organisation's own (RegisterSettings), copied from its
integrations before integrations 0002 drops them; enrichment errors become codes
(brreg/errors.py), earlier text readable under "recorded"."""

import django.db.models.deletion
from django.db import migrations, models

MODES = [("register", "Bruk Brønnøysundregisteret"), ("ledger_only", "Bare opplysninger fra regnskapet")]


def copy_from_integrations(apps, schema_editor):
    """An organisation keeps the options of its most recently activated integration (they
    were one choice per organisation in practice)."""
    Integration = apps.get_model("integrations", "Integration")
    RegisterSettings = apps.get_model("brreg", "RegisterSettings")
    chosen = {}
    for integration in Integration.objects.order_by("activated_at", "created_at", "pk"):
        chosen[integration.organization_id] = integration
    RegisterSettings.objects.bulk_create(
        RegisterSettings(
            organization_id=organization_id,
            mode=integration.register_mode,
            fetch_addresses=integration.register_fetch_addresses,
            update_on_exact_match=integration.register_update_on_exact_match,
        )
        for organization_id, integration in chosen.items()
    )


def keep_recorded_errors(apps, schema_editor):
    CustomerEnrichment = apps.get_model("brreg", "CustomerEnrichment")
    for row in CustomerEnrichment.objects.exclude(last_error="").iterator():
        row.last_error_code, row.last_error_params = "recorded", {"text": row.last_error}
        row.save(update_fields=["last_error_code", "last_error_params"])


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_initial"),
        ("brreg", "0002_customer_history_to_ledger"),
        ("kredin", "0002_accounts_security"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegisterSettings",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("mode", models.CharField(choices=MODES, default="register", max_length=12, verbose_name="kundeopplysninger")),
                ("fetch_addresses", models.BooleanField(default=True, verbose_name="hent kundeadresser fra Brønnøysundregisteret")),
                ("update_on_exact_match", models.BooleanField(default=True, verbose_name="endre kundetype og adresser ved eksakt treff")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("organization", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="kredin.organization")),
            ],
            options={
                "verbose_name_plural": "register settings",
                "constraints": [models.UniqueConstraint(fields=("organization",), name="one_register_settings_per_org")],
            },
        ),
        migrations.RunPython(copy_from_integrations, migrations.RunPython.noop),
        migrations.AddField("customerenrichment", "last_error_code", models.CharField(blank=True, max_length=40)),
        migrations.AddField("customerenrichment", "last_error_params", models.JSONField(blank=True, default=dict)),
        migrations.RunPython(keep_recorded_errors, migrations.RunPython.noop),
        migrations.RemoveField("customerenrichment", "last_error"),
    ]
