from django.apps import AppConfig


class BrregConfig(AppConfig):
    name = "brreg"
    verbose_name = "Brønnøysundregisteret"
    default_auto_field = "django.db.models.BigAutoField"
