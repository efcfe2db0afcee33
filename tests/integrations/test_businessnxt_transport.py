"""Reads are retried, mutations are sent once: the client against a real local HTTP server.

The server answers every POST from a script (hang, a status, a body), and keeps each
request body, so a test can count what the client sent.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.businessnxt.client import (
    BusinessNxtClient,
    BusinessNxtError,
    MutationNotSent,
    NotAuthorized,
    OutcomeUnknown,
    TransientFailure,
)
from kredin.tasks import TransientError

MUTATION = (
    "mutation postPayment { useCompany(no: 1) { batch_create(values: [{valueDate: 20260101,"
    " voucherSeriesNo: 1}]) { affectedRows items { batchNo } } } }"
)
# The same document as a read: only the operation type differs.
READ = MUTATION.replace("mutation", "query", 1)
OK = {"data": {"useCompany": {"batch_create": {"affectedRows": 1, "items": [{"batchNo": 7}]}}}}
HANG_SECONDS = 5.0
TIMEOUT = 0.5
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = json.dumps(OK).encode()
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # hold the request past the client's timeout


@dataclass
class ScriptedServer:
    url: str
    received: list[dict] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    # Answers in order; the last one repeats.
    script: list[Answer] = field(default_factory=lambda: [Answer()])

    def answer(self, *answers: Answer) -> None:
        self.script[:] = answers


@pytest.fixture
def nxt_server() -> Iterator[ScriptedServer]:
    release = threading.Event()
    server_state = ScriptedServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            server_state.raw.append(body)
            server_state.received.append(json.loads(body))
            script = server_state.script
            answer = script.pop(0) if len(script) > 1 else script[0]
            if answer.hang:
                release.wait(HANG_SECONDS)
            with contextlib.suppress(OSError):
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

        def log_message(self, format: str, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    # A short poll interval: shutdown() waits up to one interval.
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    server_state.url = f"http://127.0.0.1:{httpd.server_address[1]}/api/graphql"
    try:
        yield server_state
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def forced_refreshes() -> list[bool]:
    return []


@pytest.fixture
def client(settings, fast_client_retries, nxt_server, forced_refreshes):
    settings.OUTBOUND_HTTP_TIMEOUT = TIMEOUT
    settings.BUSINESS_NXT_MAX_ATTEMPTS = MAX_ATTEMPTS
    settings.BUSINESS_NXT_GRAPHQL_URL = nxt_server.url

    def token(force_refresh: bool) -> str:
        forced_refreshes.append(force_refresh)
        return "token-after-refresh" if force_refresh else "token"

    with BusinessNxtClient(token_provider=token, limiter_key="test-transport") as client:
        yield client


NO_ANSWER = [
    pytest.param(Answer(hang=True), id="hangs past the timeout"),
    pytest.param(Answer(status=500), id="HTTP 500"),
    pytest.param(Answer(status=504), id="HTTP 504"),
]


@pytest.mark.parametrize("answer", NO_ANSWER)
@pytest.mark.parametrize("entry", ["execute", "execute_mutation"])
def test_a_mutation_without_an_answer_is_sent_once_and_its_outcome_unknown(
    client, nxt_server, answer, entry
):
    nxt_server.answer(answer)
    with pytest.raises(OutcomeUnknown) as raised:
        getattr(client, entry)(MUTATION)
    assert len(nxt_server.received) == 1
    assert nxt_server.received[0]["query"] == MUTATION
    assert raised.value.operation_name == "postPayment"
    assert "may or may not have been applied" in str(raised.value)
    assert "reading back" in str(raised.value)
    assert not isinstance(raised.value, TransientError)  # Celery must not send it again


def test_a_mutation_answered_with_something_not_json_has_an_unknown_outcome(client, nxt_server):
    nxt_server.answer(Answer(body=b"<html>Bad gateway</html>"))
    with pytest.raises(OutcomeUnknown):
        client.execute(MUTATION)
    assert len(nxt_server.received) == 1


@pytest.mark.parametrize("answer", NO_ANSWER)
def test_the_same_document_as_a_query_is_retried(client, nxt_server, answer):
    nxt_server.answer(answer)
    with pytest.raises(TransientFailure):
        client.execute(READ)
    assert len(nxt_server.received) == MAX_ATTEMPTS


def test_a_query_that_fails_once_gets_its_answer_on_the_retry(client, nxt_server):
    nxt_server.answer(Answer(status=504), Answer())
    assert client.execute(READ) == OK["data"]
    assert len(nxt_server.received) == 2


def test_execute_mutation_sends_even_a_query_only_once(client, nxt_server):
    nxt_server.answer(Answer(status=500))
    with pytest.raises(OutcomeUnknown):
        client.execute_mutation(READ)
    assert len(nxt_server.received) == 1


@pytest.mark.parametrize(
    ("document", "sent"),
    [
        pytest.param(READ, MAX_ATTEMPTS, id="query"),
        pytest.param("{ availableCompanies { totalCount } }", MAX_ATTEMPTS, id="shorthand"),
        pytest.param(
            "query q { ...F } fragment F on Query { availableCompanies { totalCount } }",
            MAX_ATTEMPTS,
            id="query with a fragment",
        ),
        pytest.param(MUTATION, 1, id="named mutation"),
        pytest.param(MUTATION.replace("postPayment ", ""), 1, id="anonymous mutation"),
        pytest.param(
            "mutation m { ...F } fragment F on Mutation { useCompany(no: 1) { __typename } }",
            1,
            id="mutation with a fragment",
        ),
        pytest.param("mutation { useCompany(no: 1) { batch_create(", 1, id="unparseable"),
    ],
)
def test_only_what_parses_as_a_query_is_sent_more_than_once(client, nxt_server, document, sent):
    nxt_server.answer(Answer(status=500))
    with pytest.raises((TransientFailure, OutcomeUnknown)):
        client.execute(document)
    assert len(nxt_server.received) == sent
    assert nxt_server.received[0]["query"] == document  # sent as written, even if unparseable


def test_a_rate_limited_mutation_is_sent_once_and_reported_not_sent(client, nxt_server):
    nxt_server.answer(Answer(status=429, headers={"Retry-After": "7"}))
    with pytest.raises(MutationNotSent) as raised:
        client.execute(MUTATION)
    assert len(nxt_server.received) == 1
    assert raised.value.retry_after == 7.0
    assert raised.value.operation_name == "postPayment"
    assert not isinstance(raised.value, TransientError)


def test_a_mutation_over_the_in_flight_limit_is_reported_not_sent(client, nxt_server):
    refused = {
        "errors": [
            {
                "message": "Company 1 has 60 requests in progress. Limit is 60.",
                "extensions": {"code": "OUTSTANDING_LIMIT_EXCEEDED", "limit": 60},
            }
        ]
    }
    nxt_server.answer(Answer(body=json.dumps(refused).encode()))
    with pytest.raises(MutationNotSent) as raised:
        client.execute(MUTATION)
    assert len(nxt_server.received) == 1
    assert raised.value.retry_after == 1.0


def test_a_mutation_that_cannot_connect_is_reported_not_sent(settings, fast_client_retries):
    settings.OUTBOUND_HTTP_TIMEOUT = TIMEOUT
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = BusinessNxtClient(
        token_provider=lambda force_refresh: "token",
        limiter_key="test-transport",
        graphql_url=f"http://127.0.0.1:{port}/api/graphql",
    )
    with client, pytest.raises(MutationNotSent):
        client.execute(MUTATION)
    assert client.requests_sent == 1


def test_a_mutation_failing_validation_is_a_plain_error_with_every_message(client, nxt_server):
    invalid = {
        "errors": [
            {
                "message": "Cannot query field 'affectedRowz'. Did you mean 'affectedRows'?",
                "extensions": {"code": "FIELDS_ON_CORRECT_TYPE"},
            },
            {"message": "Unknown argument 'valuez'.", "extensions": {"code": "KNOWN_ARGUMENT"}},
        ]
    }
    nxt_server.answer(Answer(body=json.dumps(invalid).encode()))
    with pytest.raises(BusinessNxtError) as raised:
        client.execute(MUTATION)
    assert type(raised.value) is BusinessNxtError
    assert raised.value.code == "FIELDS_ON_CORRECT_TYPE"
    assert "affectedRowz" in str(raised.value)
    assert "valuez" in str(raised.value)
    assert len(nxt_server.received) == 1


def test_money_goes_out_as_exact_json_numbers(client, nxt_server):
    amounts = {
        "fee": Decimal("38.00"),
        "big": Decimal("12345678901234.57"),
        "neg": Decimal("-0.10"),
    }
    client.execute_mutation(MUTATION, {**amounts, "text": '"38.00"'})
    body = nxt_server.raw[0]
    assert b'"fee": 38.00' in body
    assert json.loads(body, parse_float=Decimal)["variables"] == {**amounts, "text": '"38.00"'}


NGINX_401 = b"<html><head><title>401 Authorization Required</title></head></html>"


def test_a_mutation_refused_at_the_token_check_goes_again_once_with_a_new_token(
    client, nxt_server, forced_refreshes
):
    nxt_server.answer(Answer(status=401, body=NGINX_401), Answer())
    assert client.execute(MUTATION) == OK["data"]
    assert len(nxt_server.received) == 2
    assert forced_refreshes == [False, True]


def test_a_mutation_refused_twice_at_the_token_check_is_not_authorized(client, nxt_server):
    nxt_server.answer(Answer(status=401, body=NGINX_401))
    with pytest.raises(NotAuthorized):
        client.execute(MUTATION)
    assert len(nxt_server.received) == 2


def test_a_401_that_carries_a_result_is_not_sent_again(client, nxt_server):
    nxt_server.answer(Answer(status=401))  # a GraphQL body: the gateway did not send this
    with pytest.raises(OutcomeUnknown):
        client.execute(MUTATION)
    assert len(nxt_server.received) == 1
