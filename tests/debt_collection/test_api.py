"""Collections API: cases (list, start, one case, its actions), letters and the preview,
with the same roles and tenancy as the pages."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from debt_collection.models import Case, CaseState, Document, Proposal, TimelineEvent
from debt_collection.selectors.cases import case_view
from kredin.clock import today_in_norway
from kredin.models import Membership
from kredin.permissions import Role
from kredin.services import api_token_create
from kredin.tenancy import organization_scope
from tests.debt_collection.conftest import invoice
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

OPENAPI_JSON = "application/vnd.oai.openapi+json"


def url(name: str, org_slug: str = "alice-ror", **kwargs) -> str:
    return reverse(f"collections-api:{name}", kwargs={"org_slug": org_slug, **kwargs})


def assert_error_body(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def money(value) -> str:
    return format(value, ".2f")


@pytest.fixture
def overdue(collections):
    """Two invoices of Bergen Bygg and one of Voss Varme, all overdue."""
    today = today_in_norway()
    first = invoice(due=today - timedelta(days=20), amount="4000.00")
    second = invoice(customer=first.customer, due=today - timedelta(days=10), amount="1500.00")
    other = invoice(
        customer=CustomerFactory(name="Voss Varme AS", organization_number="974760673"),
        due=today - timedelta(days=25),
        amount="900.00",
    )
    return first, second, other


def start(client, *items) -> list[dict]:
    response = client.post(
        url("case-list"), {"open_items": [item.pk for item in items]}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def bergen_case(api_client_for, bob, overdue) -> dict:
    [body] = start(api_client_for(bob), overdue[0], overdue[1])
    return body


# --- starting ------------------------------------------------------------------------------


def test_starting_from_open_items_makes_one_case_per_debtor(api_client_for, bob, overdue):
    first, second, other = overdue

    body = start(api_client_for(bob), *overdue)

    assert len(body) == 2 == Case.objects.count()
    by_name = {case["customer"]["name"]: case for case in body}
    bergen, voss = by_name["Bergen Bygg AS"], by_name["Voss Varme AS"]
    assert {item["open_item"] for item in bergen["items"]} == {first.pk, second.pk}
    assert [item["open_item"] for item in voss["items"]] == [other.pk]
    assert voss["customer"] == {
        "id": other.customer_id,
        "name": "Voss Varme AS",
        "organization_number": "974760673",
    }
    assert bergen["claim"]["principal"] == "5500.00"
    assert bergen["state"] == "active"
    assert {case["number"] for case in body} == set(Case.objects.values_list("number", flat=True))


def test_an_item_already_in_an_open_case_is_refused_naming_the_case(
    api_client_for, bob, overdue, bergen_case
):
    response = api_client_for(bob).post(
        url("case-list"), {"open_items": [overdue[1].pk, overdue[2].pk]}, format="json"
    )

    error = assert_error_body(response, 400, "case_start_refused")
    assert f"S-{bergen_case['number']}" in error["message"]
    assert overdue[1].invoice_no in error["message"]
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "payload", [{}, {"open_items": []}, {"open_items": "12"}, {"open_items": ["x"]}]
)
def test_starting_needs_a_list_of_item_ids(api_client_for, bob, overdue, payload):
    response = api_client_for(bob).post(url("case-list"), payload, format="json")

    assert_error_body(response, 400, "invalid")
    assert not Case.objects.exists()


def test_starting_on_no_open_invoice_is_refused(api_client_for, bob, overdue):
    response = api_client_for(bob).post(url("case-list"), {"open_items": [999999]}, format="json")

    assert_error_body(response, 400, "case_start_refused")


# --- the list ------------------------------------------------------------------------------


def test_the_list_filters_like_the_page(api_client_for, bob, overdue):
    client = api_client_for(bob)
    cases = {case["customer"]["name"]: case for case in start(client, *overdue)}
    bergen, voss = cases["Bergen Bygg AS"], cases["Voss Varme AS"]
    client.post(url("case-close", case_id=voss["id"]), {"note": "Feil kunde"}, format="json")

    def numbers(**params) -> list[int]:
        response = client.get(url("case-list"), params)
        assert response.status_code == 200, response.content
        return [row["number"] for row in response.json()["results"]]

    assert numbers() == [bergen["number"]]  # open cases by default
    assert numbers(state="all") == sorted([bergen["number"], voss["number"]], reverse=True)
    assert numbers(state="closed") == [voss["number"]]
    assert numbers(state="all", q="voss") == [voss["number"]]
    assert numbers(state="all", q=f"S-{bergen['number']}") == [bergen["number"]]
    assert numbers(state="all", q=overdue[1].invoice_no) == [bergen["number"]]
    assert numbers(amount_min="5000") == [bergen["number"]]
    assert numbers(state="all", amount_max="1000") == [voss["number"]]
    assert numbers(step=bergen["current_step"]) == [bergen["number"]]  # the first letter went
    assert numbers(step="reminder") == []
    with organization_scope(overdue[0].organization_id):
        Case.objects.filter(pk=bergen["id"]).update(next_on=today_in_norway())
    assert numbers(next_by=today_in_norway().isoformat()) == [bergen["number"]]
    assert numbers(next_by=(today_in_norway() - timedelta(days=1)).isoformat()) == []


def test_the_list_is_paginated_with_money_as_strings(api_client_for, bob, overdue):
    client = api_client_for(bob)
    start(client, *overdue)

    body = client.get(url("case-list"), {"page_size": 1}).json()

    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"]
    row = body["results"][0]
    assert set(row) == {
        "id",
        "number",
        "state",
        "customer",
        "current_step",
        "next_step",
        "next_on",
        "remaining",
        "started_on",
        "closed_on",
    }
    assert re.fullmatch(r"\d+\.\d{2}", row["remaining"]), row["remaining"]
    assert row["started_on"] == today_in_norway().isoformat()


@pytest.mark.parametrize(
    "params", [{"state": "nope"}, {"amount_min": "mye"}, {"next_by": "31.12.2024"}]
)
def test_a_bad_filter_answers_400(api_client_for, bob, collections, params):
    assert_error_body(api_client_for(bob).get(url("case-list"), params), 400, "invalid")


# --- one case ------------------------------------------------------------------------------


def test_the_detail_shows_what_the_case_page_shows(api_client_for, erin, bergen_case):
    body = api_client_for(erin).get(url("case-detail", case_id=bergen_case["id"])).json()

    case = Case.objects.select_related("customer").get(pk=bergen_case["id"])
    view = case_view(case=case, today=today_in_norway())
    claim = view.claim
    assert body["claim"] == {
        "principal": money(claim.principal),
        "fees": money(claim.fees),
        "compensation": money(claim.compensation),
        "court_fees": money(claim.court_fees),
        "interest_booked": money(claim.interest_booked),
        "interest_since": money(claim.interest_since),
        "paid": money(claim.paid),
        "written_off": money(claim.written_off),
        "remaining": money(claim.to_date),
    }
    assert body["number"] == case.number and body["state"] == case.state
    assert body["current_step"] == case.current_step
    assert body["customer"]["id"] == case.customer_id
    assert [item["open_item"] for item in body["items"]] == [
        link.open_item_id for link in view.items
    ]
    assert [event["kind"] for event in body["timeline"]] == [e.kind for e in view.timeline]
    assert body["timeline"][0]["kind"] == "case_started"
    assert body["timeline"][0]["actor"] == "bob@example.no"
    assert all(event["text"] for event in body["timeline"])
    assert [doc["id"] for doc in body["documents"]] == [doc.pk for doc in view.documents]
    assert body["next"], "an open case says what comes next"
    for action in body["next"]:
        assert set(action) == {"kind", "step", "on", "text", "reasons"}
        assert all(isinstance(reason, str) for reason in action["reasons"])


def test_a_case_of_another_organisation_id_is_not_found(api_client_for, bob, collections):
    assert_error_body(api_client_for(bob).get(url("case-detail", case_id=999999)), 404, "not_found")


# --- actions -------------------------------------------------------------------------------


def test_pause_resume_close_and_reopen(api_client_for, bob, bergen_case):
    client = api_client_for(bob)
    case_id = bergen_case["id"]
    until = (today_in_norway() + timedelta(days=10)).isoformat()

    paused = client.post(
        url("case-pause", case_id=case_id),
        {"note": "Avtalt nedbetaling", "until": until},
        format="json",
    )
    assert paused.status_code == 200, paused.content
    assert paused.json()["state"] == "paused"
    assert paused.json()["paused_until"] == until
    assert paused.json()["pause_note"] == "Avtalt nedbetaling"

    resumed = client.post(url("case-resume", case_id=case_id))
    assert resumed.status_code == 200 and resumed.json()["state"] == "active"

    closed = client.post(url("case-close", case_id=case_id), {"note": "Kunden har klaget"})
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed" and closed.json()["close_reason"] == "by_user"
    assert closed.json()["next"] == []

    reopened = client.post(url("case-reopen", case_id=case_id))
    assert reopened.status_code == 200 and reopened.json()["state"] == "active"

    texts = " ".join(event["text"] for event in reopened.json()["timeline"])
    assert "Avtalt nedbetaling" in texts and "Kunden har klaget" in texts
    kinds = [event["kind"] for event in reopened.json()["timeline"]]
    assert kinds[-4:] == ["paused", "resumed", "closed", "reopened"]
    assert Case.objects.get(pk=case_id).state == CaseState.ACTIVE


def test_a_refused_action_answers_409_in_the_error_body(api_client_for, bob, bergen_case):
    client = api_client_for(bob)
    case_id = bergen_case["id"]
    client.post(url("case-close", case_id=case_id), {"note": "Betalt direkte"})

    again = client.post(url("case-close", case_id=case_id), {"note": "En gang til"})
    error = assert_error_body(again, 409, "case_action_refused")
    assert "avsluttet" in error["message"]
    assert_error_body(client.post(url("case-resume", case_id=case_id)), 409, "case_action_refused")
    assert_error_body(
        client.post(url("case-pause", case_id=case_id), {"note": "x"}), 409, "case_action_refused"
    )


def test_pause_and_close_need_a_note(api_client_for, bob, bergen_case):
    client = api_client_for(bob)
    case_id = bergen_case["id"]

    assert_error_body(client.post(url("case-pause", case_id=case_id), {}), 400, "invalid")
    assert_error_body(client.post(url("case-close", case_id=case_id), {}), 400, "invalid")
    past = (today_in_norway() - timedelta(days=1)).isoformat()
    assert_error_body(
        client.post(url("case-pause", case_id=case_id), {"note": "x", "until": past}),
        409,
        "case_action_refused",
    )
    assert Case.objects.get(pk=case_id).state == CaseState.ACTIVE


# --- letters -------------------------------------------------------------------------------


def test_documents_list_and_detail_with_the_stored_content(api_client_for, erin, bergen_case):
    client = api_client_for(erin)
    document = Document.objects.get(case_id=bergen_case["id"])

    listed = client.get(url("case-document-list", case_id=bergen_case["id"]))
    detail = client.get(
        url("case-document-detail", case_id=bergen_case["id"], document_id=document.pk)
    )

    assert listed.status_code == 200
    assert listed.json() == [
        {
            "id": document.pk,
            "step": document.step,
            "status": document.status,
            "planned_for": document.planned_for.isoformat(),
            "deadline": document.deadline.isoformat() if document.deadline else None,
            "created_at": listed.json()[0]["created_at"],
        }
    ]
    assert detail.status_code == 200
    assert detail.json()["case"] == bergen_case["id"]
    assert detail.json()["content"] == json.loads(json.dumps(document.content))
    assert [doc["id"] for doc in bergen_case["documents"]] == [document.pk]


def test_a_document_is_only_found_under_its_own_case(api_client_for, bob, overdue):
    client = api_client_for(bob)
    first, second = start(client, overdue[0], overdue[2])
    document = Document.objects.get(case_id=first["id"])

    response = client.get(
        url("case-document-detail", case_id=second["id"], document_id=document.pk)
    )

    assert_error_body(response, 404, "not_found")


# --- the preview ---------------------------------------------------------------------------


def test_the_preview_shows_a_start_case_action_and_writes_nothing(api_client_for, erin, overdue):
    on = today_in_norway()
    before = TimelineEvent.objects.count(), Document.objects.count(), Proposal.objects.count()

    response = api_client_for(erin).get(url("autopilot-preview"), {"date": on.isoformat()})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["date"] == on.isoformat()
    starts = [a for a in body["actions"] if a["kind"] == "start_case"]
    bergen = next(a for a in starts if a["customer_id"] == overdue[0].customer_id)
    assert set(bergen["item_ids"]) == {overdue[0].pk, overdue[1].pk}
    assert bergen["case_id"] is None and bergen["on"] == on.isoformat()
    assert bergen["step"] and bergen["text"].startswith(("Start sak", "Start a case"))
    assert bergen["customer_name"] == "Bergen Bygg AS"
    assert not Case.objects.exists()
    assert (TimelineEvent.objects.count(), Document.objects.count(), Proposal.objects.count()) == (
        before
    )


def test_the_preview_defaults_to_today_and_plans_another_day(api_client_for, erin, overdue):
    client = api_client_for(erin)
    today = today_in_norway()

    default = client.get(url("autopilot-preview")).json()
    early = client.get(
        url("autopilot-preview"), {"date": (today - timedelta(days=60)).isoformat()}
    ).json()

    assert default["date"] == today.isoformat()
    assert default["horizon"] == (today + timedelta(days=30)).isoformat()
    assert any(a["kind"] == "start_case" for a in default["actions"])
    assert not any(a["kind"] == "start_case" for a in early["actions"])


@pytest.mark.parametrize("value", ["2024-13-01", "i morgen", "01.02.2025"])
def test_the_preview_refuses_a_bad_date(api_client_for, erin, collections, value):
    response = api_client_for(erin).get(url("autopilot-preview"), {"date": value})

    assert_error_body(response, 400, "invalid")


# --- roles, tenancy, keys ------------------------------------------------------------------


def endpoints(case: dict, document_id: int) -> dict[str, list[str]]:
    case_id = case["id"]
    return {
        "get": [
            url("case-list"),
            url("case-detail", case_id=case_id),
            url("case-document-list", case_id=case_id),
            url("case-document-detail", case_id=case_id, document_id=document_id),
            url("autopilot-preview"),
        ],
        "post": [
            url("case-list"),
            url("case-pause", case_id=case_id),
            url("case-resume", case_id=case_id),
            url("case-close", case_id=case_id),
            url("case-reopen", case_id=case_id),
        ],
    }


@pytest.fixture
def document_id(bergen_case) -> int:
    return Document.objects.get(case_id=bergen_case["id"]).pk


def test_read_only_members_read_but_cannot_act(
    api_client_for, erin, overdue, bergen_case, document_id
):
    client = api_client_for(erin)
    routes = endpoints(bergen_case, document_id)

    for path in routes["get"]:
        assert client.get(path).status_code == 200, path
    for path in routes["post"]:
        body = {"open_items": [overdue[2].pk], "note": "Nei"}
        assert_error_body(client.post(path, body, format="json"), 403, "permission_denied")
    assert Case.objects.count() == 1
    assert Case.objects.get().state == CaseState.ACTIVE


def test_members_act(api_client_for, bob, overdue, bergen_case):
    client = api_client_for(bob)
    case_id = bergen_case["id"]

    started = client.post(url("case-list"), {"open_items": [overdue[2].pk]}, format="json")
    paused = client.post(url("case-pause", case_id=case_id), {"note": "Venter"}, format="json")
    resumed = client.post(url("case-resume", case_id=case_id))
    closed = client.post(url("case-close", case_id=case_id), {"note": "Ferdig"}, format="json")
    reopened = client.post(url("case-reopen", case_id=case_id))

    assert started.status_code == 201
    assert [r.status_code for r in (paused, resumed, closed, reopened)] == [200] * 4


def test_charlie_gets_404_everywhere(api_client_for, charlie, overdue, bergen_case, document_id):
    client = api_client_for(charlie)
    routes = endpoints(bergen_case, document_id)
    state = Case.objects.get().state

    for method, paths in routes.items():
        for path in paths:
            response = getattr(client, method)(path, {"note": "x"}, format="json")
            assert_error_body(response, 404, "not_found")
    # Alice's ids under his own organisation are not there either.
    for method, paths in endpoints(bergen_case, document_id).items():
        for path in paths:
            own = path.replace("/alice-ror/", "/charlie-bygg/")
            if own.endswith(("/cases/", "/preview/")):
                continue
            response = getattr(client, method)(own, {"note": "x"}, format="json")
            assert response.status_code == 404, own
    assert Case.objects.get().state == state
    assert client.get(url("case-list", "charlie-bygg")).json()["count"] == 0


def test_anonymous_gets_401(overdue, bergen_case, document_id):
    client = APIClient()
    for method, paths in endpoints(bergen_case, document_id).items():
        for path in paths:
            assert_error_body(getattr(client, method)(path), 401, "not_authenticated")


def test_an_api_key_works_in_its_organisation_only(alice, charlie_org, bergen_case):
    Membership.objects.create(organization=charlie_org, user=alice, role=Role.OWNER)
    _token, key = api_token_create(
        membership=Membership.objects.get(user=alice, organization__slug="alice-ror"), name="ci"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert client.get(url("case-detail", case_id=bergen_case["id"])).status_code == 200
    closed = client.post(url("case-close", case_id=bergen_case["id"]), {"note": "Via API"})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert_error_body(client.get(url("case-list", "charlie-bygg")), 404, "not_found")
    assert_error_body(client.get(url("autopilot-preview", "charlie-bygg")), 404, "not_found")
    assert_error_body(
        client.post(url("case-list", "charlie-bygg"), {"open_items": [1]}, format="json"),
        404,
        "not_found",
    )


# --- the schema ----------------------------------------------------------------------------


def test_the_openapi_schema_lists_every_collections_path(client, alice):
    client.force_login(alice)

    response = client.get(reverse("api-schema"), HTTP_ACCEPT=OPENAPI_JSON)

    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    prefix = "/api/v1/orgs/{org_slug}/"
    expected = {
        "cases/": {"get": "cases_list", "post": "cases_create"},
        "cases/{case_id}/": {"get": "cases_retrieve"},
        "cases/{case_id}/pause/": {"post": "cases_pause"},
        "cases/{case_id}/resume/": {"post": "cases_resume"},
        "cases/{case_id}/close/": {"post": "cases_close"},
        "cases/{case_id}/reopen/": {"post": "cases_reopen"},
        "cases/{case_id}/documents/": {"get": "cases_documents_list"},
        "cases/{case_id}/documents/{document_id}/": {"get": "cases_documents_retrieve"},
        "autopilot/preview/": {"get": "autopilot_preview"},
    }
    for path, operations in expected.items():
        assert prefix + path in paths, path
        for method, operation_id in operations.items():
            assert paths[prefix + path][method]["operationId"] == operation_id
    listed = paths[prefix + "cases/"]["get"]
    names = {parameter["name"] for parameter in listed["parameters"]}
    assert {"state", "step", "q", "amount_min", "amount_max", "next_by", "page"} <= names
    assert "409" in paths[prefix + "cases/{case_id}/close/"]["post"]["responses"]
