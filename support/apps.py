from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Kredin's own staff: search across organisations, act with a reason, view as the
    customer, system health. Sits above every product app."""

    name = "support"
    verbose_name = "Kundeservice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from support import signals  # noqa: F401  (a log-out ends a view-as session)
