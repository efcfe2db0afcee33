"""Helpers every app's tasks use: the tenant-scoped task decorator and retry policy."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from celery import shared_task

from kredin.tenancy import organization_scope


class TransientError(Exception):
    """An outside failure worth retrying (timeouts, 429, 5xx)."""


# Retry only what may heal by itself, with exponential backoff, jitter and a ceiling.
RETRY_POLICY: dict[str, Any] = {
    "autoretry_for": (TransientError,),
    "retry_backoff": 5,
    "retry_backoff_max": 10 * 60,
    "retry_jitter": True,
    "max_retries": 6,
}


def tenant_task(*task_args: Any, **task_options: Any) -> Callable:
    """Declare a task whose first argument is `organization_id` and whose body runs in scope.

    @tenant_task(name="ledger.sync", queue="sync")
    def sync(organization_id: int, integration_id: int) -> None: ...
    """

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def run_in_scope(organization_id: int, *args: Any, **kwargs: Any) -> Any:
            if not isinstance(organization_id, int):
                raise TypeError("A tenant task takes organization_id (an int) first.")
            with organization_scope(organization_id):
                return func(organization_id, *args, **kwargs)

        return shared_task(**task_options)(run_in_scope)

    if task_args and callable(task_args[0]):
        return decorate(task_args[0])
    return decorate


@tenant_task(name="kredin.notification_emails_send")
def notification_emails_send_task(organization_id: int, notification_ids: list[int]) -> None:
    from kredin.services.notification_email import notification_email_send

    for notification_id in notification_ids:
        notification_email_send(notification_id=notification_id)


@shared_task(name="kredin.notification_digests_send")
def notification_digests_send_task() -> int:
    """Beat, once a day: each person's held-back notifications in one e-mail."""
    from kredin.services.notification_email import notification_digests_send

    return notification_digests_send()
