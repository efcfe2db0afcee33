from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "Reskontro"
    default_auto_field = "django.db.models.BigAutoField"
