"""The case pages as a person uses them: start from the reskontro, act on a case, the list,
the letter, the preview."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from debt_collection.models import Case, CaseState, Document
from kredin.clock import today_in_norway
from kredin.tenancy import organization_scope
from tests.debt_collection.conftest import invoice
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):
    return reverse(f"collections:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def overdue(collections):
    today = today_in_norway()
    first = invoice(due=today - timedelta(days=20), amount="4000.00")
    second = invoice(customer=first.customer, due=today - timedelta(days=10), amount="1500.00")
    other = invoice(
        customer=CustomerFactory(name="Voss Varme AS"),
        due=today - timedelta(days=25),
        amount="900.00",
    )
    return first, second, other


def _start(client, org, *items):
    return client.post(_url("case-start", org), {"items": [item.pk for item in items]})


def test_start_sak_makes_one_case_per_debtor_and_opens_the_single_one(
    client_for, bob, collections, overdue
):
    first, second, _other = overdue

    response = _start(client_for(bob), collections, first, second)

    case = Case.objects.get()
    assert response.url == _url("case-detail", collections, case_id=case.pk)
    assert set(case.case_items.values_list("open_item_id", flat=True)) == {first.pk, second.pk}
    page = client_for(bob).get(response.url).content.decode()
    assert "Kravet" in page and "5\xa0500,00" in page
    assert "Neste steg" in page


def test_several_debtors_start_several_cases_in_one_action(client_for, bob, collections, overdue):
    response = _start(client_for(bob), collections, *overdue)

    assert Case.objects.count() == 2
    assert response.url == _url("case-list", collections)


def test_an_item_already_in_a_case_cannot_be_picked_again_and_the_page_says_where(
    client_for, bob, collections, overdue
):
    client = client_for(bob)
    _start(client, collections, overdue[0])

    response = client.post(_url("case-start", collections), {"items": [overdue[0].pk]}, follow=True)

    assert Case.objects.count() == 1
    assert "allerede i en sak" in response.content.decode()
    reskontro = client.get(reverse("ledger:reskontro", kwargs={"org_slug": collections.slug}))
    case = Case.objects.get()
    assert f">S-{case.number}</a>" in reskontro.content.decode()


def test_the_reskontro_filters_on_in_case(client_for, bob, collections, overdue):
    client = client_for(bob)
    _start(client, collections, overdue[0])
    url = reverse("ledger:reskontro", kwargs={"org_slug": collections.slug})

    in_case = client.get(url, {"in_case": "yes"}).content.decode()
    not_in_case = client.get(url, {"in_case": "no"}).content.decode()

    assert f'data-item-id="{overdue[0].pk}"' in in_case
    assert f'data-item-id="{overdue[1].pk}"' not in in_case
    assert f'data-item-id="{overdue[0].pk}"' not in not_in_case
    assert f'data-item-id="{overdue[1].pk}"' in not_in_case


def test_read_only_members_see_no_start_button_and_cannot_start(
    client_for, erin, collections, overdue
):
    client = client_for(erin)
    page = client.get(reverse("ledger:reskontro", kwargs={"org_slug": collections.slug}))

    assert "Start sak" not in page.content.decode()
    assert _start(client, collections, overdue[0]).status_code == 403
    assert not Case.objects.exists()


def test_pause_resume_close_and_reopen(client_for, bob, collections, overdue):
    client = client_for(bob)
    _start(client, collections, overdue[0])
    case = Case.objects.get()
    action = _url("case-action", collections, case_id=case.pk)
    until = (today_in_norway() + timedelta(days=10)).isoformat()

    client.post(action, {"action": "pause", "note": "Avtalt nedbetaling", "until": until})
    case.refresh_from_db()
    assert (case.state, case.pause_note, case.paused_until.isoformat()) == (
        CaseState.PAUSED,
        "Avtalt nedbetaling",
        until,
    )
    client.post(action, {"action": "resume"})
    case.refresh_from_db()
    assert case.state == CaseState.ACTIVE
    client.post(action, {"action": "close", "note": "Kunden har klaget"})
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.close_reason == "by_user"
    client.post(action, {"action": "reopen"})
    case.refresh_from_db()
    assert case.state == CaseState.ACTIVE
    timeline = client.get(_url("case-detail", collections, case_id=case.pk)).content.decode()
    assert "Avtalt nedbetaling" in timeline and "Kunden har klaget" in timeline


def test_actions_answer_htmx_with_the_case_body(client_for, bob, collections, overdue):
    client = client_for(bob)
    _start(client, collections, overdue[0])
    case = Case.objects.get()

    response = client.post(
        _url("case-action", collections, case_id=case.pk),
        {"action": "pause", "note": "Venter på svar"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Fortsett saken" in response.content.decode()


def test_the_list_counts_per_step_filters_and_exports(client_for, bob, collections, overdue):
    client = client_for(bob)
    _start(client, collections, *overdue)

    page = client.get(_url("case-list", collections)).content.decode()
    filtered = client.get(_url("case-list", collections), {"q": overdue[2].customer.name})
    export = client.get(_url("case-export", collections))

    assert "2 åpne saker" in page
    assert filtered.content.decode().count("data-case-id=") == 1
    body = b"".join(export.streaming_content).decode()
    assert body.startswith("\ufeffSak;Skyldner;Status") and body.count("\r\n") == 3


def test_the_letter_shows_its_stored_content(client_for, bob, collections, overdue):
    _start(client_for(bob), collections, overdue[0])
    with organization_scope(collections):
        document = Document.objects.get()

    html = (
        client_for(bob)
        .get(
            _url("document-detail", collections, case_id=document.case_id, document_id=document.pk)
        )
        .content.decode()
    )

    assert document.content["title"] in html
    assert overdue[0].invoice_no in html and "15030012345" in html


def test_the_preview_lists_what_the_autopilot_would_do(client_for, bob, collections, overdue):
    html = client_for(bob).get(_url("preview", collections)).content.decode()

    assert "Start sak og send" in html
    assert overdue[0].customer.name in html
    assert not Case.objects.exists()  # looking changes nothing


def test_read_only_members_see_a_case_but_cannot_act_on_it(
    client_for, bob, erin, collections, overdue
):
    _start(client_for(bob), collections, overdue[0])
    case = Case.objects.get()
    reader = client_for(erin)

    page = reader.get(_url("case-detail", collections, case_id=case.pk))
    refused = reader.post(
        _url("case-action", collections, case_id=case.pk), {"action": "close", "note": "x"}
    )

    assert page.status_code == 200 and "Handlinger" not in page.content.decode()
    assert refused.status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.ACTIVE


def test_the_preview_page_lists_every_action_the_dry_run_prints_for_today(
    client_for, bob, collections, overdue
):
    from debt_collection.autopilot import plan_day

    html = client_for(bob).get(_url("preview", collections)).content.decode()

    with organization_scope(collections):
        plan = plan_day(on=today_in_norway())
    assert plan.of_kind("start_case")
    for action in plan.actions:
        if action.kind != "wait":
            assert action.describe("nb") in html


def test_the_suggest_mode_proposes_and_one_click_carries_out(client_for, bob, collections, overdue):
    from debt_collection.autopilot import run_day
    from debt_collection.models import CollectionSettings, Proposal

    with organization_scope(collections):
        CollectionSettings.objects.update(autopilot="suggest")
        run_day(on=today_in_norway())
        run_day(on=today_in_norway())  # the same day again proposes nothing new
        proposals = Proposal.objects.count()
    assert proposals == 2 and not Case.objects.exists()

    client_for(bob).post(_url("proposals", collections), {"decision": "approve"})

    assert Case.objects.count() == 2
    with organization_scope(collections):
        assert set(Proposal.objects.values_list("status", flat=True)) == {"approved"}
