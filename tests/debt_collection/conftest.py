"""Fixtures for collections: an organisation with overdue invoices and settings to run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from debt_collection.models import CollectionSettings
from kredin.tenancy import organization_scope
from tests.factories import CustomerFactory, OpenItemFactory
from tests.integrations.conftest import (  # noqa: F401  (fixtures for the dispatch tests)
    fast_client_retries,
    sandbox_company,
    sandbox_integration,
)


@pytest.fixture
def collections(alice_org):
    """Alice's organisation in scope, with automatic collection and sender details."""
    with organization_scope(alice_org):
        CollectionSettings.objects.create(
            autopilot="automatic",
            sender_name="Alice Rørlegger AS",
            sender_address="Rørveien 1",
            sender_post_code="0150",
            sender_city="Oslo",
            sender_organization_number=alice_org.organization_number,
            bank_account="15030012345",
            sender_email="post@alice.example",
        )
        yield alice_org


def invoice(*, customer=None, due: date, amount: str = "10000.00", **extra):
    """An open invoice in the organisation in scope."""
    customer = customer or CustomerFactory(name="Bergen Bygg AS")
    return OpenItemFactory(
        customer=customer,
        due_date=due,
        voucher_date=due.replace(day=1),
        amount=Decimal(amount),
        kid=extra.pop("kid", "1234567890"),
        **extra,
    )


def pay(item, amount: str | None = None) -> None:
    """The mirror shows a payment, as a sync would after the bank file is read."""
    paid = item.outstanding if amount is None else Decimal(amount)
    item.outstanding = item.outstanding - paid
    if item.outstanding <= 0:
        item.status = "settled"
    item.save(update_fields=["outstanding", "status"])


@pytest.fixture
def debtor(sandbox_integration, alice_org, settings, monkeypatch):  # noqa: F811
    """A sandbox customer with a 10 000 kr invoice 40 days overdue, mirrored, and a case
    started on it with the purring and its fee (no letters sent, the register not asked).
    The organisation books fee and interest income to the sandbox's 3900 and 8050."""
    from debt_collection.tasks import document_dispatch_task
    from tests.debt_collection.paying import (
        book_income_to_sandbox_accounts,
        collect_with_reminder_first,
        debtor_with_overdue_invoice,
    )

    settings.BRREG_API_URL = "http://127.0.0.1:9/enhetsregisteret/api"
    monkeypatch.setattr(document_dispatch_task, "delay", lambda *args: None)
    collect_with_reminder_first(alice_org)
    book_income_to_sandbox_accounts(sandbox_integration.integration)
    found = debtor_with_overdue_invoice(sandbox_integration)
    found.day()
    return found
