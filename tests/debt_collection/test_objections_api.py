"""Objections and holds through the API: create on a case or an invoice, withdraw, pause
and resume, with the roles and tenancy of the pages; an objection that came in through the
API tells the members who work cases."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from debt_collection.models import Case, CaseState, Objection
from kredin.clock import today_in_norway
from kredin.models import Notification, NotificationKind
from tests.debt_collection.conftest import invoice
from tests.debt_collection.test_api import OPENAPI_JSON, assert_error_body, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_id(api_client_for, bob, collections) -> int:
    item = invoice(due=today_in_norway() - timedelta(days=20), amount="4000.00")
    response = api_client_for(bob).post(url("case-list"), {"open_items": [item.pk]}, format="json")
    assert response.status_code == 201, response.content
    return response.json()[0]["id"]


def test_an_objection_on_a_case_stops_it_and_tells_the_members_who_work_cases(
    api_client_for, bob, alice, erin, case_id
):
    client = api_client_for(bob)

    created = client.post(
        url("case-objection-list", case_id=case_id),
        {"text": "Arbeidet er ikke utført", "received_via": "email"},
        format="json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["case"] == case_id and body["open_item"] is None and body["stands"] is True
    assert body["received_via"] == "email" and body["raised_on"] == today_in_norway().isoformat()
    assert body["rule"] == "any_objection"
    assert body["legal_basis"] == "inkassoloven § 17 annet ledd"
    assert body["registered_by"] == "bob@example.no"
    detail = client.get(url("case-detail", case_id=case_id)).json()
    assert detail["state"] == "objected"
    assert any("protesterte" in reason for row in detail["next"] for reason in row["reasons"])
    told = Notification.objects.filter(kind=NotificationKind.OBJECTION_RECEIVED)
    assert set(told.values_list("user__email", flat=True)) == {"alice@example.no", "bob@example.no"}
    case = Case.objects.get(pk=case_id)
    assert told.first().params == {"case": case.number, "debtor": "Bergen Bygg AS", "via": "email"}
    listed = client.get(url("case-objection-list", case_id=case_id)).json()
    assert [o["id"] for o in listed] == [body["id"]]


def test_an_objection_on_an_invoice_in_no_case_and_its_withdrawal(api_client_for, bob, collections):
    item = invoice(due=today_in_norway() - timedelta(days=20), amount="2500.00")
    client = api_client_for(bob)

    created = client.post(url("objection-list"), {"open_item": item.pk, "text": "Feil"})
    assert created.status_code == 201, created.content
    objection_id = created.json()["id"]
    assert created.json()["case"] is None and created.json()["received_via"] == "api"
    refused = client.post(url("case-list"), {"open_items": [item.pk]}, format="json")
    assert "innsigelse" in assert_error_body(refused, 400, "case_start_refused")["message"]
    standing = client.get(url("objection-list"), {"standing": "true"}).json()["results"]
    assert [o["id"] for o in standing] == [objection_id]

    withdrawn = client.post(url("objection-withdraw", objection_id=objection_id), {"note": "Ok"})

    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["stands"] is False and withdrawn.json()["withdrawal_note"] == "Ok"
    assert client.get(url("objection-list"), {"standing": "true"}).json()["results"] == []
    assert (
        client.post(url("case-list"), {"open_items": [item.pk]}, format="json").status_code == 201
    )
    again = client.post(url("objection-withdraw", objection_id=objection_id), {"note": "Ok"})
    assert_error_body(again, 409, "objection_refused")


def test_withdrawing_through_the_api_returns_the_case_to_active(api_client_for, bob, case_id):
    client = api_client_for(bob)
    objection_id = client.post(
        url("case-objection-list", case_id=case_id), {"text": "Uenig"}
    ).json()["id"]

    assert_error_body(
        client.post(url("objection-withdraw", objection_id=objection_id), {}), 400, "invalid"
    )
    client.post(url("objection-withdraw", objection_id=objection_id), {"note": "Avklart"})

    assert client.get(url("case-detail", case_id=case_id)).json()["state"] == "active"
    assert client.get(url("objection-detail", objection_id=objection_id)).json()["stands"] is False


def test_holds_through_the_api_pause_with_a_date_and_resume(api_client_for, bob, case_id):
    client = api_client_for(bob)
    until = (today_in_norway() + timedelta(days=30)).isoformat()

    assert_error_body(client.post(url("case-pause", case_id=case_id), {}), 400, "invalid")
    paused = client.post(
        url("case-pause", case_id=case_id), {"note": "Betalingsavtale", "until": until}
    )
    assert paused.status_code == 200 and paused.json()["paused_until"] == until
    resumed = client.post(url("case-resume", case_id=case_id))
    assert resumed.status_code == 200 and resumed.json()["state"] == "active"


def test_an_objection_on_a_closed_case_is_refused(api_client_for, bob, case_id):
    client = api_client_for(bob)
    client.post(url("case-close", case_id=case_id), {"note": "Betalt direkte"})

    refused = client.post(url("case-objection-list", case_id=case_id), {"text": "Uenig"})

    assert "avsluttet" in assert_error_body(refused, 409, "objection_refused")["message"]
    assert not Objection.objects.exists()


def test_a_read_only_member_cannot_register_or_withdraw(api_client_for, bob, erin, case_id):
    reader = api_client_for(erin)
    assert_error_body(
        reader.post(url("case-objection-list", case_id=case_id), {"text": "x"}),
        403,
        "permission_denied",
    )
    objection_id = (
        api_client_for(bob)
        .post(url("case-objection-list", case_id=case_id), {"text": "Uenig"})
        .json()["id"]
    )

    assert reader.get(url("objection-detail", objection_id=objection_id)).status_code == 200
    assert_error_body(
        reader.post(url("objection-withdraw", objection_id=objection_id), {"note": "x"}),
        403,
        "permission_denied",
    )
    assert Case.objects.get(pk=case_id).state == CaseState.OBJECTED


def test_another_organisation_gets_404(api_client_for, bob, charlie, case_id):
    objection_id = (
        api_client_for(bob)
        .post(url("case-objection-list", case_id=case_id), {"text": "Uenig"})
        .json()["id"]
    )
    outsider = api_client_for(charlie)

    for name, kwargs in (
        ("objection-detail", {"objection_id": objection_id}),
        ("case-objection-list", {"case_id": case_id}),
    ):
        assert_error_body(outsider.get(url(name, "charlie-bygg", **kwargs)), 404, "not_found")
    for name, kwargs in (
        ("objection-withdraw", {"objection_id": objection_id}),
        ("case-objection-list", {"case_id": case_id}),
    ):
        assert_error_body(
            outsider.post(url(name, "charlie-bygg", **kwargs), {"note": "x", "text": "x"}),
            404,
            "not_found",
        )
    assert Objection.objects.get().stands


def test_the_schema_lists_the_objection_paths(client, alice):
    client.force_login(alice)

    paths = json.loads(client.get(reverse("api-schema"), HTTP_ACCEPT=OPENAPI_JSON).content)["paths"]

    prefix = "/api/v1/orgs/{org_slug}/"
    expected = {
        "cases/{case_id}/objections/": {
            "get": "cases_objections_list",
            "post": "cases_objections_create",
        },
        "objections/": {"get": "objections_list", "post": "objections_create"},
        "objections/{objection_id}/": {"get": "objections_retrieve"},
        "objections/{objection_id}/withdraw/": {"post": "objections_withdraw"},
    }
    for path, operations in expected.items():
        for method, operation_id in operations.items():
            assert paths[prefix + path][method]["operationId"] == operation_id
    assert "409" in paths[prefix + "objections/{objection_id}/withdraw/"]["post"]["responses"]
