from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "sandbox"
    verbose_name = "Sandbox (stand-ins for outside services)"
    default_auto_field = "django.db.models.BigAutoField"
