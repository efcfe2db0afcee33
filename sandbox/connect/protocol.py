"""Machine-facing Connect endpoints: discovery, JWKS, token, userinfo, revocation, end-session."""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import unquote

import jwt
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sandbox import conf
from sandbox.connect import keys, tokens
from sandbox.connect.tokens import OAuthError
from sandbox.control import control_secret_required
from sandbox.models import ConnectClient, SandboxUser

SUPPORTED_SCOPES = sorted(conf.IDENTITY_SCOPES | conf.USER_API_SCOPES | conf.SERVICE_API_SCOPES)


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    issuer = tokens.endpoints_for(request).issuer

    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name))

    return JsonResponse(
        {
            "issuer": issuer,
            "jwks_uri": url("sandbox:connect-jwks"),
            "authorization_endpoint": url("sandbox:connect-authorize"),
            "token_endpoint": url("sandbox:connect-token"),
            "userinfo_endpoint": url("sandbox:connect-userinfo"),
            "end_session_endpoint": url("sandbox:connect-endsession"),
            "revocation_endpoint": url("sandbox:connect-revocation"),
            "scopes_supported": SUPPORTED_SCOPES,
            "claims_supported": ["sub", "email", "email_verified", "name", "nonce", "auth_time"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [keys.ALGORITHM],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }
    )


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(keys.jwks())


def _oauth_error(exc: OAuthError) -> JsonResponse:
    response = JsonResponse(exc.as_dict(), status=exc.status)
    response["Cache-Control"] = "no-store"
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Basic realm="connect"'
    return response


def _client_credentials_of(request: HttpRequest) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip()).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise OAuthError("invalid_client", "Malformed Basic credentials.", 401) from exc
        client_id, _, secret = decoded.partition(":")
        return unquote(client_id), unquote(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    try:
        client = tokens.authenticate_client(*_client_credentials_of(request))
        grant_type = request.POST.get("grant_type", "")
        endpoints = tokens.endpoints_for(request)
        if grant_type == "authorization_code":
            body = tokens.exchange_code(
                client=client,
                code=request.POST.get("code", ""),
                redirect_uri=request.POST.get("redirect_uri", ""),
                verifier=request.POST.get("code_verifier", ""),
                endpoints=endpoints,
            )
        elif grant_type == "refresh_token":
            body = tokens.exchange_refresh_token(
                client=client, token=request.POST.get("refresh_token", ""), endpoints=endpoints
            )
        elif grant_type == "client_credentials":
            body = tokens.client_credentials(
                client=client, scope=request.POST.get("scope", ""), endpoints=endpoints
            )
        else:
            raise OAuthError("unsupported_grant_type", f"Grant type '{grant_type}' not supported.")
    except OAuthError as exc:
        return _oauth_error(exc)
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return response


def bearer_claims(request: HttpRequest) -> dict | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    try:
        return keys.decode(header[7:].strip())
    except jwt.InvalidTokenError:
        return None


@csrf_exempt
def userinfo(request: HttpRequest) -> JsonResponse:
    claims = bearer_claims(request)
    user = None
    if claims and claims.get("sub"):
        user = SandboxUser.objects.filter(sub__iexact=claims["sub"]).first()
    if user is None:
        response = JsonResponse({"error": "invalid_token"}, status=401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    return JsonResponse({"sub": str(user.sub), "email": user.email, "name": user.name})


@csrf_exempt
@require_POST
def revocation(request: HttpRequest) -> HttpResponse:
    """RFC 7009: revoking a refresh token revokes its grant; unknown tokens are not an error.

    Only the client the token was issued to can revoke it; anyone else's token is treated
    like an unknown one (200, nothing revoked), so the answer reveals nothing about it.
    """
    try:
        client = tokens.authenticate_client(*_client_credentials_of(request))
    except OAuthError as exc:
        return _oauth_error(exc)
    tokens.revoke_refresh_token(request.POST.get("token", ""), client=client)
    return HttpResponse(status=200)


@control_secret_required
@csrf_exempt
@require_POST
def control_revoke(request: HttpRequest) -> JsonResponse:
    """Sandbox switch: revoke the grant behind a refresh token, as a user would in Visma.net."""
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    revoked = tokens.revoke_refresh_token(str(payload.get("refresh_token", "")))
    return JsonResponse({"revoked": revoked}, status=200 if revoked else 404)


def _registered_logout_target(uri: str, client_id: str) -> bool:
    """Whether ``uri`` is, exactly, a redirect URI registered for a client (that client, if
    named). A client with no registered URIs accepts any at authorize, but none here: an
    end-session link anyone can craft must not become an open redirect."""
    if not uri:
        return False
    clients = ConnectClient.objects.all()
    if client_id:
        clients = clients.filter(client_id=client_id)
    return any(uri in client.registered_redirect_uris() for client in clients)


def endsession(request: HttpRequest) -> HttpResponse:
    request.session.pop("sbx_connect_user", None)
    target = request.GET.get("post_logout_redirect_uri", "")
    if _registered_logout_target(target, request.GET.get("client_id", "")):
        return HttpResponseRedirect(target)
    return HttpResponse("Signed out of the Visma Connect sandbox.", content_type="text/plain")
