"""The Visma Connect stand-in: authorize flow, token grants, refresh rotation, revocation."""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from sandbox import conf
from sandbox.connect import keys
from sandbox.models import ConnectClient, Grant, VismaCustomer
from tests.sandbox.control import control_post

pytestmark = pytest.mark.django_db

BASE = "/sandbox/visma-connect"
REDIRECT = "https://app.local/callback"
VERIFIER = "a" * 20 + "-verifier-" + "b" * 20
SCOPE = f"openid profile email offline_access {conf.USER_SCOPE}"


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def start(browser: Client, **extra):
    params = {
        "client_id": conf.client_id(),
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": SCOPE,
        "state": "st4te",
        "nonce": "n0nce",
        "code_challenge": challenge(VERIFIER),
        "code_challenge_method": "S256",
        **extra,
    }
    return browser.get(f"{BASE}/connect/authorize", params)


def follow_to_code(browser: Client) -> dict:
    response = start(browser)
    login_url = response["Location"]
    response = browser.post(login_url, {"email": conf.DEMO_EMAIL, "password": conf.DEMO_PASSWORD})
    consent_url = response["Location"]
    assert "consent" in consent_url
    page = browser.get(consent_url).content.decode()
    assert ">Ok</button>" in page and "Accept" not in page
    terms_url = browser.post(consent_url, {"decision": "ok"})["Location"]
    assert ">Accept</button>" in browser.get(terms_url).content.decode()
    redirect = browser.post(terms_url, {"decision": "accept"})["Location"]
    assert redirect.startswith(REDIRECT)
    return {k: v[0] for k, v in parse_qs(urlparse(redirect).query).items()}


def token_request(data: dict, basic: bool = False):
    data = {k: v for k, v in data.items() if v is not None}
    headers = {}
    if basic:
        raw = f"{conf.client_id()}:{conf.client_secret()}".encode()
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(raw).decode()
    else:
        data.update(client_id=conf.client_id(), client_secret=conf.client_secret())
    return Client().post(f"{BASE}/connect/token", data, **headers)


def exchange(code: str, verifier: str = VERIFIER, redirect_uri: str = REDIRECT):
    return token_request(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
    )


def test_discovery_document_uses_the_sandbox_base_url(client):
    doc = client.get(f"{BASE}/.well-known/openid-configuration").json()
    assert doc["issuer"] == "http://testserver/sandbox/visma-connect"
    assert (
        doc["authorization_endpoint"] == "http://testserver/sandbox/visma-connect/connect/authorize"
    )
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert client.get(doc["jwks_uri"]).json()["keys"][0]["kty"] == "RSA"


def test_pkce_flow_issues_tokens_with_the_documented_claims(company):
    params = follow_to_code(Client())
    assert params["state"] == "st4te"
    response = exchange(params["code"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["refresh_token"] and body["id_token"]
    claims = keys.decode(body["access_token"])
    assert claims["iss"] == "http://testserver/sandbox/visma-connect"
    assert "http://testserver/sandbox/businessnxt/api/graphql" in claims["aud"]
    assert claims["client_id"] == conf.client_id()
    assert conf.USER_SCOPE in claims["scope"]
    assert {"sub", "exp", "iat", "nbf", "jti"} <= set(claims)
    assert keys.decode(body["id_token"])["nonce"] == "n0nce"


def test_wrong_pkce_verifier_is_invalid_grant(company):
    params = follow_to_code(Client())
    response = exchange(params["code"], verifier="x" * 50)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_code_is_single_use(company):
    code = follow_to_code(Client())["code"]
    assert exchange(code).status_code == 200
    assert exchange(code).json()["error"] == "invalid_grant"


def test_redirect_uri_must_match(company):
    code = follow_to_code(Client())["code"]
    assert exchange(code, redirect_uri="https://evil.example/cb").json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_invalid_client(company):
    response = Client().post(
        f"{BASE}/connect/token",
        {"grant_type": "client_credentials", "client_id": conf.client_id(), "client_secret": "no"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_userinfo_returns_the_signed_in_user(company):
    body = exchange(follow_to_code(Client())["code"]).json()
    info = (
        Client()
        .get(f"{BASE}/connect/userinfo", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
        .json()
    )
    assert info["email"] == conf.DEMO_EMAIL and info["sub"] and info["name"]


def _refresh(token: str, basic: bool = True):
    return token_request({"grant_type": "refresh_token", "refresh_token": token}, basic=basic)


def test_refresh_rotates_and_grace_returns_the_same_pair(company):
    first = exchange(follow_to_code(Client())["code"]).json()
    rotated = _refresh(first["refresh_token"]).json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert _refresh(first["refresh_token"]).json() == rotated  # within the grace window
    assert _refresh(rotated["refresh_token"], basic=False).status_code == 200


def test_old_refresh_token_is_invalid_after_the_grace_window(company, settings):
    settings.SANDBOX_REFRESH_GRACE_SECONDS = 0.2
    first = exchange(follow_to_code(Client())["code"]).json()
    assert _refresh(first["refresh_token"]).status_code == 200
    time.sleep(0.3)
    response = _refresh(first["refresh_token"])
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_revoked_grant_refuses_refresh(company, client):
    first = exchange(follow_to_code(Client())["code"]).json()
    revoke = control_post(
        f"{BASE}/_control/revoke", {"refresh_token": first["refresh_token"]}, client=client
    )
    assert revoke.json() == {"revoked": True}
    assert _refresh(first["refresh_token"]).json()["error"] == "invalid_grant"


def test_rfc7009_revocation_revokes_the_grant_and_records_when(company):
    first = exchange(follow_to_code(Client())["code"]).json()
    response = Client().post(
        f"{BASE}/connect/revocation",
        {
            "token": first["refresh_token"],
            "token_type_hint": "refresh_token",
            "client_id": conf.client_id(),
            "client_secret": conf.client_secret(),
        },
    )
    assert response.status_code == 200
    grant = Grant.objects.get()
    assert grant.revoked and grant.revoked_at is not None
    assert _refresh(first["refresh_token"]).json()["error"] == "invalid_grant"


def test_revocation_needs_client_authentication(company):
    first = exchange(follow_to_code(Client())["code"]).json()
    response = Client().post(
        f"{BASE}/connect/revocation",
        {"token": first["refresh_token"], "client_id": conf.client_id(), "client_secret": "no"},
    )
    assert response.status_code == 401
    assert Grant.objects.get().revoked_at is None


def test_another_client_cannot_revoke_a_token_it_was_not_issued(company):
    first = exchange(follow_to_code(Client())["code"]).json()
    ConnectClient.objects.create(client_id="other-app", client_secret="other-secret")
    response = Client().post(
        f"{BASE}/connect/revocation",
        {
            "token": first["refresh_token"],
            "client_id": "other-app",
            "client_secret": "other-secret",
        },
    )
    assert response.status_code == 200  # as for an unknown token: nothing is revealed
    assert Grant.objects.get().revoked_at is None
    assert _refresh(first["refresh_token"]).status_code == 200


def _end_session(**params):
    return Client().get(f"{BASE}/connect/endsession", params)


def test_end_session_does_not_redirect_to_an_unregistered_uri(company):
    response = _end_session(post_logout_redirect_uri="https://evil.example/")
    assert response.status_code == 200
    assert "Location" not in response
    assert b"Signed out" in response.content


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "https://app.local/callback.evil.example",
        "https://app.local/callback/../../evil",
        "https://app.local/callback?next=https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
    ],
)
def test_end_session_redirects_only_to_an_exactly_registered_uri(company, target):
    ConnectClient.objects.filter(client_id=conf.client_id()).update(
        redirect_uris=f"{REDIRECT}\nhttps://app.local/signed-out"
    )
    refused = _end_session(post_logout_redirect_uri=target, client_id=conf.client_id())
    assert refused.status_code == 200 and "Location" not in refused
    allowed = _end_session(
        post_logout_redirect_uri="https://app.local/signed-out", client_id=conf.client_id()
    )
    assert allowed.status_code == 302
    assert allowed["Location"] == "https://app.local/signed-out"
    assert _end_session(post_logout_redirect_uri=REDIRECT).status_code == 302


def test_end_session_with_a_client_id_accepts_only_that_clients_uris(company):
    ConnectClient.objects.create(client_id="other-app", redirect_uris="https://other.example/bye")
    assert _end_session(post_logout_redirect_uri="https://other.example/bye").status_code == 302
    response = _end_session(
        post_logout_redirect_uri="https://other.example/bye", client_id=conf.client_id()
    )
    assert response.status_code == 200 and "Location" not in response


def test_a_client_without_registered_uris_gets_no_logout_redirect(company):
    """Accepting any redirect URI at authorize must not make end-session an open redirect."""
    assert ConnectClient.objects.get(client_id=conf.client_id()).redirect_uris == ""
    response = _end_session(
        post_logout_redirect_uri="https://evil.example/", client_id=conf.client_id()
    )
    assert response.status_code == 200 and "Location" not in response


def test_short_lived_tokens_for_tests(company, settings):
    settings.SANDBOX_ACCESS_TOKEN_LIFETIME = 2
    body = exchange(follow_to_code(Client())["code"]).json()
    assert body["expires_in"] == 2


def test_client_credentials_with_basic_auth(company):
    response = token_request(
        {"grant_type": "client_credentials", "scope": conf.SERVICE_SCOPE}, basic=True
    )
    body = response.json()
    assert response.status_code == 200
    assert "refresh_token" not in body
    service = Client().post(
        "/sandbox/businessnxt/api/graphql-service",
        data={"query": "{ availableCompanies { totalCount } }"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {body['access_token']}",
    )
    assert service.json()["data"]["availableCompanies"]["totalCount"] == 1


def test_client_credentials_rejects_user_scope(company):
    response = token_request({"grant_type": "client_credentials", "scope": conf.USER_SCOPE})
    assert response.json()["error"] == "invalid_scope"


def test_cancel_on_consent_redirects_with_access_denied(company):
    browser = Client()
    login_url = start(browser)["Location"]
    consent_url = browser.post(
        login_url, {"email": conf.DEMO_EMAIL, "password": conf.DEMO_PASSWORD}
    )["Location"]
    redirect = browser.post(consent_url, {"decision": "deny"})["Location"]
    params = parse_qs(urlparse(redirect).query)
    assert params["error"] == ["access_denied"] and params["state"] == ["st4te"]


def test_plain_pkce_method_is_refused(company):
    response = start(Client(), code_challenge_method="plain")
    params = parse_qs(urlparse(response["Location"]).query)
    assert params["error"] == ["invalid_request"]


def test_unknown_client_gets_an_error_page_not_a_redirect(company):
    response = start(Client(), client_id="nobody")
    assert response.status_code == 400


def test_wrong_password_stays_on_the_login_page(company):
    browser = Client()
    login_url = start(browser)["Location"]
    response = browser.post(login_url, {"email": conf.DEMO_EMAIL, "password": "wrong"})
    assert response.status_code == 400
    assert "Wrong e-mail address or password" in response.content.decode()


def test_login_page_is_prefilled_for_the_demo_user(company, settings):
    settings.SANDBOX_PREFILL_DEMO_LOGIN = True
    browser = Client()
    page = browser.get(start(browser)["Location"]).content.decode()
    assert f'value="{conf.DEMO_EMAIL}"' in page


def test_user_with_several_tenants_picks_one(company, demo_user):
    second = VismaCustomer.objects.create(customer_no=7654321, name="Second tenant")
    second.users.add(demo_user)
    browser = Client()
    login_url = start(browser)["Location"]
    tenant_url = browser.post(
        login_url, {"email": conf.DEMO_EMAIL, "password": conf.DEMO_PASSWORD}
    )["Location"]
    assert "tenant" in tenant_url
    assert "Second tenant" in browser.get(tenant_url).content.decode()
    consent_url = browser.post(tenant_url, {"tenant": second.pk})["Location"]
    assert "consent" in consent_url


def test_full_flow_over_http_reaches_the_graphql_api(live_server, company):
    import re

    import requests

    browser = requests.Session()
    base = live_server.url + BASE
    doc = browser.get(f"{base}/.well-known/openid-configuration", timeout=10).json()
    assert doc["issuer"] == base
    page = browser.get(
        doc["authorization_endpoint"],
        params={
            "client_id": conf.client_id(),
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": SCOPE,
            "state": "s",
            "code_challenge": challenge(VERIFIER),
            "code_challenge_method": "S256",
        },
        timeout=10,
    )

    def submit(response, **fields):
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
        return browser.post(
            response.url,
            data={"csrfmiddlewaretoken": csrf, **fields},
            headers={"Referer": response.url},
            allow_redirects=False,
            timeout=10,
        )

    step = submit(page, email=conf.DEMO_EMAIL, password=conf.DEMO_PASSWORD)
    consent = browser.get(live_server.url + step.headers["Location"], timeout=10)
    step = submit(consent, decision="ok")
    terms = browser.get(live_server.url + step.headers["Location"], timeout=10)
    callback = submit(terms, decision="accept").headers["Location"]
    code = parse_qs(urlparse(callback).query)["code"][0]
    tokens = requests.post(
        doc["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": VERIFIER,
        },
        auth=(conf.client_id(), conf.client_secret()),
        timeout=10,
    ).json()
    graphql = next(a for a in keys.decode(tokens["access_token"])["aud"] if a.endswith("graphql"))
    answer = requests.post(
        graphql,
        json={"query": "{ availableCompanies { items { vismaNetCompanyId } } }"},
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    ).json()
    assert answer["data"]["availableCompanies"]["items"] == [
        {"vismaNetCompanyId": company.company_no}
    ]


def test_id_token_validates_with_authlib_against_the_published_jwks(company, client):
    from authlib.jose import JsonWebKey, JsonWebToken
    from authlib.oidc.core import CodeIDToken

    body = exchange(follow_to_code(Client())["code"]).json()
    doc = client.get(f"{BASE}/.well-known/openid-configuration").json()
    key_set = JsonWebKey.import_key_set(client.get(doc["jwks_uri"]).json())
    claims = JsonWebToken(doc["id_token_signing_alg_values_supported"]).decode(
        body["id_token"],
        key_set,
        claims_cls=CodeIDToken,
        claims_options={"iss": {"values": [doc["issuer"]]}},
        claims_params={"nonce": "n0nce", "client_id": conf.client_id()},
    )
    claims.validate()
    assert claims["aud"] == conf.client_id()
