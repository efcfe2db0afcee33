"""What a case's debtor owes on a day, split as a legal filing must show it.

From the claim ledger, as the planner reads it (debt_collection.autopilot.facts): the
principal still owed per invoice; the interest booked and unpaid plus the interest since
it was last booked, brought to the day as a payment would bring it (planning.item_interest);
the fees (reminder fees and the § 3a compensation) and the costs (court fees booked, and
the fee of the step being drafted, as the rules give it). A payment's cost share is taken
from the fees first, then from the court fees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from debt_collection.models import ClaimEntry, EntryKind
from debt_collection.planning import CaseFacts
from debt_collection.rules import InterestPeriod, Rules, interest_breakdown

ZERO = Decimal("0.00")
FEE_KINDS = (EntryKind.FEE, EntryKind.COMPENSATION)


@dataclass(frozen=True)
class NewInterest:
    """Interest on one invoice since the claim ledger last had it, up to the day."""

    item_id: int
    base: Decimal  # the principal still owed, which the interest runs on
    booked_until: date  # the ledger has the interest up to and including this day
    periods: tuple[InterestPeriod, ...]

    @property
    def new(self) -> Decimal:
        return sum((period.amount for period in self.periods), ZERO)


@dataclass(frozen=True)
class ClaimSplit:
    on: date
    principal_by_item: dict[int, Decimal]
    interest_booked: Decimal  # in the claim ledger and not paid
    interest_new: tuple[NewInterest, ...]  # from where the ledger has it up to `on`
    fees: Decimal
    court_fees_booked: Decimal
    step_court_fee: Decimal | None  # None: the rates file lacks the figure
    paid: Decimal

    @property
    def principal(self) -> Decimal:
        return sum(self.principal_by_item.values(), ZERO)

    @property
    def interest_since(self) -> Decimal:
        return sum((row.new for row in self.interest_new), ZERO)

    @property
    def interest(self) -> Decimal:
        return self.interest_booked + self.interest_since

    @property
    def costs(self) -> Decimal:
        return self.court_fees_booked + (self.step_court_fee or ZERO)

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fees + self.costs


def claim_split(
    *, facts: CaseFacts, on: date, rules: Rules, step_court_fee: Decimal | None
) -> ClaimSplit:
    by_kind = dict(
        ClaimEntry.objects.filter(case_id=facts.case_id)
        .order_by()
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    fees_claimed = sum((by_kind.get(kind) or ZERO for kind in FEE_KINDS), ZERO)
    court_claimed = by_kind.get(EntryKind.COURT_FEE) or ZERO
    costs_paid = max(fees_claimed + court_claimed - facts.costs_due, ZERO)
    fees = max(fees_claimed - costs_paid, ZERO)
    return ClaimSplit(
        on=on,
        principal_by_item={i.item.item_id: max(i.principal_due, ZERO) for i in facts.items},
        interest_booked=max(facts.interest_due, ZERO),
        interest_new=tuple(_interest_since(item, on, rules) for item in facts.items),
        fees=fees,
        court_fees_booked=max(facts.costs_due - fees, ZERO),
        step_court_fee=step_court_fee,
        paid=-(by_kind.get(EntryKind.PAYMENT) or ZERO),
    )


def _interest_since(item, on: date, rules: Rules) -> NewInterest:
    """As the planner brings interest up to a payment's day: on the principal still owed,
    from the day after the ledger's last interest (or the due date) to `on`."""
    base = max(item.principal_due, ZERO)
    start = max(item.interest_until, item.item.due_date)
    periods = interest_breakdown(base, start, on, rules=rules) if on > start else ()
    return NewInterest(
        item_id=item.item.item_id,
        base=base,
        booked_until=start,
        periods=tuple(p for p in periods if p.days),
    )
