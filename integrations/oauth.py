"""OAuth 2.0 with Visma Connect (Authlib): authorization code + PKCE, tokens at rest, refresh.

The authorization request's `state` and PKCE verifier live in the user's session until
the callback; nothing is stored in the database before Visma Connect says yes. Access
tokens are refreshed shortly before they expire, under a row lock on the credential, so
two workers never both spend a rotating refresh token. Disconnecting revokes the grant at
Visma Connect (RFC 7009) before the credential is deleted.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.crypto import UnreadableSecret, decrypt_json, encrypt_json
from integrations.models import Credential, Integration, IntegrationStatus
from kredin.tasks import TransientError

logger = logging.getLogger(__name__)

SESSION_KEY = "visma_connect_pending"
# Refresh this long before the access token runs out, so a request never carries a
# token that expires on its way.
REFRESH_MARGIN = timedelta(seconds=60)


class ConsentFailed(Exception):
    """The authorization did not complete: denied, tampered with, or refused."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ReconnectRequired(Exception):
    """The grant is gone (revoked or expired): the owner must connect again."""


@dataclass(frozen=True)
class PendingAuthorization:
    state: str
    code_verifier: str
    organization_id: int
    redirect_uri: str
    opened_in_new_window: bool
    started_at: float
    reconnect_integration_id: int | None = None


def _endpoint(path: str) -> str:
    return settings.VISMA_CONNECT_URL.rstrip("/") + path


def _session(**kwargs: Any) -> OAuth2Session:
    # Authlib applies a timeout to its own requests (token, refresh, revocation, userinfo)
    # only through default_timeout; a `timeout=` here would be kept as client metadata and
    # never reach requests, leaving a hung Visma Connect to hang a worker for good.
    return OAuth2Session(
        client_id=settings.VISMA_CONNECT_CLIENT_ID,
        client_secret=settings.VISMA_CONNECT_CLIENT_SECRET,
        token_endpoint_auth_method="client_secret_post",
        revocation_endpoint_auth_method="client_secret_post",
        default_timeout=settings.OUTBOUND_HTTP_TIMEOUT,
        **kwargs,
    )


def authorization_start(
    *,
    session: dict,
    organization_id: int,
    redirect_uri: str,
    new_window: bool = False,
    reconnect_integration_id: int | None = None,
) -> str:
    """Remember state and verifier in the user's session; return the URL to send them to."""
    code_verifier = generate_token(64)
    state = secrets.token_urlsafe(24)
    oauth = _session(
        scope=settings.VISMA_CONNECT_SCOPES,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    url, _ = oauth.create_authorization_url(
        _endpoint("/connect/authorize"),
        state=state,
        code_verifier=code_verifier,
        nonce=secrets.token_urlsafe(16),
    )
    pending = dict(session.get(SESSION_KEY) or {})
    # Keep only recent attempts: a user may start over, but the session must not grow.
    cutoff = time.time() - 3600
    pending = {k: v for k, v in pending.items() if v["started_at"] > cutoff}
    pending[state] = {
        "code_verifier": code_verifier,
        "organization_id": organization_id,
        "redirect_uri": redirect_uri,
        "opened_in_new_window": new_window,
        "started_at": time.time(),
        "reconnect_integration_id": reconnect_integration_id,
    }
    session[SESSION_KEY] = pending
    return url


def authorization_pending(*, session: dict, state: str) -> PendingAuthorization:
    entry = (session.get(SESSION_KEY) or {}).get(state or "")
    if entry is None:
        raise ConsentFailed(
            "The reply from Visma Connect does not match a log-in started here.",
            reason="state_mismatch",
        )
    return PendingAuthorization(state=state, **entry)


def authorization_finish(
    *, session: dict, query: dict[str, str], pending: PendingAuthorization
) -> dict[str, Any]:
    """Exchange the code for tokens. The pending entry is spent whatever the outcome."""
    remaining = dict(session.get(SESSION_KEY) or {})
    remaining.pop(pending.state, None)
    session[SESSION_KEY] = remaining
    if query.get("error"):
        raise ConsentFailed(
            f"Visma Connect answered {query['error']}.",
            reason="denied" if query["error"] == "access_denied" else "error",
        )
    code = query.get("code")
    if not code:
        raise ConsentFailed("Visma Connect sent no authorization code.", reason="error")
    oauth = _session(redirect_uri=pending.redirect_uri, state=pending.state)
    try:
        token = oauth.fetch_token(
            _endpoint("/connect/token"),
            grant_type="authorization_code",
            code=code,
            code_verifier=pending.code_verifier,
        )
    except OAuthError as exc:
        raise ConsentFailed(
            f"Visma Connect refused the code: {exc.error}.", reason="token"
        ) from exc
    except requests.RequestException as exc:
        # A code is single-use, so a lost answer cannot be retried: the user starts again.
        raise ConsentFailed(
            f"Visma Connect did not answer the code exchange ({type(exc).__name__}).",
            reason="unreachable",
        ) from exc
    return dict(token)


def userinfo(*, access_token: str) -> dict[str, Any]:
    oauth = _session(token={"access_token": access_token, "token_type": "Bearer"})
    try:
        response = oauth.get(_endpoint("/connect/userinfo"))
    except requests.RequestException:
        return {}  # only a display name; the connection works without it
    return response.json() if response.ok else {}


def _expires_at(token: dict[str, Any]) -> datetime:
    if token.get("expires_at"):
        return datetime.fromtimestamp(int(token["expires_at"]), tz=UTC)
    return timezone.now() + timedelta(seconds=int(token.get("expires_in") or 3600))


def credential_store(*, integration: Integration, token: dict[str, Any]) -> Credential:
    """Encrypt and save a token set for the integration (create or replace)."""
    kept = {
        key: token[key]
        for key in ("access_token", "refresh_token", "token_type", "scope", "expires_at")
        if key in token
    }
    expires_at = _expires_at(token)
    kept["expires_at"] = int(expires_at.timestamp())
    credential, _ = Credential.objects.update_or_create(
        integration=integration,
        defaults={
            "organization_id": integration.organization_id,
            "token_ciphertext": encrypt_json(kept),
            "access_expires_at": expires_at,
            "refreshed_at": timezone.now(),
        },
    )
    return credential


def access_token_for(*, integration: Integration, force_refresh: bool = False) -> str:
    """A valid access token for the integration, refreshing under a row lock when due."""
    credential = Credential.objects.filter(integration=integration).first()
    if credential is None:
        raise ReconnectRequired("no_credentials")
    try:
        if not force_refresh and _still_fresh(credential):
            return _read_token(credential)["access_token"]
        return _refresh_locked(
            credential=credential, integration=integration, force_refresh=force_refresh
        )
    except _GrantUnusable as exc:
        # Outside the refresh transaction, so the flag survives its rollback.
        integration_mark_must_reconnect(integration=integration, code=exc.code)
        raise ReconnectRequired(exc.code) from exc


class _GrantUnusable(Exception):
    """The stored grant cannot be used; `code` is one of integrations/errors.py's."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _refresh_locked(
    *, credential: Credential, integration: Integration, force_refresh: bool
) -> str:
    seen_refresh_at = credential.refreshed_at
    with transaction.atomic():
        locked = Credential.objects.select_for_update(of=("self",)).filter(pk=credential.pk).first()
        if locked is None:
            raise _GrantUnusable("grant_removed")
        token = _read_token(locked)
        # Another worker refreshed while we waited for the lock: use its token.
        if locked.refreshed_at != seen_refresh_at and _still_fresh(locked):
            return token["access_token"]
        if not force_refresh and _still_fresh(locked):
            return token["access_token"]
        new_token = _refresh(token=token)
        credential_store(integration=integration, token=new_token)
        return new_token["access_token"]


def _still_fresh(credential: Credential) -> bool:
    return bool(
        credential.access_expires_at
        and credential.access_expires_at - REFRESH_MARGIN > timezone.now()
    )


def _read_token(credential: Credential) -> dict[str, Any]:
    try:
        return decrypt_json(credential.token_ciphertext)
    except UnreadableSecret as exc:
        raise _GrantUnusable("grant_unreadable") from exc


def _refresh(*, token: dict[str, Any]) -> dict[str, Any]:
    refresh_token = token.get("refresh_token")
    if not refresh_token:
        raise _GrantUnusable("no_refresh_token")
    oauth = _session(token=token)
    try:
        new_token = dict(
            oauth.refresh_token(_endpoint("/connect/token"), refresh_token=refresh_token)
        )
    except requests.RequestException as exc:
        raise TransientError(f"Visma Connect did not answer ({type(exc).__name__}).") from exc
    except OAuthError as exc:
        if exc.error in ("invalid_grant", "unauthorized_client", "invalid_client"):
            raise _GrantUnusable("grant_refused") from exc
        raise
    # A server that does not rotate refresh tokens leaves the old one valid.
    new_token.setdefault("refresh_token", refresh_token)
    return new_token


def grant_revoke(*, integration: Integration) -> bool:
    """Ask Visma Connect to revoke the integration's grant (RFC 7009); True if it confirmed.

    Call it inside the transaction that then deletes the credential: the credential row stays
    locked meanwhile, so no worker can rotate the refresh token between the revocation and the
    deletion. Sent once, never retried here: it is a write, and the caller goes on either way
    (a grant left behind expires, and the owner can revoke it in Visma.net). Failures are
    logged by kind only, never with the token.
    """
    with transaction.atomic():
        credential = (
            Credential.objects.select_for_update(of=("self",))
            .filter(integration=integration)
            .first()
        )
        if credential is None:
            return False
        try:
            refresh_token = _read_token(credential).get("refresh_token")
        except _GrantUnusable:
            logger.warning(
                "integration %s: stored credential unreadable, grant not revoked", integration.pk
            )
            return False
        if not refresh_token:
            logger.warning("integration %s: no refresh token to revoke", integration.pk)
            return False
        try:
            response = _session().revoke_token(
                _endpoint("/connect/revocation"),
                token=refresh_token,
                token_type_hint="refresh_token",
            )
        except requests.RequestException as exc:
            logger.warning(
                "integration %s: Visma Connect did not answer the revocation (%s)",
                integration.pk,
                type(exc).__name__,
            )
            return False
        if response.status_code != 200:
            logger.warning(
                "integration %s: Visma Connect refused the revocation (HTTP %s)",
                integration.pk,
                response.status_code,
            )
            return False
        return True


def integration_mark_must_reconnect(*, integration: Integration, code: str) -> None:
    """Flag the integration (`code` from integrations/errors.py) and tell its owners, once.

    A disconnected integration stays disconnected: a worker whose refresh lost the race
    with a disconnect must not turn it back into "must reconnect" and mail the owners.
    """
    from integrations.notifications import notify_owners_reconnect

    updated = (
        Integration.objects.filter(pk=integration.pk)
        .exclude(status__in=[IntegrationStatus.MUST_RECONNECT, IntegrationStatus.DISCONNECTED])
        .update(
            status=IntegrationStatus.MUST_RECONNECT, last_error_code=code, last_error_params={}
        )
    )
    if updated:
        integration.status = IntegrationStatus.MUST_RECONNECT
        integration.last_error_code, integration.last_error_params = code, {}
        logger.warning("integration %s must be reconnected: %s", integration.pk, code)
        transaction.on_commit(lambda: notify_owners_reconnect(integration_id=integration.pk))
