"""Start-up refuses to run in production without its secrets; the example config is deployable."""

from __future__ import annotations

import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from tests.platform.conftest import BASE_DIR

REQUIRED = (
    "DJANGO_SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "DATABASE_URL",
    "DJANGO_CACHE_URL",
    "VISMA_CONNECT_CLIENT_ID",
    "VISMA_CONNECT_CLIENT_SECRET",
)
# The public values the demo runs on; each is refused with DEBUG off.
DEMO_VALUES = {
    "DJANGO_SECRET_KEY": "demo-only-secret-key-not-for-production-use-0123456789",
    "FIELD_ENCRYPTION_KEYS": "ZGVtby1vbmx5LWZpZWxkLWtleS1kby1ub3QtdXNlISE=",
    "VISMA_CONNECT_CLIENT_ID": "kredin-demo",
    "VISMA_CONNECT_CLIENT_SECRET": "kredin-demo-secret",
}
PRODUCTION_LIKE = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "DATABASE_URL": "postgres://kredin:secret@127.0.0.1:5432/kredin",
    "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/2",
    "VISMA_CONNECT_CLIENT_ID": "kredin-production",
    "VISMA_CONNECT_CLIENT_SECRET": secrets.token_urlsafe(30),
    "KREDIN_SANDBOX_ENABLED": "false",
}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def env_example() -> dict[str, str]:
    """.env.example's values, each change-me replaced by a freshly generated secret."""
    values = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, value = line.split("=", 1)
        if "change-me" in value:
            fresh = (
                Fernet.generate_key().decode()
                if name == "FIELD_ENCRYPTION_KEYS"
                else secrets.token_urlsafe(50)
            )
            value = value.replace("change-me", fresh)
        values[name] = value
    return values


@pytest.mark.parametrize("missing", REQUIRED)
def test_start_up_stops_without_required_setting_when_debug_is_off(subprocess_env, missing):
    env = {**subprocess_env, **PRODUCTION_LIKE}
    del env[missing]

    result = manage(env, "check")

    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_DEBUG is off" in result.stderr


@pytest.mark.parametrize("name", sorted(DEMO_VALUES))
def test_start_up_refuses_the_demo_value_when_debug_is_off(subprocess_env, name):
    env = {**subprocess_env, **PRODUCTION_LIKE, name: DEMO_VALUES[name]}

    result = manage(env, "check")

    assert result.returncode != 0
    assert f"{name} holds the public demo value" in result.stderr


def test_debug_is_off_unless_asked_for(subprocess_env):
    env = {**subprocess_env, **PRODUCTION_LIKE}
    del env["DJANGO_DEBUG"]

    result = manage(env, "shell", "-c", "from django.conf import settings; print(settings.DEBUG)")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_webhook_secret_is_required_once_webhooks_are_on(subprocess_env):
    env = {**subprocess_env, **PRODUCTION_LIKE, "BUSINESS_NXT_WEBHOOKS_ENABLED": "true"}

    result = manage(env, "check")

    assert result.returncode != 0
    assert "BUSINESS_NXT_WEBHOOK_SECRET must be set when DJANGO_DEBUG is off" in result.stderr
    env["BUSINESS_NXT_WEBHOOK_SECRET"] = secrets.token_urlsafe(30)
    assert manage(env, "check").returncode == 0


def test_the_sandbox_cannot_be_mounted_when_debug_is_off(subprocess_env):
    env = {**subprocess_env, **PRODUCTION_LIKE, "KREDIN_SANDBOX_ENABLED": "true"}

    result = manage(env, "check")

    assert result.returncode != 0
    assert "KREDIN_SANDBOX_ENABLED is on while DJANGO_DEBUG is off" in result.stderr


def test_start_up_succeeds_with_required_settings_when_debug_is_off(subprocess_env):
    result = manage({**subprocess_env, **PRODUCTION_LIKE}, "check")

    assert result.returncode == 0, result.stderr


def test_start_up_stops_on_env_example_placeholder_when_debug_is_off(subprocess_env):
    env = {**subprocess_env, **PRODUCTION_LIKE, "DJANGO_SECRET_KEY": "change-me"}

    result = manage(env, "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY still holds the change-me placeholder" in result.stderr


def test_demo_mode_starts_without_any_secret(subprocess_env):
    result = manage({**subprocess_env, "DJANGO_DEBUG": "true"}, "check")

    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_env_example_settings(subprocess_env):
    result = manage(
        {**subprocess_env, **env_example()}, "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_env_example_turns_debug_off_and_names_every_required_setting():
    values = env_example()

    assert values["DJANGO_DEBUG"] == "false"
    assert set(REQUIRED) <= values.keys()


def test_check_deploy_flags_a_sandbox_installed_with_debug_off(settings):
    from kredin.checks import sandbox_not_in_production

    settings.DEBUG = False

    errors = sandbox_not_in_production(None)

    assert [error.id for error in errors] == ["kredin.E001"]
    assert "KREDIN_SANDBOX_ENABLED" in errors[0].hint


def test_the_deploy_check_refuses_a_voucher_claim_shorter_than_a_task(settings):
    from datetime import timedelta

    from kredin.checks import voucher_claim_outlives_a_task

    assert voucher_claim_outlives_a_task(None) == []  # the defaults: 600 s > 360 s
    settings.KREDIN_VOUCHER_CLAIM_TIMEOUT = timedelta(seconds=300)
    (error,) = voucher_claim_outlives_a_task(None)
    assert error.id == "kredin.E002"
