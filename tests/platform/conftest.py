"""Fixtures for the platform tests: Redis for the worker tier, the project's root."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_url() -> str:
    """REDIS_URL (its DB number keeps test runs apart); `make test` makes sure it answers."""
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=2).close()
    except OSError:
        pytest.fail(f"No Redis at {url}: start one, or run the suite with `make test`.")
    return url


@pytest.fixture
def subprocess_env() -> dict[str, str]:
    """An environment for running the project in a child process, free of test settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "KREDIN_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "FIELD_ENCRYPTION_KEYS"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "kredin.settings"
    env["DJANGO_ENV_FILE"] = ""  # a developer's .env must not fill in what a test leaves out
    return env
