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


@checks.register(deploy=True)
def voucher_claim_outlives_a_task(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A voucher claimed longer ago than KREDIN_VOUCHER_CLAIM_TIMEOUT is taken over by the
    next attempt. A task still running then could create a second batch beside the new
    attempt's, so the claim must outlast the longest a task may run (the hard limit)."""
    claim = settings.KREDIN_VOUCHER_CLAIM_TIMEOUT.total_seconds()
    if claim > settings.CELERY_TASK_TIME_LIMIT:
        return []
    return [
        checks.Error(
            f"KREDIN_VOUCHER_CLAIM_TIMEOUT_SECONDS ({claim:.0f}) is not longer than "
            f"CELERY_TASK_TIME_LIMIT ({settings.CELERY_TASK_TIME_LIMIT}).",
            hint="Raise the claim timeout above the task time limit, or lower the limit.",
            id="kredin.E002",
        )
    ]
