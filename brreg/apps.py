from django.apps import AppConfig


class BrregConfig(AppConfig):
    name = "brreg"
    verbose_name = "Brønnøysundregisteret"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from brreg import page_extensions

        page_extensions.register()
