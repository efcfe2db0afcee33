"""The Business NXT client's paging against a scripted transport: repeats, order, retries."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest
import requests

from integrations.businessnxt.client import BusinessNxtClient, BusinessNxtError, TransientFailure

ROWS = [
    {
        "voucherJournalNo": 1,
        "auditNo": n,
        "customerNo": 10000 + n % 3,
        "voucherNo": n,
        "voucherDate": 20260101,
        "dueDate": 20260115,
        "invoiceNo": str(n),
        "text": f"Faktura {n}",
        "cid": "",
        "voucherType": 1,
        "amountDomestic": 1234567.89,
        "outstandingAmountDomestic": 1234567.89,
        "changedTimestamp": "2026-01-01 10:00:00.000",
    }
    for n in range(1, 8)
]


def _cursor(position: int) -> str:
    return base64.b64encode(str(position).encode()).decode()


def _page(start: int, size: int = 3, total: int = len(ROWS)) -> dict:
    rows = ROWS[start : start + size]
    return {
        "data": {
            "useCompany": {
                "customerTransaction": {
                    "totalCount": total,
                    "pageInfo": {
                        "hasNextPage": start + size < total,
                        "endCursor": _cursor(start + len(rows)),
                    },
                    "items": rows,
                }
            }
        }
    }


class Response:
    def __init__(self, status: int, body: dict | None = None, headers: dict | None = None):
        self.status_code = status
        self.content = json.dumps(body or {}).encode()
        self.headers = headers or {}


class ScriptedSession(requests.Session):
    """Answers each POST with the next scripted response, or with `serve(after)` when empty."""

    def __init__(self, script=(), serve=None):
        super().__init__()
        self.script = list(script)
        self.serve = serve
        self.afters: list[str | None] = []

    def post(self, url, data=None, headers=None, timeout=None):
        body = json.loads(data)
        self.afters.append(body["variables"].get("after"))
        if self.script:
            item = self.script.pop(0)
            if isinstance(item, Exception):
                raise item
            return item
        after = body["variables"].get("after")
        start = int(base64.b64decode(after)) if after else 0
        return Response(200, self.serve(start))


def _client(session, **kwargs) -> BusinessNxtClient:
    return BusinessNxtClient(
        token_provider=lambda force: "token",
        limiter_key="test",
        graphql_url="http://nxt.test/",
        session=session,
        retry_wait=0.001,
        retry_wait_max=0.002,
        timeout=1,
        **kwargs,
    )


def _audit_nos(client) -> list[int]:
    return [
        int(e.external_id.rsplit(":", 1)[1])
        for page in client.transactions(company_no=1, page_size=3)
        for e in page.items
    ]


@pytest.mark.parametrize("prefetch", [True, False])
def test_pages_follow_the_cursor_to_the_end(prefetch):
    session = ScriptedSession(serve=_page)
    client = _client(session, prefetch=prefetch)
    assert _audit_nos(client) == list(range(1, 8))
    assert session.afters == [None, _cursor(3), _cursor(6)]


@pytest.mark.parametrize("prefetch", [True, False])
def test_a_page_served_twice_is_fetched_again(prefetch):
    served = {"repeat": True}

    def serve(start):
        if start == 3 and served.pop("repeat", False):
            return _page(0)  # the previous page again
        return _page(start)

    client = _client(ScriptedSession(serve=serve), prefetch=prefetch)
    assert _audit_nos(client) == list(range(1, 8))
    assert client.pages_refetched == 1


def test_a_page_from_the_wrong_position_is_fetched_again():
    served = {"wrong": True}

    def serve(start):
        if start == 3 and served.pop("wrong", False):
            return _page(4)  # skips a row: out of order
        return _page(start)

    client = _client(ScriptedSession(serve=serve), prefetch=False)
    assert _audit_nos(client) == list(range(1, 8))
    assert client.pages_refetched == 1


def test_a_page_that_keeps_repeating_gives_up():
    client = _client(ScriptedSession(serve=lambda start: _page(0)), prefetch=False, max_attempts=3)
    with pytest.raises(TransientFailure):
        _audit_nos(client)


def test_transient_answers_are_retried_and_money_stays_decimal():
    script = [
        Response(429, headers={"Retry-After": "0"}),
        Response(502),
        requests.Timeout("slow"),
        Response(200, _page(0, size=7)),
    ]
    client = _client(ScriptedSession(script=script), prefetch=False)
    [page] = list(client.transactions(company_no=1, page_size=7))
    assert {e.amount for e in page.items} == {Decimal("1234567.89")}
    assert client.requests_sent == 4


def test_retries_stop_after_max_attempts():
    client = _client(ScriptedSession(script=[Response(500)] * 5), prefetch=False, max_attempts=3)
    with pytest.raises(TransientFailure):
        list(client.transactions(company_no=1))
    assert client.requests_sent == 3


def test_graphql_errors_are_not_retried():
    body = {"errors": [{"message": "Cannot query field", "extensions": {"code": "X"}}]}
    client = _client(ScriptedSession(script=[Response(200, body)]), prefetch=False)
    with pytest.raises(BusinessNxtError) as raised:
        list(client.transactions(company_no=1))
    assert raised.value.code == "X"
    assert client.requests_sent == 1


def test_later_pages_do_not_ask_for_the_total_count():
    queries = []

    class Recording(ScriptedSession):
        def post(self, url, data=None, **kwargs):
            queries.append(json.loads(data)["query"])
            return super().post(url, data=data, **kwargs)

    client = _client(Recording(serve=_page), prefetch=False)
    _audit_nos(client)
    assert "totalCount" in queries[0]
    assert all("totalCount" not in q for q in queries[1:])


def test_prefetching_thread_keeps_the_organisation_scope(monkeypatch):
    from integrations.businessnxt import transport
    from kredin.tenancy import current_organization_id, organization_scope

    monkeypatch.setattr(transport, "TOKEN_REUSE_SECONDS", 0)
    seen = []

    def token(force: bool) -> str:
        seen.append(current_organization_id())  # raises outside a scope
        return "token"

    client = BusinessNxtClient(
        token_provider=token,
        limiter_key="test",
        graphql_url="http://nxt.test/",
        session=ScriptedSession(serve=_page),
        prefetch=True,
        timeout=1,
    )
    with organization_scope(42):
        assert _audit_nos(client) == list(range(1, 8))
    assert seen == [42, 42, 42]
