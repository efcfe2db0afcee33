"""Issuing and exchanging tokens: authorization codes, access/ID tokens, rotating refresh tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sandbox import conf
from sandbox.connect import keys
from sandbox.models import AuthorizationCode, ConnectClient, Grant, RefreshToken

CODE_LIFETIME = timedelta(minutes=5)


class OAuthError(Exception):
    """An RFC 6749 error; ``status`` is the HTTP status the token endpoint answers with."""

    def __init__(self, error: str, description: str = "", status: int = 400):
        super().__init__(description or error)
        self.error = error
        self.description = description
        self.status = status

    def as_dict(self) -> dict:
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


@dataclass(frozen=True)
class Endpoints:
    """Absolute URLs of the sandbox as seen by the current request."""

    issuer: str
    graphql: str
    graphql_service: str


def find_client(client_id: str) -> ConnectClient | None:
    if not client_id:
        return None
    client = ConnectClient.objects.filter(client_id=client_id).first()
    if client is None and client_id == conf.client_id():
        client, _ = ConnectClient.objects.get_or_create(
            client_id=client_id, defaults={"client_secret": conf.client_secret()}
        )
    return client


def authenticate_client(client_id: str, client_secret: str) -> ConnectClient:
    client = find_client(client_id)
    if client is None:
        raise OAuthError("invalid_client", "Unknown client.", status=401)
    expected = conf.client_secret() if client_id == conf.client_id() else client.client_secret
    if expected and not hmac.compare_digest(expected.encode(), (client_secret or "").encode()):
        raise OAuthError("invalid_client", "Client authentication failed.", status=401)
    return client


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pkce_s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def create_code(*, grant: Grant, redirect_uri: str, code_challenge: str) -> str:
    code = secrets.token_urlsafe(32)
    AuthorizationCode.objects.create(
        code=code,
        grant=grant,
        redirect_uri=redirect_uri,
        code_challenge=code_challenge,
        expires_at=timezone.now() + CODE_LIFETIME,
    )
    return code


def _access_token(grant: Grant, endpoints: Endpoints) -> tuple[str, int]:
    now = int(time.time())
    lifetime = conf.access_token_lifetime(grant.client.access_token_lifetime)
    claims = {
        "iss": endpoints.issuer,
        "aud": [endpoints.graphql, endpoints.graphql_service],
        "client_id": grant.client.client_id,
        "scope": grant.scope.split(),
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
    }
    if grant.user_id:
        claims["sub"] = str(grant.user.sub)
        claims["auth_time"] = int(grant.created.timestamp())
    else:
        claims["sub"] = grant.client.client_id
    return keys.sign(claims), lifetime


def _id_token(grant: Grant, endpoints: Endpoints) -> str:
    now = int(time.time())
    claims = {
        "iss": endpoints.issuer,
        "aud": grant.client.client_id,
        "sub": str(grant.user.sub),
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "auth_time": int(grant.created.timestamp()),
        "email": grant.user.email,
        "email_verified": True,
        "name": grant.user.name,
        "idp": "Visma Connect",
    }
    if grant.nonce:
        claims["nonce"] = grant.nonce
    return keys.sign(claims)


def _token_response(grant: Grant, endpoints: Endpoints) -> dict:
    access, lifetime = _access_token(grant, endpoints)
    scopes = grant.scope.split()
    body = {
        "access_token": access,
        "expires_in": lifetime,
        "token_type": "Bearer",
        "scope": grant.scope,
    }
    if grant.user_id and "openid" in scopes:
        body["id_token"] = _id_token(grant, endpoints)
    if grant.user_id and "offline_access" in scopes:
        refresh = secrets.token_hex(32)
        RefreshToken.objects.create(
            token_hash=_hash(refresh),
            grant=grant,
            expires_at=timezone.now() + timedelta(days=grant.client.refresh_token_lifetime_days),
        )
        body["refresh_token"] = refresh
    return body


def exchange_code(
    *, client: ConnectClient, code: str, redirect_uri: str, verifier: str, endpoints: Endpoints
) -> dict:
    # The code is burnt before any check runs, so the error is raised after the commit.
    with transaction.atomic():
        row = (
            AuthorizationCode.objects.select_for_update(of=("self",))
            .select_related("grant__client", "grant__user")
            .filter(code=code or "")
            .first()
        )
        if row is None or row.grant.client_id != client.pk:
            raise OAuthError("invalid_grant", "Unknown authorization code.")
        error = _code_problem(row, client, redirect_uri, verifier)
        if row.used:
            # A replayed code is a sign of theft: kill everything issued from it.
            revoke_grant(row.grant)
        row.used = True
        row.save(update_fields=["used"])
    if error:
        raise OAuthError("invalid_grant", error)
    return _token_response(row.grant, endpoints)


def _code_problem(
    row: AuthorizationCode, client: ConnectClient, redirect_uri: str, verifier: str
) -> str:
    if row.used:
        return "Authorization code already used."
    if row.expires_at < timezone.now():
        return "Authorization code expired."
    if row.redirect_uri != redirect_uri:
        return "redirect_uri does not match the authorization request."
    if row.code_challenge:
        if not verifier or not hmac.compare_digest(pkce_s256(verifier), row.code_challenge):
            return "PKCE verification failed."
    elif not client.client_secret and client.client_id != conf.client_id():
        return "Public clients must use PKCE."
    return ""


def exchange_refresh_token(*, client: ConnectClient, token: str, endpoints: Endpoints) -> dict:
    with transaction.atomic():
        row = (
            RefreshToken.objects.select_for_update(of=("self",))
            .select_related("grant__client", "grant__user")
            .filter(token_hash=_hash(token or ""))
            .first()
        )
        if row is None or row.grant.client_id != client.pk:
            raise OAuthError("invalid_grant", "Unknown refresh token.")
        if row.grant.revoked:
            raise OAuthError("invalid_grant", "The grant has been revoked.")
        now = timezone.now()
        if row.expires_at < now:
            raise OAuthError("invalid_grant", "Refresh token expired.")
        if row.used_at is not None:
            grace = conf.refresh_grace_seconds(client.refresh_grace_seconds)
            if (now - row.used_at).total_seconds() <= grace and row.successor_response:
                return row.successor_response
            raise OAuthError("invalid_grant", "Refresh token already used.")
        response = _token_response(row.grant, endpoints)
        row.used_at = now
        row.successor_response = response
        row.save(update_fields=["used_at", "successor_response"])
        return response


def client_credentials(*, client: ConnectClient, scope: str, endpoints: Endpoints) -> dict:
    requested = scope.split() or [conf.SERVICE_SCOPE]
    unknown = set(requested) - conf.SERVICE_API_SCOPES
    if unknown:
        raise OAuthError("invalid_scope", f"Scope not allowed: {' '.join(sorted(unknown))}")
    grant = Grant.objects.create(client=client, scope=" ".join(requested))
    return _token_response(grant, endpoints)


def revoke_grant(grant: Grant) -> None:
    grant.revoked = True
    # The first revocation's time stays: a second one changes nothing.
    grant.revoked_at = grant.revoked_at or timezone.now()
    grant.save(update_fields=["revoked", "revoked_at"])


def revoke_refresh_token(token: str, *, client: ConnectClient | None = None) -> bool:
    """Revoke the grant a refresh token belongs to; with ``client``, only that client's."""
    row = RefreshToken.objects.select_related("grant").filter(token_hash=_hash(token)).first()
    if row is None or (client is not None and row.grant.client_id != client.pk):
        return False
    revoke_grant(row.grant)
    return True


def endpoints_for(request) -> Endpoints:
    from django.urls import reverse

    discovery = request.build_absolute_uri(reverse("sandbox:connect-discovery"))
    return Endpoints(
        issuer=discovery.removesuffix("/.well-known/openid-configuration"),
        graphql=request.build_absolute_uri(reverse("sandbox:nxt-graphql")),
        graphql_service=request.build_absolute_uri(reverse("sandbox:nxt-graphql-service")),
    )


def issue_tokens(grant: Grant, endpoints: Endpoints) -> dict:
    """Token response for an existing grant (used by the seed's helpers and by tests)."""
    return _token_response(grant, endpoints)
