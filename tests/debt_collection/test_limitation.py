"""Limitation on a moving clock: time-barred claims stop, owners are warned in time."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from debt_collection.autopilot import run_day
from debt_collection.legal.services import legal_grounds
from debt_collection.models import (
    Acknowledgment,
    Case,
    CaseState,
    ClaimEntry,
    Document,
    TimelineEvent,
)
from debt_collection.rules import StepCode
from debt_collection.services.acknowledgments import acknowledgment_record
from debt_collection.services.cases import CaseError, cases_start
from debt_collection.timeline import timeline_text
from kredin.models import Membership, Notification, NotificationKind
from tests.debt_collection.conftest import invoice, pay
from tests.debt_collection.legal_helpers import walk_to_legal
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def run(day: date):
    with time_machine.travel(day):
        plan, _applied = run_day(on=day)
    return plan


def warnings() -> list[str]:
    return sorted(
        set(
            Notification.objects.filter(kind=NotificationKind.LIMITATION_WARNING).values_list(
                "key", flat=True
            )
        )
    )


def test_a_claim_crossing_its_limitation_date_is_paused_and_no_longer_dunned(collections):
    invoice(due=date(2023, 1, 10))  # time-barred after 10 January 2026
    run(date(2025, 12, 1))
    case = Case.objects.get()
    assert Document.objects.filter(case=case).count() == 1
    run(date(2026, 1, 10))  # the last day: still alive
    case.refresh_from_db()
    assert case.state == CaseState.ACTIVE
    letters, entries = Document.objects.count(), ClaimEntry.objects.count()

    run(date(2026, 1, 11))
    case.refresh_from_db()
    assert (case.state, case.pause_reason) == (CaseState.PAUSED, "time_barred")
    event = TimelineEvent.objects.get(case=case, kind="paused")
    assert event.params["limitation_date"] == "2026-01-10"
    with time_machine.travel(date(2026, 1, 11)):
        assert "foreldet" in timeline_text(event)
    for day in (date(2026, 1, 25), date(2026, 3, 1)):
        run(day)
    case.refresh_from_db()
    assert (case.state, case.pause_reason) == (CaseState.PAUSED, "time_barred")
    assert (Document.objects.count(), ClaimEntry.objects.count()) == (letters, entries)
    assert TimelineEvent.objects.filter(case=case, kind="paused").count() == 1


def test_owners_are_warned_six_and_three_months_ahead_once_each(collections, alice):
    invoice(due=date(2023, 9, 10))  # time-barred after 10 September 2026
    run(date(2026, 1, 2))
    case = Case.objects.get()
    assert warnings() == []
    run(date(2026, 3, 9))
    assert warnings() == []
    for day in (date(2026, 3, 10), date(2026, 3, 11), date(2026, 4, 2)):
        run(day)
    assert warnings() == [f"limitation:{case.pk}:6"]
    assert Notification.objects.filter(user=alice).count() == 1
    for day in (date(2026, 6, 10), date(2026, 6, 11), date(2026, 6, 20)):
        run(day)
    assert warnings() == [f"limitation:{case.pk}:3", f"limitation:{case.pk}:6"]
    told = Notification.objects.filter(user=alice, key=f"limitation:{case.pk}:3").get()
    assert told.url.endswith(f"/{case.pk}/") or str(case.pk) in told.url
    from kredin.notification_texts import notification_text

    text = notification_text(kind=told.kind, params=told.params)
    assert "rettslig skritt" in text and "10.09.2026" in text


def test_a_part_payment_moves_the_limitation_date(collections, alice):
    item = invoice(due=date(2023, 1, 10))
    run(date(2025, 12, 1))
    pay(item, "1000.00")
    run(date(2025, 12, 20))  # recorded: a new period from 20 December 2025
    run(date(2026, 1, 11))
    case = Case.objects.get()
    assert case.state != CaseState.PAUSED
    # Warned on 20 December, when the payment was not yet in the claim ledger; not again.
    assert warnings() == [f"limitation:{case.pk}:3"]


def test_an_acknowledgment_lets_a_time_barred_item_into_a_new_case(collections, alice_org, alice):
    item = invoice(due=date(2022, 1, 10))  # time-barred after 10 January 2025
    plan = run(date(2025, 6, 1))
    assert not Case.objects.exists()
    [wait] = plan.of_kind("wait")
    assert "foreldet" in wait.describe()
    membership = Membership.objects.get(user=alice, organization=alice_org)
    with time_machine.travel(date(2025, 6, 1)):
        with pytest.raises(CaseError, match="foreldet"):
            cases_start(membership=membership, item_ids=[item.pk], on=date(2025, 6, 1))
        acknowledgment_record(
            membership=membership,
            open_item=item,
            acknowledged_on=date(2025, 5, 28),
            how="email",
            note="Lovet å betale i juni",
        )
        [case] = cases_start(membership=membership, item_ids=[item.pk], on=date(2025, 6, 1))
    assert Document.objects.filter(case=case).count() == 1
    run(date(2025, 7, 1))
    case.refresh_from_db()
    assert case.state != CaseState.PAUSED


def test_a_free_item_revived_by_acknowledgment_is_started_by_the_autopilot(collections, alice):
    item = invoice(due=date(2022, 1, 10))
    from kredin.models import Membership as M

    membership = M.objects.get(user=alice)
    with time_machine.travel(date(2025, 6, 1)):
        acknowledgment_record(
            membership=membership, open_item=item, acknowledged_on=date(2025, 6, 1), how="phone"
        )
    run(date(2025, 6, 2))
    assert Case.objects.count() == 1


def test_a_legal_draft_is_refused_for_a_time_barred_claim(collections):
    from debt_collection.legal.services import LegalError

    case, _notice, day = walk_to_legal(CustomerFactory(name="Bergen Bygg AS"), due=date(2025, 1, 6))
    legal_grounds(case=case, step=StepCode.ENFORCEMENT_REQUEST, on=day)  # allowed now
    later = date(2028, 1, 7)
    with time_machine.travel(later), pytest.raises(LegalError, match="foreldet"):
        legal_grounds(case=case, step=StepCode.ENFORCEMENT_REQUEST, on=later)


def test_the_reskontro_filters_and_marks_items_by_limitation(client_for, bob, collections):
    from django.urls import reverse

    barred = invoice(due=date(2022, 1, 10))  # foreldet after 10 January 2025
    soon = invoice(due=date(2022, 9, 1))  # foreldes 1 September 2025
    fresh = invoice(due=date(2025, 1, 10))
    revived = invoice(due=date(2021, 5, 1))
    Acknowledgment.objects.create(open_item=revived, acknowledged_on=date(2024, 1, 5), how="email")
    url = reverse("ledger:reskontro", kwargs={"org_slug": collections.slug})
    client = client_for(bob)
    with time_machine.travel(date(2025, 6, 1)):
        past = client.get(url, {"limitation": "barred"}).content.decode()
        near = client.get(url, {"limitation": "soon"}).content.decode()
        every = client.get(url).content.decode()

    def shown(page, item):
        return f'data-item-id="{item.pk}"' in page

    assert [shown(past, i) for i in (barred, soon, fresh, revived)] == [True, False, False, False]
    assert [shown(near, i) for i in (barred, soon, fresh, revived)] == [False, True, False, False]
    assert "Foreldet 10.01.2025" in every and "Foreldes 01.09.2025" in every
    assert "Foreldes 10.01.2028" not in every  # not near: no badge
