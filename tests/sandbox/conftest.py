"""Fixtures for the sandbox stand-ins: a seeded company and tokens for the demo principals."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from sandbox import conf
from sandbox.connect import tokens
from sandbox.models import ConnectClient, Grant, SandboxUser
from sandbox.nxt import limits
from sandbox.seeding import seed_company

TODAY = date(2026, 1, 15)
GRAPHQL = "/sandbox/businessnxt/api/graphql"
GRAPHQL_SERVICE = "/sandbox/businessnxt/api/graphql-service"
ENDPOINTS = tokens.Endpoints(
    issuer="http://testserver/sandbox/visma-connect",
    graphql=f"http://testserver{GRAPHQL}",
    graphql_service=f"http://testserver{GRAPHQL_SERVICE}",
)


@pytest.fixture(autouse=True)
def _fresh_limits():
    limits.reset()
    yield
    limits.reset()


@pytest.fixture
def company(db):
    return seed_company(
        customers=30, invoices=120, seed=11, today=TODAY, company_no=9112233
    ).company


@pytest.fixture
def demo_user(company) -> SandboxUser:
    return SandboxUser.objects.get(email=conf.DEMO_EMAIL)


@pytest.fixture
def demo_client(company) -> ConnectClient:
    return ConnectClient.objects.get(client_id=conf.client_id())


def user_token(user: SandboxUser, client: ConnectClient, scope: str = "") -> str:
    grant = Grant.objects.create(
        client=client, user=user, scope=scope or f"openid email {conf.USER_SCOPE}"
    )
    return tokens.issue_tokens(grant, ENDPOINTS)["access_token"]


@pytest.fixture
def token(demo_user, demo_client) -> str:
    return user_token(demo_user, demo_client)


@pytest.fixture
def gql(token):
    """POST a GraphQL request as the demo user; returns the response."""

    def post(query: str, variables: dict | None = None, *, bearer: str | None = None, path=GRAPHQL):
        body = {"query": query, "variables": variables or {}}
        return Client().post(
            path,
            data=json.dumps(body, default=str),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {bearer or token}",
        )

    return post


@pytest.fixture
def live(live_server, company, token):
    """The sandbox over real HTTP on the live server, as the demo user (tests/sandbox/live.py)."""
    from tests.sandbox.live import Live

    return Live(url=live_server.url, token=token, company_no=company.company_no)


def data_of(response) -> dict:
    assert response.status_code == 200, response.content
    payload = json.loads(response.content, parse_float=Decimal)
    assert "errors" not in payload, payload["errors"]
    return payload["data"]
