"""Money on a case: what the mirrored ledger shows was received, and how it is shared out.

Plain Python over the planner's facts (no database). The ledger never says "this payment
was for the fee"; it only shows invoices going down and credit balances appearing. So:

- received = what the case's invoices went down by (less what credit notes took off)
  + what Kredin's own voucher lines on the case were paid by
  + the customer's credit balance (an overpayment Business NXT could not match);
- a credit note takes principal off the claim, it is not money;
- what was received and is not yet in the claim ledger is shared in the legal order
  (rules.allocate_payment: costs, interest, principal), interest first brought up to the
  day; the principal share goes to the oldest invoice first.

The fee and interest shares are what a voucher then books as income in Business NXT.
A payment that ends the case (paid, or short by a tiny remainder written off) pays the
principal first: Business NXT closed the invoices with it, so only what is left over is
income, and what is written off is the additions; the customer's balance there comes out
at zero either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from debt_collection.rules import ClaimBalance, ClaimPart, Rules, allocate_payment

ZERO = Decimal("0.00")
# A closing payment: principal first, interest written off before fees.
CLOSING_ORDER = (ClaimPart.PRINCIPAL, ClaimPart.COSTS, ClaimPart.INTEREST)


@dataclass(frozen=True)
class Share:
    part: str  # PaymentPart value: costs, interest, principal, overpaid
    amount: Decimal
    item_id: int | None = None  # the invoice a principal share pays


@dataclass(frozen=True)
class ItemDue:
    item_id: int
    principal: Decimal  # still owed on the invoice by the claim ledger


def shares_of(
    *,
    amount: Decimal,
    costs: Decimal,
    interest: Decimal,
    items: list[ItemDue],
    on: date,
    rules: Rules,
    order: tuple[ClaimPart, ...] | None = None,
) -> tuple[Share, ...]:
    """`amount` shared over the claim's parts in the legal order (or `order`); what is
    left is overpaid."""
    principal = sum((item.principal for item in items), ZERO)
    allocation = allocate_payment(
        balance=ClaimBalance(
            costs=max(costs, ZERO), interest=max(interest, ZERO), principal=max(principal, ZERO)
        ),
        amount=amount,
        on=on,
        rules=rules,
        order=order,
    )
    shares = []
    if allocation.costs:
        shares.append(Share("costs", allocation.costs))
    if allocation.interest:
        shares.append(Share("interest", allocation.interest))
    left = allocation.principal
    for item in items:
        if left <= ZERO:
            break
        paid = min(left, max(item.principal, ZERO))
        if paid > ZERO:
            shares.append(Share("principal", paid, item.item_id))
            left -= paid
    if allocation.overpayment:
        shares.append(Share("overpaid", allocation.overpayment))
    return tuple(shares)


def share_total(shares: tuple[Share, ...], *parts: str) -> Decimal:
    return sum((share.amount for share in shares if share.part in parts), ZERO)
