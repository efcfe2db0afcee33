"""The autopilot: plan an organisation's day, then act on it as its settings say.

- `plan_day` computes every action (planning.py) from the facts (facts.py): the preview
  page, `run_autopilot --dry-run` and the real run all start here.
- `run_day` carries the plan out: bookkeeping always (payments, closing, holds, register
  pauses); letters and new cases only in the automatic mode; in the suggest mode those
  become proposals a person approves. An autopilot Kredin's support has paused works as
  if it were off, whatever the mode: bookkeeping only.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from debt_collection.autopilot.apply import Applied, apply_plan
from debt_collection.autopilot.facts import organization_facts
from debt_collection.models import AutopilotMode, Case, Proposal
from debt_collection.planning import Plan, plan_organization
from debt_collection.selectors import collection_rules, collection_settings_get
from kredin.models import User

BOOKKEEPING = (
    "record_payment",
    "record_credit",
    "close",
    "pause",
    "resume",
    "limitation_warning",
)
DECISIONS = ("start_case", "send_step", "send_note", "legal_step")


def plan_day(*, on: date) -> Plan:
    """Everything the autopilot would do for the organisation in scope on `on`."""
    return plan_organization(organization_facts(on=on), on=on, rules=collection_rules())


def run_day(*, on: date, actor: User | None = None) -> tuple[Plan, Applied]:
    plan = plan_day(on=on)
    current = collection_settings_get()
    mode = AutopilotMode.OFF if current.autopilot_paused_at else current.autopilot
    if mode == AutopilotMode.AUTOMATIC:
        applied = apply_plan(plan=plan, rules=collection_rules(), actor=actor)
    else:
        applied = apply_plan(plan=plan, rules=collection_rules(), actor=actor, kinds=BOOKKEEPING)
        if mode == AutopilotMode.SUGGEST:
            proposals_create(plan=plan)
    acted_on = {
        a.case_id
        for a in plan.actions
        if a.kind not in ("wait", "limitation_warning") and a.case_id
    }
    cases_next_refresh(plan=plan, on=on, replan=acted_on | set(applied.started))
    return plan, applied


def cases_next_refresh(*, plan: Plan | None, on: date, replan: set[int]) -> None:
    """Keep each open case's next step and date (for lists and filters) in line with the
    plan; cases something just happened to are planned again first."""
    nexts: dict[int, tuple[str, date | None]] = {}
    sources = [plan] if plan is not None else []
    if replan:
        sources.append(
            plan_organization(
                organization_facts(on=on, case_ids=sorted(replan), with_free_items=False),
                on=on,
                rules=collection_rules(),
            )
        )
    for source in sources:
        for action in source.actions:
            if action.case_id and action.kind in ("wait", "send_step", "send_note", "legal_step"):
                nexts[action.case_id] = (str(action.step or ""), action.on)
    cases = list(Case.objects.filter(pk__in=nexts))
    for case in cases:
        case.next_step, case.next_on = nexts[case.pk]
    Case.objects.bulk_update(cases, ["next_step", "next_on"], batch_size=2000)


@transaction.atomic
def proposals_create(*, plan: Plan) -> int:
    """The plan's decisions as proposals; a proposal made before for the same action stays."""
    from kredin.tenancy import current_organization_id

    organization_id = current_organization_id()
    rows = [
        Proposal(
            organization_id=organization_id,
            key=action.key,
            kind=action.kind,
            planned_for=plan.on,
            case_id=action.case_id,
            customer_id=action.customer_id,
            payload={
                "step": str(action.step) if action.step else "",
                "item_ids": list(action.item_ids),
            },
        )
        for action in plan.of_kind(*DECISIONS)
    ]
    created = Proposal.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)
