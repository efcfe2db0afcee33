"""Holds: a pause needs a reason, may end on a date, and then resumes by itself on that
day (not the day before), with the timeline saying so."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from debt_collection.autopilot import run_day
from debt_collection.models import Case, CaseState, TimelineEvent
from debt_collection.services.cases import CaseError, case_pause, cases_start
from debt_collection.timeline import timeline_text
from kredin.models import Membership
from tests.debt_collection.conftest import invoice

pytestmark = pytest.mark.django_db

DUE = date(2026, 1, 5)
PAUSED_ON = date(2026, 1, 15)
UNTIL = date(2026, 3, 12)


@pytest.fixture
def paused(collections, bob) -> Case:
    item = invoice(due=DUE, amount="6000.00")
    membership = Membership.objects.get(user=bob, organization=collections)
    [case] = cases_start(membership=membership, item_ids=[item.pk], on=PAUSED_ON)
    case_pause(
        case=case, membership=membership, on=PAUSED_ON, note="Avtalt utsettelse", until=UNTIL
    )
    return case


def _run(day: date):
    with time_machine.travel(day):
        return run_day(on=day)


def test_a_hold_resumes_by_itself_on_its_date_and_not_the_day_before(
    paused, bob, collections, client_for
):
    plan, _applied = _run(UNTIL - timedelta(days=1))
    paused.refresh_from_db()
    assert paused.state == CaseState.PAUSED
    assert not [a for a in plan.actions if a.case_id == paused.pk and a.kind != "wait"]

    plan, applied = _run(UNTIL)

    paused.refresh_from_db()
    assert paused.state == CaseState.ACTIVE and paused.paused_until is None
    kinds = [a.kind for a in plan.actions if a.case_id == paused.pk]
    assert kinds[0] == "resume" and "send_step" in kinds
    assert applied.documents  # the next letter follows on the same day
    event = TimelineEvent.objects.get(case=paused, kind="resumed")
    assert event.params == {"reason": "hold_over", "until": UNTIL.isoformat()}
    text = "Pausen var til 12.03.2026; saken fortsetter av seg selv."
    assert timeline_text(event) == text
    with time_machine.travel(UNTIL):
        page = client_for(bob).get(
            reverse(
                "collections:case-detail",
                kwargs={"org_slug": collections.slug, "case_id": paused.pk},
            )
        )
    assert text in page.content.decode()


def test_the_pause_event_names_its_end(paused):
    event = TimelineEvent.objects.get(case=paused, kind="paused")
    assert timeline_text(event) == "Saken ble satt på pause: Avtalt utsettelse (til 12.03.2026)"


def test_a_hold_without_a_date_waits_for_a_person(collections, bob):
    item = invoice(due=DUE, amount="6000.00")
    membership = Membership.objects.get(user=bob, organization=collections)
    [case] = cases_start(membership=membership, item_ids=[item.pk], on=PAUSED_ON)
    case_pause(case=case, membership=membership, on=PAUSED_ON, note="Venter på svar")

    _run(date(2026, 6, 1))

    case.refresh_from_db()
    assert case.state == CaseState.PAUSED


def test_a_hold_needs_a_reason(collections, bob):
    item = invoice(due=DUE, amount="6000.00")
    membership = Membership.objects.get(user=bob, organization=collections)
    [case] = cases_start(membership=membership, item_ids=[item.pk], on=PAUSED_ON)

    with pytest.raises(CaseError):
        case_pause(case=case, membership=membership, on=PAUSED_ON, note="  ", until=UNTIL)
    case.refresh_from_db()
    assert case.state == CaseState.ACTIVE


def test_an_objection_on_a_paused_case_returns_it_to_its_hold_when_withdrawn(paused, bob):
    from debt_collection.services.objections import objection_register, objection_withdraw

    membership = Membership.objects.get(user=bob)
    day = PAUSED_ON + timedelta(days=5)
    objection = objection_register(
        membership=membership,
        on=day,
        raised_on=day,
        received_via="letter",
        text="Uenig",
        case=paused,
    )
    paused.refresh_from_db()
    assert paused.state == CaseState.OBJECTED

    objection_withdraw(objection=objection, membership=membership, on=day, note="Trukket")
    paused.refresh_from_db()
    assert (paused.state, paused.paused_until) == (CaseState.PAUSED, UNTIL)

    second = objection_register(
        membership=membership,
        on=UNTIL,
        raised_on=UNTIL,
        received_via="letter",
        text="Uenig igjen",
        case=paused,
    )
    after = UNTIL + timedelta(days=1)
    objection_withdraw(objection=second, membership=membership, on=after, note="Trukket")
    paused.refresh_from_db()
    # The hold ended while the objection stood: the case goes on.
    assert (paused.state, paused.paused_until, paused.pause_note) == (CaseState.ACTIVE, None, "")
