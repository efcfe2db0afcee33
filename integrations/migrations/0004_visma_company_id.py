"""Integration.company_no held Business NXT's vismaNetCompanyId: name it so (values kept)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("integrations", "0003_error_codes")]

    operations = [
        migrations.RemoveConstraint(
            model_name="integration", name="one_live_integration_per_company"
        ),
        migrations.RenameField(
            model_name="integration", old_name="company_no", new_name="visma_company_id"
        ),
        migrations.AlterField(
            model_name="integration",
            name="visma_company_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="Visma-firma-ID"),
        ),
        migrations.AddConstraint(
            model_name="integration",
            constraint=models.UniqueConstraint(
                condition=models.Q(("visma_company_id__isnull", False))
                & ~models.Q(("status", "disconnected")),
                fields=("organization", "system", "visma_company_id"),
                name="one_live_integration_per_company",
            ),
        ),
    ]
