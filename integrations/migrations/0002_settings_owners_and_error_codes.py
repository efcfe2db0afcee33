"""Integration keeps the connection and what to read in, nothing else:

- the income accounts move to PostingSettings (read by voucher posting);
- the register options moved to brreg's RegisterSettings (brreg 0003 copied them first);
- errors are stored as a code and parameters (integrations/errors.py); earlier text stays
  readable under the code "recorded";
- company_no is renamed to what it holds, Business NXT's vismaNetCompanyId.
"""

import django.db.models.deletion
from django.db import migrations, models

# (model, old text field, new code field, new params field)
ERROR_FIELDS = [
    ("integration", "last_error", "last_error_code", "last_error_params"),
    ("syncrun", "error", "error_code", "error_params"),
]
MOVED_FIELDS = [
    "fee_income_account",
    "interest_income_account",
    "register_fetch_addresses",
    "register_mode",
    "register_update_on_exact_match",
]


def copy_accounts(apps, schema_editor):
    Integration = apps.get_model("integrations", "Integration")
    PostingSettings = apps.get_model("integrations", "PostingSettings")
    PostingSettings.objects.bulk_create(
        PostingSettings(
            organization_id=integration.organization_id,
            integration_id=integration.pk,
            fee_income_account=integration.fee_income_account,
            interest_income_account=integration.interest_income_account,
        )
        for integration in Integration.objects.all()
    )


def keep_recorded_errors(apps, schema_editor):
    for model, text, code, params in ERROR_FIELDS:
        rows = apps.get_model("integrations", model).objects.exclude(**{text: ""})
        for row in rows.iterator():
            setattr(row, code, "recorded")
            setattr(row, params, {"text": getattr(row, text)})
            row.save(update_fields=[code, params])


def _error_fields():
    for model, _text, code, params in ERROR_FIELDS:
        yield migrations.AddField(model, code, models.CharField(blank=True, max_length=40))
        yield migrations.AddField(model, params, models.JSONField(blank=True, default=dict))


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_initial"),
        ("kredin", "0002_accounts_security"),
        ("brreg", "0003_register_settings_and_error_codes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PostingSettings",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fee_income_account", models.PositiveIntegerField(null=True, verbose_name="konto for gebyrinntekter")),
                ("interest_income_account", models.PositiveIntegerField(null=True, verbose_name="konto for renteinntekter")),
                ("account_choices", models.JSONField(blank=True, default=list)),
                ("accounts_read_at", models.DateTimeField(blank=True, null=True)),
                ("integration", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="posting_settings", to="integrations.integration")),
                ("organization", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="kredin.organization")),
            ],
            options={"abstract": False, "base_manager_name": "objects"},
        ),
        migrations.RunPython(copy_accounts, migrations.RunPython.noop),
        *[migrations.RemoveField("integration", name) for name in MOVED_FIELDS],
        *_error_fields(),
        migrations.RunPython(keep_recorded_errors, migrations.RunPython.noop),
        *[migrations.RemoveField(model, text) for model, text, _code, _params in ERROR_FIELDS],
        migrations.RemoveConstraint("integration", "one_live_integration_per_company"),
        migrations.RenameField("integration", "company_no", "visma_company_id"),
        migrations.AlterField(
            "integration",
            "visma_company_id",
            models.BigIntegerField(blank=True, null=True, verbose_name="Visma-firma-ID"),
        ),
        migrations.AddConstraint(
            "integration",
            models.UniqueConstraint(
                condition=models.Q(("visma_company_id__isnull", False))
                & ~models.Q(("status", "disconnected")),
                fields=("organization", "system", "visma_company_id"),
                name="one_live_integration_per_company",
            ),
        ),
    ]
