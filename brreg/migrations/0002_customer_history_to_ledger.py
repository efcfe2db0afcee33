"""CustomerFieldChange and CustomerOverride now belong to the ledger, which owns customers.

State only: the tables stay as they are until ledger's 0004 takes them over and renames them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("brreg", "0001_initial"), ("ledger", "0003_item_status_excluded")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CustomerFieldChange"),
                migrations.DeleteModel(name="CustomerOverride"),
            ],
            database_operations=[],
        )
    ]
