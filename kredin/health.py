"""GET /healthz: is the database reachable, is the broker reachable, and what needs care.

The status (200 or 503) follows the database and the broker only: a load balancer must not
take a web process out of rotation because, say, a rate table needs its new half-year.
Such things go under "details", filled by the apps that know them (`health_details`,
registered from their AppConfig.ready(): kredin cannot import the apps above it).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kredin.celery import app as celery_app


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            # One quick retry: a probe must answer fast, not wait out kombu's 2 s backoff.
            conn.ensure_connection(max_retries=1, interval_start=0.2, interval_step=0, timeout=2)
        return True
    except Exception:
        return False


# name → a function answering {"status": "ok" | "attention", ...}
health_details: dict[str, Callable[[], dict]] = {}


def _details() -> dict[str, dict]:
    found = {}
    for name, check in sorted(health_details.items()):
        try:
            found[name] = check()
        except Exception as exc:  # a broken detail must not hide the status
            found[name] = {"status": "error", "error": type(exc).__name__}
    return found


@never_cache
@require_GET
def healthz(request):
    checks = {
        "database": "ok" if _database_ok() else "down",
        "broker": "ok" if _broker_ok() else "down",
    }
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", **checks, "details": _details()},
        status=200 if healthy else 503,
    )
