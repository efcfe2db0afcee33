"""Deployment checks of our own, run by `manage.py check --deploy`."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def sandbox_not_in_production(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Settings refuse this combination at start-up; this catches a settings module that
    installs the sandbox some other way."""
    installed = any(app.split(".")[0] == "sandbox" for app in settings.INSTALLED_APPS)
    if settings.DEBUG or not installed:
        return []
    return [
        checks.Error(
            "The sandbox (sandbox/) is installed while DEBUG is off.",
            hint=(
                "Its stand-ins hand out OAuth tokens to anyone and obey _control/ requests; "
                "they are for the demo and the tests. Unset KREDIN_SANDBOX_ENABLED."
            ),
            id="kredin.E001",
        )
    ]
