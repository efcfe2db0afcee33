"""factory_boy factories for the mirrored ledger and integrations.

Tenant models must be created inside `organization_scope(org)`; rows then belong to the
organisation in scope. For volume, build instances with `.build()` and bulk_create them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from integrations.models import (
    Integration,
    IntegrationStatus,
    SyncKind,
    SyncRun,
    SyncStatus,
    SyncTrigger,
)
from kredin.tenancy import current_organization_id
from ledger.models import (
    Customer,
    ItemKind,
    ItemStatus,
    LedgerTransaction,
    OpenItem,
    TransactionKind,
)


class TenantFactory(factory.django.DjangoModelFactory):
    organization_id = factory.LazyFunction(current_organization_id)

    class Meta:
        abstract = True


class IntegrationFactory(TenantFactory):
    class Meta:
        model = Integration

    status = IntegrationStatus.ACTIVE
    visma_company_id = factory.Sequence(lambda n: 1000 + n)
    company_name = factory.Sequence(lambda n: f"Firma {n} AS")
    activated_at = factory.LazyFunction(timezone.now)


class SyncRunFactory(TenantFactory):
    class Meta:
        model = SyncRun

    integration = factory.SubFactory(IntegrationFactory)
    kind = SyncKind.INCREMENTAL
    trigger = SyncTrigger.MANUAL
    status = SyncStatus.QUEUED


class CustomerFactory(TenantFactory):
    class Meta:
        model = Customer

    external_id = factory.Sequence(lambda n: str(10000 + n))
    customer_no = factory.LazyAttribute(lambda o: int(o.external_id))
    name = factory.Sequence(lambda n: f"Kunde {n} AS")


class OpenItemFactory(TenantFactory):
    class Meta:
        model = OpenItem

    customer = factory.SubFactory(CustomerFactory)
    external_id = factory.Sequence(lambda n: f"1:{n}")
    kind = ItemKind.INVOICE
    invoice_no = factory.Sequence(lambda n: str(20000 + n))
    voucher_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=44))
    due_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    amount = Decimal("1000.00")
    outstanding = factory.LazyAttribute(lambda o: o.amount)
    status = ItemStatus.OPEN


class LedgerTransactionFactory(TenantFactory):
    class Meta:
        model = LedgerTransaction

    customer = factory.SubFactory(CustomerFactory)
    external_id = factory.Sequence(lambda n: f"2:{n}")
    kind = TransactionKind.INVOICE
    invoice_no = factory.Sequence(lambda n: str(20000 + n))
    voucher_no = factory.Sequence(lambda n: 50000 + n)
    voucher_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=44))
    amount = Decimal("1000.00")
