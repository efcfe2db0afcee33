"""The debtor disputes the claim (innsigelse): register it, and withdraw it again.

While an objection stands the case sends no dunning letter and charges no fee: the case
is "objected", the planner feeds the objection to the guardrails (which give the reason),
letters planned but not yet sent are stopped, and dispatch refuses any that slip through.
The route for a disputed claim (pre-suit notice, conciliation board) stays open.

An objection on an item in an open case objects the whole case, since the rules work per
case. One on an item in no case keeps that item out of new cases while it stands.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from debt_collection.autopilot import cases_next_refresh
from debt_collection.autopilot.facts import organization_facts
from debt_collection.dispatch.objections import (
    letter_stop_for_objection,
    letter_stoppable,
    step_stops_on_objection,
)
from debt_collection.models import (
    Case,
    CaseItem,
    CaseState,
    Document,
    DocumentStatus,
    Objection,
    ObjectionChannel,
    TimelineEvent,
)
from debt_collection.planning import Action, plan_organization
from debt_collection.rules import Objection as RuleObjection
from debt_collection.rules import catalogue_for
from debt_collection.rules.catalogue import ObjectionRule
from debt_collection.selectors import collection_rules
from debt_collection.selectors.objections import standing_objections
from debt_collection.services.cases import CaseError
from kredin.audit import audit_record
from kredin.models import Membership, NotificationKind
from kredin.permissions import Permission
from kredin.services import require_permission
from kredin.services.notifications import notify
from ledger.models import ItemStatus, OpenItem

LEGAL_BASIS = {
    ObjectionRule.ANY_OBJECTION: "inkassoloven § 17 annet ledd",
    ObjectionRule.UNLESS_OBVIOUSLY_GROUNDLESS: "inkassoloven (LOV-2026-05-22-19) § 18",
}
# The states an objection moves a case from (a closed case stays closed).
OBJECTABLE = frozenset({CaseState.ACTIVE, CaseState.PAUSED, CaseState.LEGAL, CaseState.OBJECTED})


class ObjectionError(CaseError):
    """An objection that cannot be registered or withdrawn; the message says why."""


def _require(membership: Membership) -> None:
    require_permission(membership, membership.organization, Permission.WORK_CASES)


def _event(case: Case, kind: str, on: date, membership: Membership, **params) -> None:
    TimelineEvent.objects.create(case=case, on=on, actor=membership.user, kind=kind, params=params)


# --- registering ---------------------------------------------------------------------------


@transaction.atomic
def objection_register(
    *,
    membership: Membership,
    on: date,
    raised_on: date,
    received_via: str,
    text: str,
    case: Case | None = None,
    open_item: OpenItem | None = None,
    notify_members: bool = False,
    request: HttpRequest | None = None,
) -> Objection:
    """Register the debtor's objection on a case or one item (of a case, or in none).

    `notify_members` tells the members who work cases (for an objection that came in
    through the API, which no one saw arrive)."""
    _require(membership)
    text = text.strip()
    if not text:
        raise ObjectionError(_("Skriv hva skyldneren innvender."))
    if raised_on > on:
        raise ObjectionError(_("Innsigelsen kan ikke være mottatt etter i dag."))
    if received_via not in ObjectionChannel.values:
        raise ObjectionError(_("Velg hvordan innsigelsen kom inn."))
    if case is None and open_item is None:
        raise ObjectionError(_("Velg saken eller fakturaen innsigelsen gjelder."))
    case = _case_for(case=case, open_item=open_item)
    if case is not None:
        case = Case.objects.select_for_update().select_related("customer").get(pk=case.pk)
        if case.state not in OBJECTABLE:
            raise ObjectionError(_("En avsluttet sak kan ikke få en innsigelse."))
    rule = catalogue_for(on=raised_on, rules=collection_rules()).objection_rule
    objection = Objection.objects.create(
        case=case,
        open_item=open_item,
        raised_on=raised_on,
        received_via=received_via,
        text=text[:4000],
        rule=rule.value,
        legal_basis=LEGAL_BASIS[rule],
        registered_by=membership.user,
    )
    stopped: list[str] = []
    if case is not None:
        stopped = _case_objected(case=case, objection=objection, on=on, membership=membership)
    audit_record(
        action="collections.objection_registered",
        organization=membership.organization,
        actor=membership.user,
        target=objection,
        details={
            "case": case.number if case else None,
            "invoice": open_item.invoice_no if open_item else None,
            "via": received_via,
            "letters_stopped": len(stopped),
        },
        request=request,
    )
    if notify_members:
        _notify(objection=objection, case=case, membership=membership)
    return objection


def _case_for(*, case: Case | None, open_item: OpenItem | None) -> Case | None:
    """The case the objection stands on: the one named, or the open case holding the item."""
    if open_item is None:
        return case
    if open_item.status != ItemStatus.OPEN:
        raise ObjectionError(_("Fakturaen er ikke åpen i reskontroen."))
    link = (
        CaseItem.objects.filter(open_item=open_item, released_on__isnull=True)
        .select_related("case")
        .first()
    )
    holding = link.case if link else None
    if case is not None and (holding is None or holding.pk != case.pk):
        raise ObjectionError(_("Fakturaen hører ikke til denne saken."))
    return holding


def _case_objected(
    *, case: Case, objection: Objection, on: date, membership: Membership
) -> list[str]:
    """The case stops: its state, its planned letters, the timeline, its next step."""
    if case.state != CaseState.OBJECTED:
        case.state = CaseState.OBJECTED
        case.save(update_fields=["state"])
    _event(
        case,
        "objection_registered",
        on,
        membership,
        objection=objection.pk,
        raised_on=objection.raised_on.isoformat(),
        via=objection.received_via,
        invoice=objection.open_item.invoice_no if objection.open_item else "",
        rule=objection.rule,
        legal_basis=objection.legal_basis,
    )
    stopped = []
    documents = Document.objects.filter(case=case, status=DocumentStatus.READY).prefetch_related(
        "deliveries"
    )
    for document in documents:
        if step_stops_on_objection(document.step, on=on) and letter_stoppable(document):
            letter_stop_for_objection(document=document, objection=objection, on=on)
            stopped.append(document.step)
    cases_next_refresh(plan=None, on=on, replan={case.pk})
    return stopped


def _notify(*, objection: Objection, case: Case | None, membership: Membership) -> None:
    organization = membership.organization
    if case is not None:
        params = {"case": case.number, "debtor": case.customer.name}
        url = reverse(
            "collections:case-detail", kwargs={"org_slug": organization.slug, "case_id": case.pk}
        )
    else:
        item = objection.open_item
        params = {"debtor": item.customer.name, "invoice": item.invoice_no}
        url = reverse(
            "ledger:customer-detail",
            kwargs={"org_slug": organization.slug, "customer_id": item.customer_id},
        )
    notify(
        organization=organization,
        kind=NotificationKind.OBJECTION_RECEIVED,
        params={**params, "via": objection.received_via},
        url=url,
        key=f"objection:{objection.pk}",
    )


# --- withdrawing ---------------------------------------------------------------------------


def state_after_withdrawal(*, objection: Objection, on: date) -> str | None:
    """The case's state once this objection is withdrawn (None: no case, or closed): still
    objected while another stands, paused while a hold from before is not over, else
    active."""
    case = objection.case
    if case is None or not case.is_open:
        return None
    others = standing_objections().filter(case=case).exclude(pk=objection.pk)
    if others.exists():
        return CaseState.OBJECTED
    hold_left = case.pause_reason and (
        case.pause_reason == "register" or case.paused_until is None or case.paused_until > on
    )
    return CaseState.PAUSED if hold_left else CaseState.ACTIVE


def objection_withdraw_outlook(*, objection: Objection, on: date) -> list[Action]:
    """What the planner would do with the case today once the objection is withdrawn: the
    next letter, or the wait with the guardrails' reasons for what is still refused."""
    state = state_after_withdrawal(objection=objection, on=on)
    if state is None:
        return []
    case = objection.case
    facts = organization_facts(on=on, case_ids=[case.pk], with_free_items=False)
    objections = tuple(
        RuleObjection(
            raised_on=o.raised_on,
            withdrawn_on=on if o.pk == objection.pk else o.withdrawn_on,
        )
        for o in Objection.objects.filter(case=case)
    )
    cases = tuple(replace(fact, state=str(state), objections=objections) for fact in facts.cases)
    return plan_organization(replace(facts, cases=cases), on=on, rules=collection_rules()).actions


@transaction.atomic
def objection_withdraw(
    *,
    objection: Objection,
    membership: Membership,
    on: date,
    note: str,
    request: HttpRequest | None = None,
) -> Objection:
    """The debtor withdrew it, or the dispute is settled: the case goes on if nothing else
    holds it."""
    _require(membership)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if not objection.stands:
        raise ObjectionError(_("Innsigelsen er allerede trukket tilbake."))
    note = note.strip()
    if not note:
        raise ObjectionError(_("Skriv hvorfor innsigelsen trekkes tilbake."))
    state = state_after_withdrawal(objection=objection, on=on)
    objection.withdrawn_on, objection.withdrawal_note, objection.withdrawn_by = (
        on,
        note[:500],
        membership.user,
    )
    objection.save(update_fields=["withdrawn_on", "withdrawal_note", "withdrawn_by"])
    case = objection.case
    if state is not None:
        _case_resumes(case=case, state=state, on=on)
        _event(
            case,
            "objection_withdrawn",
            on,
            membership,
            objection=objection.pk,
            raised_on=objection.raised_on.isoformat(),
            note=objection.withdrawal_note,
            state=str(state),
        )
        cases_next_refresh(plan=None, on=on, replan={case.pk})
    audit_record(
        action="collections.objection_withdrawn",
        organization=membership.organization,
        actor=membership.user,
        target=objection,
        details={"case": case.number if case else None, "state": str(state or "")},
        request=request,
    )
    return objection


def _case_resumes(*, case: Case, state: str, on: date) -> None:
    if case.state != CaseState.OBJECTED or state == CaseState.OBJECTED:
        return
    case.state = state
    fields = ["state"]
    if state == CaseState.ACTIVE:
        # A hold that ended while the objection stood is over too.
        case.pause_reason, case.pause_note, case.paused_until = "", "", None
        fields += ["pause_reason", "pause_note", "paused_until"]
    case.save(update_fields=fields)
