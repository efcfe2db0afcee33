"""The one way a customer's fields change: in bulk, with their history, never over a user.

Three sources change customers: the ledger (each sync), the register (enrichment) and a
person (an override on the customer page). All of them collect their changes in a
`CustomerFieldWriter` and `flush()` it once: one UPDATE for every changed row and column,
one INSERT for the history. A field a person has overridden keeps their value: the ledger
and the register may propose another, and the writer passes it over.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from ledger.bulk import bulk_update_rows
from ledger.models import ChangeSource, Customer, CustomerFieldChange, CustomerOverride

# Fields a person may set by hand (and so the ones the history speaks of).
OVERRIDABLE_FIELDS = (
    "name",
    "organization_number",
    "customer_type",
    "address_line1",
    "address_line2",
    "post_code",
    "city",
    "country",
)


def customer_overrides(*, customer_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """customer id → {field: value} of everything set by hand, for the customers named."""
    found: dict[int, dict[str, str]] = {}
    rows = CustomerOverride.objects.filter(customer_id__in=list(customer_ids)).values_list(
        "customer_id", "field", "value"
    )
    for customer_id, name, value in rows:
        found.setdefault(customer_id, {})[name] = value
    return found


class CustomerFieldWriter:
    """Collects field changes for many customers; writes them in one go with `flush()`."""

    def __init__(self, *, organization_id: int, overrides: dict[int, dict[str, str]]) -> None:
        self.organization_id = organization_id
        self.overrides = overrides
        self._changed: dict[int, Customer] = {}
        self._fields: set[str] = set()
        self._history: list[CustomerFieldChange] = []

    @classmethod
    def for_customers(
        cls, *, organization_id: int, customer_ids: Iterable[int]
    ) -> CustomerFieldWriter:
        return cls(
            organization_id=organization_id,
            overrides=customer_overrides(customer_ids=customer_ids),
        )

    def overridden(self, customer: Customer) -> dict[str, str]:
        return self.overrides.get(customer.pk, {})

    def set(
        self, customer: Customer, name: str, value: str, *, source: str, changed_by=None
    ) -> bool:
        """Change one field and remember why; False when nothing changed or a person's
        value stands in the way."""
        if source != ChangeSource.USER and name in self.overridden(customer):
            return False
        old = getattr(customer, name)
        if (old or "") == (value or ""):
            return False
        setattr(customer, name, value)
        self.touch(customer, name)
        self._history.append(
            CustomerFieldChange(
                organization_id=self.organization_id,
                customer=customer,
                field=name,
                old_value=old or "",
                new_value=value or "",
                source=source,
                changed_by=changed_by,
            )
        )
        return True

    def touch(self, customer: Customer, *names: str) -> None:
        """Write these columns too, without history (bookkeeping such as `ledger_data`)."""
        self._changed[customer.pk] = customer
        self._fields.update(names)

    @property
    def changed_count(self) -> int:
        return len(self._changed)

    @transaction.atomic
    def flush(self) -> int:
        """Write everything collected; returns how many customers changed."""
        changed = list(self._changed.values())
        bulk_update_rows(
            Customer, changed, sorted(self._fields), organization_id=self.organization_id
        )
        CustomerFieldChange.objects.bulk_create(self._history, batch_size=1000)
        count = len(changed)
        self._changed, self._fields, self._history = {}, set(), []
        return count
