"""Rows for the support page tests, built directly in one organisation's scope."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from debt_collection.models import (
    Case,
    Delivery,
    DeliveryStatus,
    Document,
    VoucherPosting,
    VoucherStatus,
)
from integrations.crypto import encrypt_json
from integrations.models import Credential, Integration, IntegrationStatus, SyncRun, SyncStatus
from kredin.models import AuditEvent
from kredin.tenancy import organization_scope
from ledger.models import Customer, OpenItem

ACCESS_TOKEN = "access-token-never-shown-4711"
REFRESH_TOKEN = "refresh-token-never-shown-0815"


def integration_with_credential(organization, *, visma_company_id: int = 4455667) -> Integration:
    with organization_scope(organization):
        integration = Integration.objects.create(
            status=IntegrationStatus.MUST_RECONNECT,
            visma_company_id=visma_company_id,
            company_name="Rørfirma Regnskap AS",
            last_error_code="unreachable",
            last_error_params={"attempts": 3},
        )
        Credential.objects.create(
            integration=integration,
            token_ciphertext=encrypt_json(
                {"access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN}
            ),
            access_expires_at=timezone.now() + timedelta(minutes=30),
        )
    return integration


def customer_item_and_case(
    organization,
    *,
    n: int = 0,
    integration: Integration | None = None,
    invoice_no: str | None = None,
    kid: str | None = None,
    case_number: int | None = None,
    name: str | None = None,
):
    """A customer, an invoice and a case on it, with a failed letter and a failed voucher."""
    with organization_scope(organization):
        customer = Customer.objects.create(
            integration=integration,
            external_id=str(50000 + n),
            customer_no=50000 + n,
            name=name or f"Skyldner {n} AS",
        )
        item = OpenItem.objects.create(
            integration=integration,
            customer=customer,
            external_id=f"9:{n}",
            invoice_no=invoice_no or str(70000 + n),
            kid=kid or f"{8800000000 + n}",
            amount=Decimal("1200.00"),
            outstanding=Decimal("1200.00"),
            due_date=timezone.localdate() - timedelta(days=40),
        )
        case = Case.objects.create(
            number=case_number or 900 + n,
            customer=customer,
            current_step="reminder",
            started_on=timezone.localdate(),
        )
        document = Document.objects.create(
            case=case, step="reminder", planned_for=timezone.localdate(), content={}
        )
        Delivery.objects.create(
            document=document,
            channel="email",
            provider="smtp",
            recipient=f"skyldner{n}@example.no",
            status=DeliveryStatus.BOUNCED,
            error="550 mailbox unavailable",
        )
        if integration is not None:
            VoucherPosting.objects.create(
                case=case,
                integration=integration,
                key=f"KRD{organization.pk:04d}{n:05d}",
                customer_no=customer.customer_no,
                voucher_date=timezone.localdate(),
                costs=Decimal("35.00"),
                interest=Decimal("4.10"),
                status=VoucherStatus.FAILED,
                error_code="refused",
                error="Account 3900 is closed",
            )
            SyncRun.objects.create(
                integration=integration,
                kind="incremental",
                trigger="schedule",
                status=SyncStatus.FAILED,
                error_code="unreachable",
                error_params={"attempts": 3},
            )
    AuditEvent.objects.create(
        organization=organization,
        actor_label="agent@kredin.no",
        action="support.sync_rerun",
        details={"reason": f"Kunden ringte om synk {n}"},
    )
    return customer, item, case
