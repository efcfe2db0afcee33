"""A person sets a customer field by hand: it wins over the ledger and the register."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kredin.audit import audit_record
from kredin.identifiers import validate_organization_number
from ledger.customer_fields import OVERRIDABLE_FIELDS, CustomerFieldWriter
from ledger.models import ChangeSource, Customer, CustomerOverride


def customer_override_clean(*, customer: Customer, field: str, value: Any) -> str:
    """The value as the model field would store it, or ValidationError in the field's words
    (its length, choices, e-mail format); an organisation number must also be a valid one."""
    if field not in OVERRIDABLE_FIELDS:
        raise ValueError(f"{field} cannot be overridden")
    text = "" if value is None else str(value).strip()
    cleaned = Customer._meta.get_field(field).clean(text, customer)
    if field == "organization_number" and cleaned:
        validate_organization_number(cleaned)
    return cleaned


@transaction.atomic
def customer_override_set(
    *, customer: Customer, field: str, value: Any, user
) -> tuple[CustomerOverride, str]:
    """Set the field by hand; returns the override and the value it replaced."""
    value = customer_override_clean(customer=customer, field=field, value=value)
    # The caller's instance may be stale; the history must show what was really replaced.
    current = Customer.objects.select_for_update().get(pk=customer.pk)
    old = getattr(current, field) or ""
    writer = CustomerFieldWriter(organization_id=customer.organization_id, overrides={})
    writer.set(current, field, value, source=ChangeSource.USER, changed_by=user)
    writer.flush()
    setattr(customer, field, value)
    override, _created = CustomerOverride.objects.update_or_create(
        customer=customer,
        field=field,
        defaults={"value": value, "set_by": user, "organization_id": customer.organization_id},
    )
    audit_record(
        action="ledger.customer_override_set",
        organization=customer.organization,
        actor=user,
        target=customer,
        details={"field": field, "old": old, "new": value},
    )
    return override, old


@transaction.atomic
def customer_override_remove(*, customer: Customer, field: str, user) -> bool:
    """Let the ledger and the register decide the field again (from the next sync on)."""
    deleted, _counts = CustomerOverride.objects.filter(customer=customer, field=field).delete()
    if deleted:
        audit_record(
            action="ledger.customer_override_removed",
            organization=customer.organization,
            actor=user,
            target=customer,
            details={"field": field},
        )
    return bool(deleted)
