"""GET /healthz: 200 when the database and the broker answer, 503 naming what does not."""

from __future__ import annotations

import socket

import pytest
from django.db import OperationalError

from kredin.celery import app as celery_app

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_url(monkeypatch):
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    def use(url: str) -> None:
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        assert celery_app.conf.broker_url == url

    return use


def _status(response) -> dict:
    """The parts that decide the answer; "details" say what needs care without deciding it."""
    body = response.json()
    assert isinstance(body.pop("details"), dict)
    return body


class DownDatabase:
    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_is_ok_when_database_and_redis_broker_answer(client, broker_url, redis_url):
    broker_url(redis_url)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert _status(response) == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_names_the_broker_when_it_is_down(client, broker_url):
    broker_url(f"redis://127.0.0.1:{closed_port()}/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert _status(response) == {"status": "down", "database": "ok", "broker": "down"}


def test_healthz_names_the_database_when_it_is_down(client, broker_url, redis_url, monkeypatch):
    broker_url(redis_url)
    monkeypatch.setattr("kredin.health.connection", DownDatabase())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert _status(response) == {"status": "down", "database": "down", "broker": "ok"}


def test_healthz_is_not_cached(client, broker_url, redis_url):
    broker_url(redis_url)

    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
