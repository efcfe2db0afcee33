"""Fixtures for the notification tests: a real SMTP server, and a way to say something."""

from __future__ import annotations

import pytest

from kredin.models import NotificationKind
from kredin.services.notifications import notify
from tests.debt_collection.dispatching import smtp_server


@pytest.fixture
def smtp(settings):
    controller, log = smtp_server(settings)
    yield log
    controller.stop()


@pytest.fixture
def say(alice_org, django_capture_on_commit_callbacks):
    """notify() as a caller would, with the after-commit e-mail run as on commit."""

    def notify_now(kind=NotificationKind.VOUCHER_FAILED, params=None, **kwargs) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return notify(
                organization=kwargs.pop("organization", alice_org),
                kind=kind,
                params=params if params is not None else {"case": 12, "error": "Ukjent konto"},
                **kwargs,
            )

    return notify_now
