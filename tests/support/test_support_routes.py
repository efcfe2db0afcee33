"""Every /support/ route, walked as a visitor, a customer and an agent without the code.

Only staff who passed the second factor get past; the others see the log-in page (or its
code step) or 404, for every method. A support route added later is walked too.
"""

from __future__ import annotations

import pytest

from tests.support.conftest import verified_login
from tests.tenancy.test_cross_tenant_routes import _concrete_path, alice_objects, all_routes

pytestmark = pytest.mark.django_db

__all__ = ["alice_objects"]  # a fixture, imported to be used here
METHODS = ("get", "post", "put", "patch", "delete")


def support_routes():
    routes = [r for r in all_routes() if r.name.startswith("support:")]
    assert len(routes) >= 10, "the walk found suspiciously few support routes"
    return routes


@pytest.fixture
def support_values(alice_objects, alice_org, bob):
    return {
        **alice_objects,
        "organization_id": alice_org.pk,
        "user_id": bob.pk,
        "posting_id": alice_objects["voucher_id"],
    }


def _paths(values):
    for route in support_routes():
        missing = [k for k in route.kwargs if k not in values]
        assert not missing, f"{route.name} takes {missing}: add a value to support_values"
        yield route, _concrete_path(route, values)


def test_visitors_get_the_log_in_page(client, support_values):
    for _route, path in _paths(support_values):
        for method in METHODS:
            response = getattr(client, method)(path)
            assert response.status_code == 302, (method, path, response.status_code)
            assert response["Location"].startswith("/logg-inn/?"), (method, path)


def test_customers_get_404(client_for, alice, support_values):
    client = client_for(alice)
    for _route, path in _paths(support_values):
        for method in METHODS:
            assert getattr(client, method)(path).status_code in (404, 405), (method, path)


def test_staff_without_the_second_factor_go_to_the_code_step(
    unverified_agent_client, support_values
):
    for _route, path in _paths(support_values):
        for method in METHODS:
            response = getattr(unverified_agent_client, method)(path)
            assert response.status_code == 302, (method, path, response.status_code)
            assert response["Location"].startswith("/logg-inn/kode/?"), (method, path)


def test_an_inactive_staff_account_gets_nothing(client, agent, support_values):
    verified_login(client, agent)
    agent.is_active = False
    agent.save()
    for _route, path in _paths(support_values):
        response = client.get(path)
        assert response.status_code in (302, 404), (path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/logg-inn/")


def test_a_verified_agent_reads_every_page(agent_client, support_values):
    for _route, path in _paths(support_values):
        response = agent_client.get(path)
        assert response.status_code in (200, 302, 405), (path, response.status_code)
