"""The setup wizard against the sandbox: the Kredin pages and the sandbox's Visma Connect
pages are driven with Django's test client, while Kredin's own back-channel calls (token
exchange, GraphQL) go over real HTTP to the live server, as they would in production."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from sandbox import conf as sandbox_conf
from sandbox.seeding import seed_company

SEED_TODAY = date(2026, 11, 27)


@pytest.fixture
def sandbox_urls(live_server, settings):
    settings.VISMA_CONNECT_URL = f"{live_server.url}/sandbox/visma-connect"
    settings.BUSINESS_NXT_GRAPHQL_URL = f"{live_server.url}/sandbox/businessnxt/api/graphql"
    settings.SANDBOX_PREFILL_DEMO_LOGIN = False
    return live_server


@pytest.fixture
def sandbox_company(transactional_db):
    return seed_company(customers=20, invoices=60, seed=7, today=SEED_TODAY).company


class ConsentWalker:
    """Follows redirects between Kredin and the sandbox like a browser would."""

    def __init__(self, client, live_server):
        self.client = client
        self.base = live_server.url

    def local(self, url: str) -> str:
        return url[len(self.base) :] if url.startswith(self.base) else url

    def follow(self, response, limit: int = 10):
        while response.status_code in (301, 302) and limit:
            response = self.client.get(self.local(response["Location"]))
            limit -= 1
        return response

    def start(self, org_slug: str, query: str = ""):
        url = reverse("integrations:connect-start", kwargs={"org_slug": org_slug}) + query
        response = self.client.get(url)
        assert response.status_code == 302, response
        return response

    def to_sandbox_login(self, start_response):
        response = self.follow(start_response)
        assert b'name="password"' in response.content, response.content[:500]
        return response

    def log_in(self, login_page):
        path = login_page.wsgi_request.get_full_path()
        return self.client.post(
            path,
            {
                "email": sandbox_conf.DEMO_EMAIL,
                "password": sandbox_conf.DEMO_PASSWORD,
            },
        )

    def approve(self, response, *, ok: str = "ok", accept: str = "accept"):
        """From after log-in: Ok on the consent screen, then Accept on the terms screen.
        Returns the redirect to Kredin's callback (not followed)."""
        consent = self.follow(response)
        assert b"Ok" in consent.content
        after_ok = self.client.post(consent.wsgi_request.get_full_path(), {"decision": ok})
        if ok != "ok":
            return after_ok
        terms = self.follow(after_ok)
        assert b"Accept" in terms.content
        return self.client.post(terms.wsgi_request.get_full_path(), {"decision": accept})

    def callback_query(self, redirect_response) -> dict[str, str]:
        query = parse_qs(urlsplit(redirect_response["Location"]).query)
        return {k: v[0] for k, v in query.items()}

    def consent_redirect(self, org_slug: str, query: str = ""):
        login_page = self.to_sandbox_login(self.start(org_slug, query))
        return self.approve(self.log_in(login_page))


@pytest.fixture
def walker(client, sandbox_urls):
    return ConsentWalker(client, sandbox_urls)
