"""The autopilot over months: the default sequence, its amounts and deadlines, payments,
running twice, and a crash that leaves nothing half done."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from debt_collection.autopilot import plan_day, run_day
from debt_collection.models import Case, CaseState, ClaimEntry, Document, EntryKind
from debt_collection.rules import late_interest
from debt_collection.selectors import collection_rules
from debt_collection.selectors.cases import case_view
from tests.debt_collection.conftest import invoice, pay
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

DUE = date(2025, 11, 20)  # the run crosses 1 January 2026: a new rate and a new inkassosats


def _run_until(start: date, end: date) -> list[tuple[date, list[str]]]:
    """Run the autopilot every day, as beat does; what happened on each day it acted."""
    acted = []
    day = start
    while day <= end:
        with time_machine.travel(day):
            plan, _applied = run_day(on=day)
        done = [a.kind for a in plan.actions if a.kind != "wait"]
        if done:
            acted.append((day, done))
        day += timedelta(days=1)
    return acted


def _letters(case: Case) -> list[Document]:
    return list(Document.objects.filter(case=case).order_by("planned_for"))


def test_the_autopilot_walks_the_default_sequence_to_the_legal_step(collections):
    item = invoice(due=DUE, amount="10000.00")

    _run_until(DUE, date(2026, 4, 30))

    case = Case.objects.get()
    letters = _letters(case)
    assert [d.step for d in letters] == [
        "friendly_reminder",
        "reminder",
        "collection_notice",
        "payment_demand",
    ]
    # Each letter after its predecessor's deadline has passed, with a deadline by the rules.
    assert letters[0].planned_for == DUE + timedelta(days=7)  # days after due in the settings
    assert (letters[0].deadline - letters[0].planned_for).days == 7  # the friendly reminder
    for earlier, later in itertools.pairwise(letters):
        assert later.planned_for > earlier.deadline
        assert (later.deadline - later.planned_for).days >= 14
    assert case.state == CaseState.LEGAL
    # The fees follow the inkassosats of each letter's day: 700 kr in 2025, 750 kr from 2026
    # (1/20 for a reminder or notice, 3/20 for the demand, to the nearest krone).
    fees = {e.document.step: e for e in ClaimEntry.objects.filter(kind=EntryKind.FEE)}
    by_year = {
        ("reminder", 2025): "35.00",
        ("reminder", 2026): "38.00",
        ("collection_notice", 2025): "35.00",
        ("collection_notice", 2026): "38.00",
        ("payment_demand", 2025): "105.00",
        ("payment_demand", 2026): "113.00",
    }
    for step, entry in fees.items():
        assert entry.amount == Decimal(by_year[(step, entry.entry_date.year)]), step
    assert set(fees) == {"reminder", "collection_notice", "payment_demand"}
    assert {entry.entry_date.year for entry in fees.values()} == {2025, 2026}
    # Interest in the claim adds up to the interest from the due date to the last letter.
    interest = sum(e.amount for e in ClaimEntry.objects.filter(kind=EntryKind.INTEREST))
    expected = late_interest(
        Decimal("10000.00"), DUE, letters[-1].planned_for, rules=collection_rules()
    )
    assert abs(interest - expected) <= Decimal("0.03")  # rounded once per letter
    # The last letter prints the interest by rate period, split at 1 January.
    periods = letters[-1].content["items"][0]["interest_periods"]
    assert periods[0]["rate"] != periods[-1]["rate"]
    assert letters[-1].content["items"][0]["invoice_no"] == item.invoice_no
    assert letters[-1].content["payment"]["account"] == "15030012345"


def test_a_case_started_by_hand_follows_the_same_sequence_and_closes_when_paid(collections, alice):
    from debt_collection.services.cases import (
        case_payment_register,
        case_remaining,
        cases_start,
    )
    from kredin.models import Membership

    item = invoice(due=DUE, amount="5000.00")
    membership = Membership.objects.get(user=alice, organization=collections)
    with time_machine.travel(date(2025, 12, 1)):
        [case] = cases_start(membership=membership, item_ids=[item.pk], on=date(2025, 12, 1))

    _run_until(date(2025, 12, 2), date(2026, 1, 31))
    pay(item)  # the invoice is paid in the ledger ...
    _run_until(date(2026, 2, 1), date(2026, 2, 1))
    case.refresh_from_db()
    # ... but not the fees and the interest, which it paid first, so some principal is left.
    still_owed = case_view(case=case, today=date(2026, 2, 2)).claim.to_date
    assert case.state == CaseState.LEGAL and still_owed > case_remaining(case=case) > 0
    case_payment_register(
        case=case,
        membership=membership,
        amount=still_owed,
        on=date(2026, 2, 2),
        note="paid to the creditor's account",
    )

    case.refresh_from_db()
    assert [d.step for d in _letters(case)][:2] == ["friendly_reminder", "reminder"]
    assert case.state == CaseState.CLOSED and case.close_reason == "paid"
    payments = ClaimEntry.objects.filter(case=case, kind=EntryKind.PAYMENT)
    assert sum(p.amount for p in payments) == -(Decimal("5000.00") + still_owed)


def test_running_twice_on_one_day_does_nothing_the_second_time(collections):
    invoice(due=DUE)
    day = DUE + timedelta(days=10)

    run_day(on=day)
    before = (Case.objects.count(), Document.objects.count(), ClaimEntry.objects.count())
    _plan, applied = run_day(on=day)

    assert (Case.objects.count(), Document.objects.count(), ClaimEntry.objects.count()) == before
    assert not applied.documents and not applied.started


def test_a_crash_while_writing_leaves_neither_case_nor_letter(collections, monkeypatch):
    invoice(due=DUE)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("debt_collection.autopilot.apply.letter_content", broken)
    with pytest.raises(RuntimeError):
        run_day(on=DUE + timedelta(days=10))

    assert not Case.objects.exists()
    assert not Document.objects.exists()
    assert not ClaimEntry.objects.exists()


def test_the_preview_and_the_dry_run_print_the_same_actions(collections, alice_org):
    from io import StringIO

    from django.core.management import call_command

    from debt_collection.management.commands.run_autopilot import plan_lines

    invoice(due=DUE)
    invoice(due=DUE + timedelta(days=20))
    day = DUE + timedelta(days=10)
    out = StringIO()

    call_command("run_autopilot", org=alice_org.slug, today=day, dry_run=True, stdout=out)

    printed = out.getvalue().splitlines()
    assert printed[:-1] == plan_lines(plan_day(on=day))
    assert printed[-1].startswith(f"Dry run for {alice_org.slug} on {day.isoformat()}")
    assert not Case.objects.exists()  # a dry run writes nothing


def test_a_debtor_the_register_flags_gets_no_automatic_letters_and_owners_are_told(
    collections, alice, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.ledger.helpers import flag_customer

    item = invoice(due=DUE)
    run_day(on=DUE + timedelta(days=10))
    flag_customer(item.customer, bankrupt=True)

    with django_capture_on_commit_callbacks(execute=True):
        run_day(on=DUE + timedelta(days=40))
    run_day(on=DUE + timedelta(days=60))

    case = Case.objects.get()
    assert case.state == CaseState.PAUSED and case.pause_reason == "register"
    assert [d.step for d in _letters(case)] == ["friendly_reminder"]
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert f"S-{case.number}" in mailoutbox[0].body


def test_the_facts_take_the_same_few_queries_however_many_cases(collections):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from debt_collection.autopilot.facts import organization_facts

    def queries_for(count: int) -> int:
        for _n in range(count):
            item = invoice(due=DUE, customer=CustomerFactory())
            pay(item, "100.00")
        run_day(on=DUE + timedelta(days=10))
        with CaptureQueriesContext(connection) as captured:
            organization_facts(on=DUE + timedelta(days=11))
        return len(captured.captured_queries)

    few = queries_for(1)
    assert queries_for(6) == few
    assert few == 13  # see the docstring of debt_collection/autopilot/facts.py
