"""Sandbox knobs, read from django.conf.settings (declared in kredin/settings.py) at call
time so tests can override them."""

from __future__ import annotations

from django.conf import settings

USER_SCOPE = "business-graphql-api:access-group-based"
USER_SCOPE_READONLY = "business-graphql-api:access-group-based-readonly"
SERVICE_SCOPE = "business-graphql-service-api:access-group-based"
SERVICE_SCOPE_READONLY = "business-graphql-service-api:access-group-based-readonly"
IDENTITY_SCOPES = {"openid", "profile", "email", "offline_access"}
USER_API_SCOPES = {USER_SCOPE, USER_SCOPE_READONLY}
SERVICE_API_SCOPES = {SERVICE_SCOPE, SERVICE_SCOPE_READONLY}

DEMO_EMAIL = "demo@visma.sandbox"
DEMO_PASSWORD = "sandbox-demo-1234"


def client_id() -> str:
    return settings.VISMA_CONNECT_CLIENT_ID


def client_secret() -> str:
    return settings.VISMA_CONNECT_CLIENT_SECRET


def control_secret() -> str:
    """The shared secret the _control/ switches ask for; empty refuses them all."""
    return str(settings.SANDBOX_CONTROL_SECRET or "")


def access_token_lifetime(client_default: int) -> int:
    """SANDBOX_ACCESS_TOKEN_LIFETIME (seconds) overrides the per-client value when set."""
    return int(settings.SANDBOX_ACCESS_TOKEN_LIFETIME or client_default)


def refresh_grace_seconds(client_default: int) -> float:
    value = settings.SANDBOX_REFRESH_GRACE_SECONDS
    return float(client_default if value is None else value)


def rate_limit_per_minute() -> int:
    return int(settings.SANDBOX_NXT_RATE_LIMIT_PER_MINUTE)


def max_in_flight() -> int:
    return int(settings.SANDBOX_NXT_MAX_IN_FLIGHT)


def prefill_demo_login() -> bool:
    return bool(settings.SANDBOX_PREFILL_DEMO_LOGIN)
