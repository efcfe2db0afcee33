from django.apps import AppConfig


class SandboxBrregConfig(AppConfig):
    name = "sandbox.brreg"
    label = "sandbox_brreg"
    verbose_name = "Sandbox: Enhetsregisteret"
    default_auto_field = "django.db.models.BigAutoField"
