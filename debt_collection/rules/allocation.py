"""Apply a part-payment to a claim's parts in order: by default costs, interest, principal.

No statute sets the order for an ordinary invoice: the new Debt Collection Act
(LOV-2026-05-22-19) § 16 only lets the debtor ask which order is used, and costs ->
interest -> principal is customary practice, not law. The order is therefore data
(`payment_allocation_order` in the rates file, marked unverified) and can be passed in
explicitly.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .loader import default_rules
from .money import ZERO, require_money
from .ruleset import Rules


class ClaimPart(enum.StrEnum):
    COSTS = "costs"  # fees, § 3a compensation, court fees
    INTEREST = "interest"
    PRINCIPAL = "principal"


@dataclass(frozen=True)
class ClaimBalance:
    costs: Decimal
    interest: Decimal
    principal: Decimal

    def __post_init__(self) -> None:
        for part in ClaimPart:
            if require_money(self.of(part), name=part.value) < 0:
                raise ValueError(f"{part.value} must not be negative")

    def of(self, part: ClaimPart) -> Decimal:
        return getattr(self, part.value)

    @property
    def total(self) -> Decimal:
        return self.costs + self.interest + self.principal


@dataclass(frozen=True)
class Allocation:
    costs: Decimal  # applied to each part
    interest: Decimal
    principal: Decimal
    overpayment: Decimal  # what the claim could not absorb, to be refunded or held
    remaining: ClaimBalance  # the claim after the payment

    def of(self, part: ClaimPart) -> Decimal:
        return getattr(self, part.value)


def allocate_payment(
    *,
    balance: ClaimBalance,
    amount: Decimal,
    on: date,
    order: Sequence[ClaimPart] | None = None,
    rules: Rules | None = None,
) -> Allocation:
    """Split `amount` paid on `on` over the parts of `balance`, first part in `order` first."""
    amount = require_money(amount, name="amount")
    if amount < 0:
        raise ValueError(f"a payment must not be negative, got {amount}")
    if order is None:
        rules = rules if rules is not None else default_rules()
        order = tuple(ClaimPart(name) for name in rules.allocation_order(on))
    if sorted(order) != sorted(ClaimPart):
        raise ValueError("order must name costs, interest and principal once each")
    left = amount
    applied: dict[ClaimPart, Decimal] = {}
    for part in order:
        share = min(left, balance.of(part))
        applied[part] = share
        left -= share
    remaining = ClaimBalance(**{part.value: balance.of(part) - applied[part] for part in ClaimPart})
    return Allocation(
        costs=applied[ClaimPart.COSTS] + ZERO,
        interest=applied[ClaimPart.INTEREST] + ZERO,
        principal=applied[ClaimPart.PRINCIPAL] + ZERO,
        overpayment=left + ZERO,
        remaining=remaining,
    )
