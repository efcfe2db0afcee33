"""Objections (innsigelser): the case stops, planned letters and fees with it, the item in
no case stays out of new cases, and withdrawing lets the rules decide again."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Sum
from django.urls import reverse

from debt_collection.autopilot import plan_day, run_day
from debt_collection.dispatch import dispatch_document
from debt_collection.dispatch.objections import objection_holding
from debt_collection.models import (
    Case,
    CaseState,
    ClaimEntry,
    Delivery,
    DeliveryStatus,
    Document,
    DocumentStatus,
    EntryKind,
    Objection,
    TimelineEvent,
)
from debt_collection.planning import ITEM_DISPUTED
from debt_collection.services.cases import CaseError, case_merge, case_pause, cases_start
from debt_collection.services.objections import (
    ObjectionError,
    objection_register,
    objection_withdraw,
)
from debt_collection.timeline import timeline_text
from kredin.models import AuditEvent, Membership
from tests.debt_collection.conftest import invoice
from tests.debt_collection.test_autopilot import _run_until

pytestmark = pytest.mark.django_db

DUE = date(2026, 1, 5)
REMINDER_DAY = date(2026, 1, 20)  # the friendly reminder of 12 January ran 7 days


def _member(user, org) -> Membership:
    return Membership.objects.get(user=user, organization=org)


def _url(name, org, **kwargs):
    return reverse(f"collections:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _sent(case: Case) -> None:
    """The letters planned so far went out (the tests run no dispatch worker)."""
    Document.objects.filter(case=case).update(status=DocumentStatus.SENT)


def _register(membership, on, **target) -> Objection:
    with time_machine.travel(on):
        return objection_register(
            membership=membership,
            on=on,
            raised_on=on,
            received_via="email",
            text="Varen ble aldri levert.",
            **target,
        )


def _fees(case: Case) -> Decimal:
    total = ClaimEntry.objects.filter(case=case, kind=EntryKind.FEE).aggregate(t=Sum("amount"))
    return total["t"] or Decimal("0")


@pytest.fixture
def reminded(collections):
    """A case whose friendly reminder went out; its reminder, with a fee, is due on
    REMINDER_DAY."""
    item = invoice(due=DUE, amount="8000.00")
    _run_until(DUE, DUE + timedelta(days=7))
    case = Case.objects.get()
    _sent(case)
    with time_machine.travel(REMINDER_DAY):
        plan = plan_day(on=REMINDER_DAY)
    [letter] = [a for a in plan.actions if a.kind == "send_step"]
    assert letter.step == "reminder" and letter.letter.fee > 0
    return case, item


def test_an_objection_stops_the_next_letter_and_its_fee(reminded, bob, collections, client_for):
    case, _item = reminded
    objection = _register(_member(bob, collections), REMINDER_DAY, case=case)

    with time_machine.travel(REMINDER_DAY):
        plan, applied = run_day(on=REMINDER_DAY)
        page = client_for(bob).get(_url("case-detail", collections, case_id=case.pk))

    case.refresh_from_db()
    assert case.state == CaseState.OBJECTED
    assert not applied.documents
    assert [d.step for d in Document.objects.filter(case=case)] == ["friendly_reminder"]
    assert _fees(case) == 0
    [wait] = [a for a in plan.actions if a.case_id == case.pk]
    assert wait.kind == "wait" and wait.step == "reminder"
    assert {r.code for r in wait.reasons} == {
        "dunning_paused_by_objection",
        "fees_stopped_by_objection",
    }
    html = page.content.decode()
    assert "protesterte" in html and "Innsigelse" in html
    assert "Varen ble aldri levert." in html and "Trekk tilbake" in html
    event = TimelineEvent.objects.get(case=case, kind="objection_registered")
    assert event.params["rule"] == "any_objection"
    assert event.params["legal_basis"] == "inkassoloven § 17 annet ledd"
    assert "inkassoloven § 17 annet ledd" in timeline_text(event)
    assert objection.rule == "any_objection"
    assert AuditEvent.objects.filter(action="collections.objection_registered").exists()


def test_withdrawing_lets_the_next_letter_follow_again(reminded, bob, collections):
    case, _item = reminded
    membership = _member(bob, collections)
    objection = _register(membership, REMINDER_DAY, case=case)
    day = REMINDER_DAY + timedelta(days=3)

    with time_machine.travel(day):
        objection_withdraw(
            objection=objection, membership=membership, on=day, note="Levert likevel"
        )
        _plan, applied = run_day(on=day)

    case.refresh_from_db()
    assert case.state == CaseState.ACTIVE
    assert [Document.objects.get(pk=pk).step for pk in applied.documents] == ["reminder"]
    assert _fees(case) > 0
    event = TimelineEvent.objects.get(case=case, kind="objection_withdrawn")
    assert "Levert likevel" in timeline_text(event) and "Saken fortsetter" in timeline_text(event)


def test_the_withdraw_page_shows_what_the_rules_let_follow(reminded, bob, collections, client_for):
    case, _item = reminded
    objection = _register(_member(bob, collections), REMINDER_DAY, case=case)
    client = client_for(bob)
    url = _url("objection-withdraw", collections, objection_id=objection.pk)

    with time_machine.travel(REMINDER_DAY):
        page = client.get(url).content.decode()
        done = client.post(url, {"note": "Avklart med kunden"})

    assert "Saken blir aktiv igjen" in page and "Purring" in page and "kan gjøres i dag" in page
    assert done.status_code == 302
    case.refresh_from_db()
    objection.refresh_from_db()
    assert case.state == CaseState.ACTIVE and objection.withdrawn_on == REMINDER_DAY


def test_the_withdraw_page_names_what_is_still_refused(reminded, bob, collections, client_for):
    case, _item = reminded
    objection = _register(_member(bob, collections), REMINDER_DAY - timedelta(days=2), case=case)

    # Two days before the reminder may go: the friendly reminder's deadline still runs.
    with time_machine.travel(REMINDER_DAY - timedelta(days=2)):
        url = _url("objection-withdraw", collections, objection_id=objection.pk)
        page = client_for(bob).get(url).content.decode()

    assert "fristen i betalingspåminnelsen løper" in page.lower()
    assert "protesterte" not in page


def test_a_second_objection_keeps_the_case_objected(reminded, bob, collections):
    case, _item = reminded
    membership = _member(bob, collections)
    first = _register(membership, REMINDER_DAY, case=case)
    _register(membership, REMINDER_DAY, case=case)

    with time_machine.travel(REMINDER_DAY):
        objection_withdraw(objection=first, membership=membership, on=REMINDER_DAY, note="Ok")
        _plan, applied = run_day(on=REMINDER_DAY)

    case.refresh_from_db()
    assert case.state == CaseState.OBJECTED and not applied.documents
    with pytest.raises(ObjectionError):
        objection_withdraw(objection=first, membership=membership, on=REMINDER_DAY, note="Igjen")


def test_a_planned_letter_not_yet_sent_is_stopped_and_its_fee_reversed(reminded, bob, collections):
    case, _item = reminded
    with time_machine.travel(REMINDER_DAY):
        _plan, applied = run_day(on=REMINDER_DAY)
    [document] = Document.objects.filter(pk__in=applied.documents)
    Delivery.objects.create(
        document=document, channel="post", provider="print_queue", recipient="Bergen Bygg AS"
    )
    assert _fees(case) > 0

    _register(_member(bob, collections), REMINDER_DAY, case=case)

    document.refresh_from_db()
    assert document.status == DocumentStatus.CANCELLED
    assert document.deliveries.get().status == DeliveryStatus.STOPPED
    assert document.deliveries.get().error == "objection"
    assert _fees(case) == 0
    case.refresh_from_db()
    assert case.current_step == "friendly_reminder"
    event = TimelineEvent.objects.get(case=case, kind="letter_stopped_objection")
    assert "Purring ble stoppet før utsending" in timeline_text(event)


def test_dispatch_refuses_a_letter_of_a_case_with_a_standing_objection(reminded, bob, collections):
    case, _item = reminded
    with time_machine.travel(REMINDER_DAY):
        _plan, applied = run_day(on=REMINDER_DAY)
    [document] = Document.objects.filter(pk__in=applied.documents)
    # An objection that came in between planning and sending (no service call in between).
    Objection.objects.create(case=case, raised_on=REMINDER_DAY, received_via="phone", text="Nei")

    with time_machine.travel(REMINDER_DAY):
        deliveries = dispatch_document(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == DocumentStatus.CANCELLED
    assert deliveries and {d.status for d in deliveries} == {DeliveryStatus.STOPPED}
    assert _fees(case) == 0


def test_the_route_for_a_disputed_claim_is_not_held(reminded, bob, collections):
    case, _item = reminded
    notice = Document.objects.create(
        case=case,
        step="pre_suit_notice",
        planned_for=REMINDER_DAY,
        content={"title": "Prosessvarsel"},
    )

    _register(_member(bob, collections), REMINDER_DAY, case=case)

    notice.refresh_from_db()
    assert notice.status == DocumentStatus.READY
    assert objection_holding(document=notice, on=REMINDER_DAY) is None
    reminder = Document(case=case, step="reminder", planned_for=REMINDER_DAY, content={})
    assert objection_holding(document=reminder, on=REMINDER_DAY) is not None


def test_an_objection_on_an_item_in_a_case_objects_the_whole_case(reminded, bob, collections):
    case, item = reminded

    objection = _register(_member(bob, collections), REMINDER_DAY, open_item=item)

    case.refresh_from_db()
    assert objection.case_id == case.pk and objection.open_item_id == item.pk
    assert case.state == CaseState.OBJECTED


def test_an_item_in_no_case_with_an_objection_stays_out_of_new_cases(collections, bob):
    disputed = invoice(due=DUE, amount="3000.00")
    membership = _member(bob, collections)
    day = DUE + timedelta(days=10)
    objection = _register(membership, day, open_item=disputed)

    with time_machine.travel(day):
        plan, applied = run_day(on=day)
    assert not Case.objects.exists() and not applied.started
    [wait] = [a for a in plan.actions if a.item_ids == (disputed.pk,)]
    assert wait.kind == "wait" and wait.reasons[0].code == ITEM_DISPUTED
    assert "innsigelsen er trukket tilbake" in wait.describe()
    with pytest.raises(CaseError, match="innsigelse"):
        cases_start(membership=membership, item_ids=[disputed.pk], on=day)

    with time_machine.travel(day):
        objection_withdraw(objection=objection, membership=membership, on=day, note="Trukket")
        _plan, applied = run_day(on=day)
    assert len(applied.started) == 1


def test_an_item_of_a_closed_objected_case_stays_disputed(reminded, bob, collections):
    from debt_collection.services.cases import case_close_by_user

    case, item = reminded
    membership = _member(bob, collections)
    _register(membership, REMINDER_DAY, case=case)
    case_close_by_user(case=case, membership=membership, on=REMINDER_DAY, note="Til advokat")

    with pytest.raises(CaseError, match="innsigelse"):
        cases_start(membership=membership, item_ids=[item.pk], on=REMINDER_DAY)
    with time_machine.travel(REMINDER_DAY + timedelta(days=1)):
        _plan, applied = run_day(on=REMINDER_DAY + timedelta(days=1))
    assert not applied.started


def test_an_objected_case_cannot_be_paused_or_merged(reminded, bob, collections):
    case, item = reminded
    membership = _member(bob, collections)
    other = invoice(customer=item.customer, due=DUE, amount="500.00")
    [second] = cases_start(membership=membership, item_ids=[other.pk], on=REMINDER_DAY)
    _register(membership, REMINDER_DAY, case=case)
    case.refresh_from_db()

    with pytest.raises(CaseError, match="innsigelse"):
        case_pause(case=case, membership=membership, on=REMINDER_DAY, note="Ferie")
    with pytest.raises(CaseError, match="innsigelse"):
        case_merge(case=second, into=case, membership=membership, on=REMINDER_DAY)


def test_an_objection_needs_a_text_and_no_future_date(reminded, bob, collections):
    case, _item = reminded
    membership = _member(bob, collections)
    with pytest.raises(ObjectionError):
        objection_register(
            membership=membership,
            on=REMINDER_DAY,
            raised_on=REMINDER_DAY,
            received_via="letter",
            text="  ",
            case=case,
        )
    with pytest.raises(ObjectionError):
        objection_register(
            membership=membership,
            on=REMINDER_DAY,
            raised_on=REMINDER_DAY + timedelta(days=1),
            received_via="letter",
            text="Uenig",
            case=case,
        )
    assert not Objection.objects.exists()


# --- pages ---------------------------------------------------------------------------------


def test_a_member_registers_an_objection_on_one_invoice_from_the_case_page(
    reminded, bob, collections, client_for
):
    case, item = reminded
    client = client_for(bob)
    with time_machine.travel(REMINDER_DAY):
        page = client.get(_url("case-detail", collections, case_id=case.pk)).content.decode()
        response = client.post(
            _url("case-objection-create", collections, case_id=case.pk),
            {
                "text": "Feil pris",
                "raised_on": REMINDER_DAY.isoformat(),
                "received_via": "phone",
                "scope": str(item.pk),
            },
        )

    assert "Registrer innsigelse" in page and "stopper hele saken" in page
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.case_id, objection.open_item_id, objection.received_via) == (
        case.pk,
        item.pk,
        "phone",
    )


def test_an_objected_case_offers_the_conciliation_board(reminded, bob, collections, client_for):
    case, _item = reminded
    case_url = _url("case-detail", collections, case_id=case.pk)
    with time_machine.travel(REMINDER_DAY):
        before = client_for(bob).get(case_url).content.decode()
    _register(_member(bob, collections), REMINDER_DAY, case=case)

    with time_machine.travel(REMINDER_DAY):
        after = client_for(bob).get(case_url).content.decode()

    draft = _url("legal-draft-create", collections, case_id=case.pk) + "?step=pre_suit_notice"
    assert "Ta saken til forliksrådet" not in before
    assert "Ta saken til forliksrådet" in after and draft in after


def test_a_read_only_member_cannot_register_or_withdraw(
    reminded, bob, erin, collections, client_for
):
    case, _item = reminded
    reader = client_for(erin)
    with time_machine.travel(REMINDER_DAY):
        page = reader.get(_url("case-detail", collections, case_id=case.pk)).content.decode()
        refused = reader.post(
            _url("case-objection-create", collections, case_id=case.pk),
            {"text": "x", "raised_on": REMINDER_DAY.isoformat(), "received_via": "letter"},
        )
    objection = _register(_member(bob, collections), REMINDER_DAY, case=case)
    withdraw = _url("objection-withdraw", collections, objection_id=objection.pk)

    assert "Registrer innsigelse" not in page
    assert refused.status_code == 403
    look = reader.get(withdraw)
    assert look.status_code == 200 and "Trekk tilbake innsigelsen" not in look.content.decode()
    assert reader.post(withdraw, {"note": "x"}).status_code == 403
    objection.refresh_from_db()
    assert objection.stands and Objection.objects.count() == 1


def test_another_organisation_gets_404(reminded, bob, charlie, collections, client_for):
    case, _item = reminded
    objection = _register(_member(bob, collections), REMINDER_DAY, case=case)
    outsider = client_for(charlie)

    assert (
        outsider.get(_url("objection-withdraw", collections, objection_id=objection.pk)).status_code
        == 404
    )
    assert (
        outsider.post(
            _url("case-objection-create", collections, case_id=case.pk), {"text": "x"}
        ).status_code
        == 404
    )


def test_objections_on_ticked_reskontro_items(collections, bob, client_for):
    first = invoice(due=DUE, amount="3000.00")
    second = invoice(customer=first.customer, due=DUE, amount="2000.00")
    client = client_for(bob)
    url = _url("objection-items", collections)
    day = DUE + timedelta(days=3)

    with time_machine.travel(day):
        form = client.post(url, {"items": [first.pk, second.pk]}).content.decode()
        done = client.post(
            url,
            {
                "items": [first.pk, second.pk],
                "text": "Uenig i timeprisen",
                "raised_on": day.isoformat(),
                "received_via": "letter",
            },
        )

    assert "Registrer innsigelse" in form and first.invoice_no in form
    assert done.status_code == 302
    assert set(Objection.objects.values_list("open_item_id", flat=True)) == {first.pk, second.pk}
    assert not Objection.objects.filter(case__isnull=False).exists()


# --- markers -------------------------------------------------------------------------------


def test_markers_on_the_reskontro_and_the_case_list(collections, bob, client_for):
    membership = _member(bob, collections)
    day = DUE + timedelta(days=10)
    objected_item = invoice(due=DUE, amount="3000.00")
    paused_item = invoice(due=DUE, amount="4000.00")
    free_item = invoice(due=DUE, amount="5000.00")
    [objected] = cases_start(membership=membership, item_ids=[objected_item.pk], on=day)
    [paused] = cases_start(membership=membership, item_ids=[paused_item.pk], on=day)
    _register(membership, day, case=objected)
    case_pause(case=paused, membership=membership, on=day, note="Avtale", until=date(2026, 3, 12))
    _register(membership, day, open_item=free_item)
    client = client_for(bob)

    with time_machine.travel(day):
        reskontro = client.get(reverse("ledger:reskontro", kwargs={"org_slug": collections.slug}))
        listing = client.get(_url("case-list", collections)).content.decode()
        only_objected = client.get(_url("case-list", collections), {"state": "objected"})

    badges = reskontro.context["item_badges"]
    assert [b.label for b in badges[objected_item.pk]] == [f"S-{objected.number}", "Innsigelse"]
    assert [b.label for b in badges[paused_item.pk]] == [f"S-{paused.number}", "Pause til 12.03."]
    assert [b.label for b in badges[free_item.pk]] == ["Innsigelse"]
    assert "Pause til 12.03." in reskontro.content.decode()
    assert "Pause til 12.03." in listing and "Innsigelse" in listing
    rows = only_objected.content.decode()
    assert f'data-case-id="{objected.pk}"' in rows and f'data-case-id="{paused.pk}"' not in rows
