from django.apps import AppConfig


class KredinConfig(AppConfig):
    name = "kredin"
    verbose_name = "Kredin"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kredin import checks, signals  # noqa: F401  (deploy checks, log-in auditing)
