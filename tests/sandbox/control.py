"""Calling the sandbox's ``_control/`` switches the way they ask to be called: with the secret."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.test import Client

CONTROL_SECRET_HEADER = "X-Sandbox-Control-Secret"


def control_headers() -> dict[str, str]:
    """Headers for a real HTTP client (requests); read at call time, so overrides apply."""
    return {CONTROL_SECRET_HEADER: settings.SANDBOX_CONTROL_SECRET}


def control_post(path: str, payload: dict[str, Any], *, client: Client | None = None):
    """POST a JSON body to a ``_control/`` path with Django's test client, secret included."""
    return (client or Client()).post(
        path,
        data=json.dumps(payload),
        content_type="application/json",
        headers=control_headers(),
    )
