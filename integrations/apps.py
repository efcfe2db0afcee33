from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrasjoner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from integrations import page_extensions

        page_extensions.register()
