"""Take over brreg's customer field history and overrides: one owner per table.

The models enter the ledger's state on their old tables, then the tables and the history
index are renamed to the ledger's names; no row is copied.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SOURCES = [("ledger", "Regnskapet"), ("register", "Brønnøysundregisteret"), ("user", "Bruker")]


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_item_status_excluded"),
        ("brreg", "0002_customer_history_to_ledger"),
        ("kredin", "0002_accounts_security"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CustomerFieldChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("field", models.CharField(max_length=40)),
                        ("old_value", models.TextField(blank=True)),
                        ("new_value", models.TextField(blank=True)),
                        ("source", models.CharField(choices=SOURCES, max_length=10)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("changed_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("customer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="field_changes", to="ledger.customer")),
                        ("organization", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="kredin.organization")),
                    ],
                    options={
                        "db_table": "brreg_customerfieldchange",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["organization", "customer", "-created_at"], name="brreg_custo_organiz_48d875_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="CustomerOverride",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("field", models.CharField(max_length=40)),
                        ("value", models.TextField(blank=True)),
                        ("set_at", models.DateTimeField(auto_now=True)),
                        ("customer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="overrides", to="ledger.customer")),
                        ("organization", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="kredin.organization")),
                        ("set_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "brreg_customeroverride",
                        "constraints": [models.UniqueConstraint(fields=("customer", "field"), name="one_override_per_field")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="customerfieldchange", table=None),
        migrations.AlterModelTable(name="customeroverride", table=None),
        migrations.RenameIndex(
            model_name="customerfieldchange",
            new_name="customer_history_recent",
            old_name="brreg_custo_organiz_48d875_idx",
        ),
    ]
