"""Changing how an organisation uses the register, and what a hand-set number sets off."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from brreg.models import RegisterMode, RegisterSettings
from brreg.selectors import register_settings_get
from kredin.audit import audit_record
from kredin.tenancy import current_organization_id
from ledger.models import Customer, CustomerOverride
from ledger.services import customer_override_set as ledger_customer_override_set


@dataclass(frozen=True)
class RegisterChoice:
    mode: str
    fetch_addresses: bool
    update_on_exact_match: bool

    @classmethod
    def of(cls, settings: RegisterSettings) -> RegisterChoice:
        return cls(settings.mode, settings.fetch_addresses, settings.update_on_exact_match)


@transaction.atomic
def register_settings_update(*, choice: RegisterChoice, user, request=None) -> bool:
    """Store the organisation's register settings; True when they changed.

    Without the register there is nothing to fetch or change from it, so ledger-only turns
    the other two off. A change re-enriches every customer once it is committed.
    """
    if choice.mode not in RegisterMode.values:
        raise ValueError(f"unknown register mode {choice.mode!r}")
    if choice.mode == RegisterMode.LEDGER_ONLY:
        choice = RegisterChoice(choice.mode, False, False)
    current = register_settings_get()
    old = RegisterChoice.of(current)
    if old == choice and current.pk is not None:
        return False
    current.mode = choice.mode
    current.fetch_addresses = choice.fetch_addresses
    current.update_on_exact_match = choice.update_on_exact_match
    current.save()
    if old != choice:
        audit_record(
            action="brreg.settings_changed",
            organization=current.organization,
            actor=user,
            details={
                name: {"old": str(getattr(old, name)), "new": str(getattr(choice, name))}
                for name in ("mode", "fetch_addresses", "update_on_exact_match")
                if getattr(old, name) != getattr(choice, name)
            },
            request=request,
        )
        _enrich_after_commit(customer_ids=None)
    return old != choice


def customer_override_set(*, customer: Customer, field: str, value: Any, user) -> CustomerOverride:
    """Set a field by hand (the ledger's service); a corrected organisation number is looked
    up in the register at once rather than at the next sync."""
    override, old = ledger_customer_override_set(
        customer=customer, field=field, value=value, user=user
    )
    if field == "organization_number" and old != override.value:
        _enrich_after_commit(customer_ids=[customer.pk])
    return override


def _enrich_after_commit(*, customer_ids: list[int] | None) -> None:
    from brreg.tasks import customers_enrich_task

    organization_id = current_organization_id()
    transaction.on_commit(lambda: customers_enrich_task.delay(organization_id, None, customer_ids))
