from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class KredinConfig(AppConfig):
    name = "kredin"
    verbose_name = "Kredin"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kredin import checks, signals  # noqa: F401  (deploy checks, log-in auditing)


class KredinAdminConfig(AdminConfig):
    """Django's admin on Kredin's site: superusers who passed the second factor only."""

    default_site = "kredin.admin_site.KredinAdminSite"
