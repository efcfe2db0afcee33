"""Limitation on the pages: the case page shows the date and records the debtor's
acknowledgment; ticked reskontro invoices get one, which lets a time-barred invoice into
a new case; a read-only member cannot record one, another organisation gets 404."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from debt_collection.models import Acknowledgment, Case, TimelineEvent
from tests.debt_collection.conftest import invoice

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


def _url(name: str, organization, **kwargs) -> str:
    return reverse(f"collections:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def _case_on(collections, client, *, due: date) -> Case:
    item = invoice(due=due)
    with time_machine.travel(TODAY):
        client.post(_url("case-start", collections), {"items": [item.pk]})
    return Case.objects.get()


def test_the_case_page_shows_the_limitation_date_and_records_an_acknowledgment(
    collections, bob, client_for
):
    client = client_for(bob)
    case = _case_on(collections, client, due=date(2025, 3, 10))
    page_url = _url("case-detail", collections, case_id=case.pk)
    with time_machine.travel(TODAY):
        before = client.get(page_url).content.decode()
        response = client.post(
            _url("case-acknowledgment-create", collections, case_id=case.pk),
            {"acknowledged_on": "2025-05-30", "how": "email", "note": "Bekreftet i e-post"},
        )
        after = client.get(page_url).content.decode()

    assert 'data-limitation-date="2028-03-10"' in before
    assert "Kravet foreldes etter 10.3.2028" in before
    assert response.status_code == 302
    acknowledgment = Acknowledgment.objects.get()
    assert (acknowledgment.case_id, acknowledgment.how) == (case.pk, "email")
    assert TimelineEvent.objects.filter(case=case, kind="acknowledged").exists()
    # A new three-year period from the acknowledgment.
    assert 'data-limitation-date="2028-05-30"' in after


def test_an_acknowledgment_from_the_reskontro_lets_a_time_barred_invoice_into_a_case(
    collections, bob, client_for
):
    client = client_for(bob)
    item = invoice(due=date(2022, 1, 10))  # time-barred after 10 January 2025
    with time_machine.travel(TODAY):
        refused = client.post(_url("case-start", collections), {"items": [item.pk]}, follow=True)
        form = client.post(_url("acknowledgment-items", collections), {"items": [item.pk]})
        done = client.post(
            _url("acknowledgment-items", collections),
            {"items": [item.pk], "acknowledged_on": "2025-05-28", "how": "written", "note": ""},
        )
        started = client.post(_url("case-start", collections), {"items": [item.pk]})

    assert "foreldet" in refused.content.decode()
    assert form.status_code == 200 and "Registrer erkjennelse" in form.content.decode()
    assert done.status_code == 302
    assert Acknowledgment.objects.get().open_item_id == item.pk
    assert started.status_code == 302
    assert Case.objects.filter(case_items__open_item=item).exists()


def test_a_future_acknowledgment_is_refused_with_a_message(collections, bob, client_for):
    client = client_for(bob)
    item = invoice(due=date(2025, 3, 10))
    with time_machine.travel(TODAY):
        response = client.post(
            _url("acknowledgment-items", collections),
            {"items": [item.pk], "acknowledged_on": "2025-07-01", "how": "phone"},
        )
    assert response.status_code == 200
    assert "kan ikke være fram i tid" in response.content.decode()
    assert not Acknowledgment.objects.exists()


def test_a_read_only_member_cannot_record_and_another_organisation_gets_404(
    collections, bob, erin, charlie, client_for
):
    case = _case_on(collections, client_for(bob), due=date(2025, 3, 10))
    data = {"acknowledged_on": "2025-05-30", "how": "email"}
    create = _url("case-acknowledgment-create", collections, case_id=case.pk)
    with time_machine.travel(TODAY):
        page = client_for(erin).get(_url("case-detail", collections, case_id=case.pk))
        assert "Registrer erkjennelse" not in page.content.decode()
        assert client_for(erin).post(create, data).status_code == 403
        assert client_for(charlie).post(create, data).status_code == 404
        items = {"items": [case.case_items.get().open_item_id], **data}
        assert (
            client_for(erin).post(_url("acknowledgment-items", collections), items).status_code
            == 403
        )
        assert (
            client_for(charlie).post(_url("acknowledgment-items", collections), items).status_code
            == 404
        )
    assert not Acknowledgment.objects.exists()
