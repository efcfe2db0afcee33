"""Auth, errors, limits and faults of the GraphQL endpoint."""

from __future__ import annotations

import json
import time

import jwt
import pytest

from sandbox.connect import keys
from sandbox.models import SandboxUser, VismaCustomer
from sandbox.nxt import faults, limits
from sandbox.nxt.views import NGINX_401
from tests.sandbox.conftest import GRAPHQL_SERVICE, data_of, user_token
from tests.sandbox.control import control_post

pytestmark = pytest.mark.django_db

ACCOUNTS = "{ useCompany(no: %d) { generalLedgerAccount(first: 2) { items { accountNo } } } }"


def test_missing_token_gets_the_nginx_401_page(gql, company):
    response = gql(ACCOUNTS % company.company_no, bearer="not-a-jwt")
    assert response.status_code == 401
    assert response.content.decode() == NGINX_401
    assert "<title>401 Authorization Required</title>" in NGINX_401


def test_expired_token_gets_401(gql, company, demo_user, demo_client, settings):
    settings.SANDBOX_ACCESS_TOKEN_LIFETIME = 1
    token = user_token(demo_user, demo_client)
    time.sleep(1.1)
    assert gql(ACCOUNTS % company.company_no, bearer=token).status_code == 401


def test_token_signed_by_another_key_gets_401(gql, company, token):
    claims = keys.decode(token)
    forged = jwt.encode(claims, "x" * 32, algorithm="HS256")
    assert gql(ACCOUNTS % company.company_no, bearer=forged).status_code == 401


def test_user_token_is_refused_by_the_service_endpoint(gql, company):
    assert gql(ACCOUNTS % company.company_no, path=GRAPHQL_SERVICE).status_code == 401


def test_validation_error_has_dotnet_message_and_code(gql, company):
    template = "{ useCompany(no: NO) { generalLedgerAccount { totalRows } } }"
    query = template.replace("NO", str(company.company_no))
    response = gql(query)
    assert response.status_code == 200
    error = json.loads(response.content)["errors"][0]
    assert error["message"] == (
        "GraphQL.Validation.Errors.FieldsOnCorrectTypeError: Cannot query field 'totalRows' on "
        "type 'Query_UseCompany_GeneralLedgerAccount_Connection'. Did you mean 'totalCount'?"
    )
    assert error["extensions"]["code"] == "FIELDS_ON_CORRECT_TYPE"
    assert error["locations"] == [{"line": 1, "column": query.index("totalRows") + 1}]


def test_inaccessible_company_gives_error_and_null_field(gql, company):
    other = VismaCustomer.objects.create(customer_no=99, name="Other")
    other.companies.create(company_no=1234567, name="Hidden AS")
    response = gql(ACCOUNTS % 1234567)
    payload = json.loads(response.content)
    assert response.status_code == 200
    assert payload["data"] == {"useCompany": {"generalLedgerAccount": None}}
    assert "VismaNetCompanyId: 1234567" in payload["errors"][0]["message"]


def test_rate_limit_answers_429_once_the_minute_is_used_up(gql, company, settings):
    settings.SANDBOX_NXT_RATE_LIMIT_PER_MINUTE = 3
    statuses = [gql(ACCOUNTS % company.company_no).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_rate_limit_is_per_token(gql, company, settings, demo_user, demo_client):
    settings.SANDBOX_NXT_RATE_LIMIT_PER_MINUTE = 1
    assert gql(ACCOUNTS % company.company_no).status_code == 200
    other = user_token(demo_user, demo_client)
    assert gql(ACCOUNTS % company.company_no, bearer=other).status_code == 200


def test_outstanding_limit_error_when_the_company_is_busy(gql, company, settings):
    settings.SANDBOX_NXT_MAX_IN_FLIGHT = 2
    with limits.in_flight({company.company_no}), limits.in_flight({company.company_no}):
        response = gql(ACCOUNTS % company.company_no)
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "errors": [
            {
                "message": f"Company {company.company_no} has 2 requests in progress. Limit is 2.",
                "extensions": {
                    "code": "OUTSTANDING_LIMIT_EXCEEDED",
                    "codes": ["OUTSTANDING_LIMIT_EXCEEDED"],
                    "limit": 2,
                },
            }
        ]
    }
    data_of(gql(ACCOUNTS % company.company_no))  # slots are released afterwards


def test_outstanding_limit_counts_concurrent_live_requests(live_server, company, token, settings):
    import threading

    import requests

    settings.SANDBOX_NXT_MAX_IN_FLIGHT = 1
    faults.set_fault(company_no=company.company_no, kind="slow", count=1, delay_ms=800)
    url = live_server.url + "/sandbox/businessnxt/api/graphql"
    headers = {"Authorization": f"Bearer {token}"}
    body = {"query": ACCOUNTS % company.company_no}
    slow = threading.Thread(
        target=requests.post, args=(url,), kwargs={"json": body, "headers": headers}
    )
    slow.start()
    time.sleep(0.3)
    busy = requests.post(url, json=body, headers=headers, timeout=10).json()
    slow.join()
    assert busy["errors"][0]["extensions"]["code"] == "OUTSTANDING_LIMIT_EXCEEDED"


@pytest.mark.parametrize(("kind", "status"), [("http_500", 500), ("http_429", 429)])
def test_fault_fails_the_next_calls_then_recovers(gql, company, kind, status):
    faults.set_fault(company_no=company.company_no, kind=kind, count=2)
    statuses = [gql(ACCOUNTS % company.company_no).status_code for _ in range(3)]
    assert statuses == [status, status, 200]


def test_timeout_fault_sleeps_then_answers_504(gql, company):
    faults.set_fault(company_no=company.company_no, kind="timeout", delay_ms=300)
    started = time.monotonic()
    assert gql(ACCOUNTS % company.company_no).status_code == 504
    assert time.monotonic() - started >= 0.3


def test_slow_fault_delays_a_normal_answer(gql, company):
    faults.set_fault(company_no=company.company_no, kind="slow", delay_ms=250)
    started = time.monotonic()
    data_of(gql(ACCOUNTS % company.company_no))
    assert time.monotonic() - started >= 0.25


def test_duplicate_page_fault_serves_the_previous_page_again(gql, company):
    query = """query($cid: Int, $after: String) { useCompany(no: $cid) {
      generalLedgerAccount(first: 5, after: $after) {
        pageInfo { endCursor } items { accountNo } } } }"""
    first = data_of(gql(query, {"cid": company.company_no}))["useCompany"]["generalLedgerAccount"]
    faults.set_fault(company_no=company.company_no, kind="duplicate_page")
    variables = {"cid": company.company_no, "after": first["pageInfo"]["endCursor"]}
    again = data_of(gql(query, variables))["useCompany"]["generalLedgerAccount"]
    assert again["items"] == first["items"]
    after = data_of(gql(query, variables))["useCompany"]["generalLedgerAccount"]
    assert after["items"][0]["accountNo"] > first["items"][-1]["accountNo"]


def test_faults_are_per_company(gql, company, demo_user):
    faults.set_fault(company_no=company.company_no + 1, kind="http_500")
    assert gql(ACCOUNTS % company.company_no).status_code == 200


def test_control_endpoint_sets_a_fault(client, gql, company):
    response = control_post(
        "/sandbox/businessnxt/_control/fault",
        {"company_no": company.company_no, "kind": "http_500"},
        client=client,
    )
    assert response.status_code == 200
    assert gql(ACCOUNTS % company.company_no).status_code == 500


def test_user_without_customers_sees_no_companies(gql, demo_client):
    stranger = SandboxUser.objects.create(email="x@visma.sandbox", name="X")
    token = user_token(stranger, demo_client)
    data = data_of(gql("{ availableCompanies { totalCount } }", bearer=token))
    assert data["availableCompanies"]["totalCount"] == 0
