"""The interactive authorize flow: log-in → tenant pick → consent ("Ok") → terms ("Accept").

The pending request lives in the session under a random flow id passed in the query string,
so several flows (browser tabs) can run side by side. The sandbox login is kept in its own
session key and never touches the Kredin login.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sandbox import conf
from sandbox.connect import tokens
from sandbox.models import Grant, SandboxUser, VismaCustomer

SESSION_FLOWS = "sbx_connect_flows"
SESSION_USER = "sbx_connect_user"
ALLOWED_SCOPES = conf.IDENTITY_SCOPES | conf.USER_API_SCOPES
SCOPE_LABELS = {
    "openid": "Sign you in",
    "profile": "Read your name",
    "email": "Read your e-mail address",
    "offline_access": "Keep access when you are not signed in",
    conf.USER_SCOPE: "Read and write Business NXT data you have access to",
    conf.USER_SCOPE_READONLY: "Read Business NXT data you have access to",
}


def _redirect_with(redirect_uri: str, params: dict) -> HttpResponseRedirect:
    params = {k: v for k, v in params.items() if v}
    separator = "&" if "?" in redirect_uri else "?"
    return HttpResponseRedirect(f"{redirect_uri}{separator}{urlencode(params)}")


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "sandbox/connect/error.html", {"message": message}, status=400)


def _validate(params) -> tuple[str, str]:
    """Return (error, description) for a request whose client and redirect_uri are valid."""
    if params.get("response_type") != "code":
        return "unsupported_response_type", "Only response_type=code is supported."
    scopes = params.get("scope", "").split()
    if "openid" not in scopes:
        return "invalid_scope", "The openid scope is required."
    unknown = set(scopes) - ALLOWED_SCOPES
    if unknown:
        return "invalid_scope", f"Unknown scope: {' '.join(sorted(unknown))}"
    challenge = params.get("code_challenge", "")
    method = params.get("code_challenge_method", "")
    if challenge and method != "S256":
        return "invalid_request", "Only code_challenge_method=S256 is supported."
    if method and not challenge:
        return "invalid_request", "code_challenge is missing."
    if challenge and not 43 <= len(challenge) <= 128:
        return "invalid_request", "code_challenge has the wrong length."
    if len(params.get("state", "")) > 2000 or len(params.get("nonce", "")) > 2000:
        return "invalid_request", "state or nonce too long."
    return "", ""


@require_http_methods(["GET"])
def authorize(request: HttpRequest) -> HttpResponse:
    params = request.GET
    client = tokens.find_client(params.get("client_id", ""))
    if client is None:
        return _bad_request(request, "Unknown client_id.")
    redirect_uri = params.get("redirect_uri", "")
    if not redirect_uri or not client.accepts_redirect_uri(redirect_uri):
        return _bad_request(request, "redirect_uri is not registered for this client.")
    error, description = _validate(params)
    if error:
        return _redirect_with(
            redirect_uri,
            {"error": error, "error_description": description, "state": params.get("state")},
        )
    flow_id = secrets.token_urlsafe(12)
    flows = request.session.get(SESSION_FLOWS, {})
    flows[flow_id] = {
        key: params.get(key, "")
        for key in ("client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge")
    }
    request.session[SESSION_FLOWS] = flows
    if params.get("prompt") == "login":
        request.session.pop(SESSION_USER, None)
    return _next_step(request, flow_id, flows[flow_id])


def _flow(request: HttpRequest) -> tuple[str, dict | None]:
    flow_id = request.GET.get("flow", "")
    return flow_id, request.session.get(SESSION_FLOWS, {}).get(flow_id)


def _save(request: HttpRequest, flow_id: str, flow: dict) -> None:
    flows = request.session.get(SESSION_FLOWS, {})
    flows[flow_id] = flow
    request.session[SESSION_FLOWS] = flows


def _step_url(name: str, flow_id: str) -> str:
    return f"{reverse(name)}?{urlencode({'flow': flow_id})}"


def _current_user(request: HttpRequest) -> SandboxUser | None:
    user_id = request.session.get(SESSION_USER)
    return SandboxUser.objects.filter(pk=user_id).first() if user_id else None


def _next_step(request: HttpRequest, flow_id: str, flow: dict) -> HttpResponse:
    user = _current_user(request)
    if user is None:
        return HttpResponseRedirect(_step_url("sandbox:connect-login", flow_id))
    if not flow.get("tenant"):
        tenants = list(user.customers.order_by("customer_no"))
        if len(tenants) > 1:
            return HttpResponseRedirect(_step_url("sandbox:connect-tenant", flow_id))
        flow["tenant"] = tenants[0].pk if tenants else -1
        _save(request, flow_id, flow)
    if not flow.get("approved"):
        return HttpResponseRedirect(_step_url("sandbox:connect-consent", flow_id))
    return HttpResponseRedirect(_step_url("sandbox:connect-terms", flow_id))


def _deny(request: HttpRequest, flow_id: str, flow: dict) -> HttpResponse:
    flows = request.session.get(SESSION_FLOWS, {})
    flows.pop(flow_id, None)
    request.session[SESSION_FLOWS] = flows
    return _redirect_with(
        flow["redirect_uri"],
        {
            "error": "access_denied",
            "error_description": "The user denied access.",
            "state": flow.get("state"),
        },
    )


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    flow_id, flow = _flow(request)
    if flow is None:
        return _bad_request(request, "This sign-in request has expired. Start again.")
    error = ""
    email = ""
    if request.method == "POST":
        if "cancel" in request.POST:
            return _deny(request, flow_id, flow)
        email = request.POST.get("email", "").strip().lower()
        user = SandboxUser.objects.filter(email__iexact=email).first()
        if user and user.check_password(request.POST.get("password", "")):
            request.session.cycle_key()
            request.session[SESSION_USER] = user.pk
            return _next_step(request, flow_id, flow)
        error = "Wrong e-mail address or password."
    prefill = conf.prefill_demo_login() and not email
    context = {
        "flow": flow_id,
        "error": error,
        "email": conf.DEMO_EMAIL if prefill else email,
        "password": conf.DEMO_PASSWORD if prefill else "",
    }
    return render(request, "sandbox/connect/login.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def tenant(request: HttpRequest) -> HttpResponse:
    flow_id, flow = _flow(request)
    user = _current_user(request)
    if flow is None or user is None:
        return _bad_request(request, "This sign-in request has expired. Start again.")
    tenants = list(user.customers.order_by("customer_no"))
    if request.method == "POST":
        if "cancel" in request.POST:
            return _deny(request, flow_id, flow)
        chosen = next((t for t in tenants if str(t.pk) == request.POST.get("tenant")), None)
        if chosen is not None:
            flow["tenant"] = chosen.pk
            _save(request, flow_id, flow)
            return _next_step(request, flow_id, flow)
    return render(request, "sandbox/connect/tenant.html", {"flow": flow_id, "tenants": tenants})


@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    flow_id, flow = _flow(request)
    if flow is None or _current_user(request) is None:
        return _bad_request(request, "This sign-in request has expired. Start again.")
    if request.method == "POST":
        if request.POST.get("decision") != "ok":
            return _deny(request, flow_id, flow)
        flow["approved"] = True
        _save(request, flow_id, flow)
        return _next_step(request, flow_id, flow)
    client = tokens.find_client(flow["client_id"])
    scopes = [SCOPE_LABELS.get(s, s) for s in flow["scope"].split()]
    context = {"flow": flow_id, "client": client, "scopes": scopes, "raw_scopes": flow["scope"]}
    return render(request, "sandbox/connect/consent.html", context)


@require_http_methods(["GET", "POST"])
def terms(request: HttpRequest) -> HttpResponse:
    flow_id, flow = _flow(request)
    user = _current_user(request)
    if flow is None or user is None or not flow.get("approved"):
        return _bad_request(request, "This sign-in request has expired. Start again.")
    if request.method == "POST":
        if request.POST.get("decision") != "accept":
            return _deny(request, flow_id, flow)
        code = _issue_code(user, flow)
        flows = request.session.get(SESSION_FLOWS, {})
        flows.pop(flow_id, None)
        request.session[SESSION_FLOWS] = flows
        return _redirect_with(flow["redirect_uri"], {"code": code, "state": flow.get("state")})
    client = tokens.find_client(flow["client_id"])
    return render(request, "sandbox/connect/terms.html", {"flow": flow_id, "client": client})


@transaction.atomic
def _issue_code(user: SandboxUser, flow: dict) -> str:
    grant = Grant.objects.create(
        client=tokens.find_client(flow["client_id"]),
        user=user,
        tenant=VismaCustomer.objects.filter(pk=flow.get("tenant")).first(),
        scope=flow["scope"],
        nonce=flow.get("nonce", ""),
    )
    return tokens.create_code(
        grant=grant, redirect_uri=flow["redirect_uri"], code_challenge=flow["code_challenge"]
    )
