"""The mirrored reskontro: customers, open items and ledger transactions.

Rows are keyed by their identity in the accounting system, per organisation, so a sync
can upsert them in bulk and a repeated or out-of-order page changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kredin.tenancy import TenantModel


class CustomerType(models.TextChoices):
    BUSINESS = "business", _("Bedrift")
    PERSON = "person", _("Person")
    UNKNOWN = "unknown", _("Ukjent")


class Customer(TenantModel):
    integration = models.ForeignKey(
        "integrations.Integration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
    )
    # The customer number in the accounting system (Business NXT `customerNo`).
    external_id = models.CharField(max_length=64)
    customer_no = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(_("navn"), max_length=255)
    organization_number = models.CharField(_("organisasjonsnummer"), max_length=32, blank=True)
    customer_type = models.CharField(
        max_length=10, choices=CustomerType.choices, default=CustomerType.UNKNOWN
    )
    address_line1 = models.CharField(max_length=255, blank=True)
    address_line2 = models.CharField(max_length=255, blank=True)
    post_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True, default="NO")
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    # What the ledger itself said, kept apart from anything enrichment may later overwrite.
    ledger_data = models.JSONField(default=dict, blank=True)
    source_changed_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"], name="customer_unique_per_org"
            )
        ]
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    INVOICE = "invoice", _("Faktura")
    CREDIT_NOTE = "credit_note", _("Kreditnota")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    SETTLED = "settled", _("Oppgjort")
    # Still open in the ledger, but outside the integration's settings (kept, not shown).
    EXCLUDED = "excluded", _("Utenfor utvalg")


class OpenItem(TenantModel):
    """An invoice or credit note in the customer ledger, open or (since) settled."""

    integration = models.ForeignKey(
        "integrations.Integration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="open_items",
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="open_items")
    # Business NXT identity of the ledger row: "<voucherJournalNo>:<auditNo>".
    external_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=ItemKind.choices, default=ItemKind.INVOICE)
    invoice_no = models.CharField(_("fakturanummer"), max_length=64, blank=True)
    voucher_no = models.BigIntegerField(null=True, blank=True)
    voucher_date = models.DateField(_("bilagsdato"), null=True, blank=True)
    due_date = models.DateField(_("forfallsdato"), null=True, blank=True)
    kid = models.CharField(_("KID"), max_length=25, blank=True)
    currency = models.CharField(max_length=3, default="NOK")
    amount = models.DecimalField(_("beløp"), max_digits=14, decimal_places=2)
    outstanding = models.DecimalField(
        _("utestående"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    status = models.CharField(max_length=8, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    settled_at = models.DateTimeField(null=True, blank=True)
    text = models.CharField(max_length=255, blank=True)
    source_changed_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"], name="open_item_unique_per_org"
            )
        ]
        indexes = [
            # Covering: totals, aging buckets and customer counts read only the index.
            models.Index(
                fields=["organization", "status", "due_date"],
                include=["customer_id", "outstanding"],
                name="ledger_item_status_due",
            ),
            models.Index(
                fields=["organization", "status", "outstanding"], name="ledger_item_status_amount"
            ),
            models.Index(fields=["organization", "customer", "status"]),
            models.Index(fields=["organization", "invoice_no"]),
            # Support's search looks an invoice number or a KID up across organisations.
            models.Index(fields=["invoice_no"], name="ledger_item_invoice_no"),
            models.Index(fields=["kid"], condition=~models.Q(kid=""), name="ledger_item_kid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.invoice_no}"


class TransactionKind(models.TextChoices):
    INVOICE = "invoice", _("Faktura")
    PAYMENT = "payment", _("Innbetaling")
    CREDIT_NOTE = "credit_note", _("Kreditnota")
    OTHER = "other", _("Annet")


class LedgerTransaction(TenantModel):
    """Every posting on a customer: the history behind the open items."""

    integration = models.ForeignKey(
        "integrations.Integration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transactions",
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="transactions")
    external_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=TransactionKind.choices)
    invoice_no = models.CharField(max_length=64, blank=True)
    voucher_no = models.BigIntegerField(null=True, blank=True)
    voucher_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    outstanding = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, default="NOK")
    text = models.CharField(max_length=255, blank=True)
    source_changed_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"], name="ledger_tx_unique_per_org"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "customer", "voucher_date"]),
            models.Index(fields=["organization", "invoice_no"]),
        ]


class ChangeSource(models.TextChoices):
    LEDGER = "ledger", _("Regnskapet")
    REGISTER = "register", _("Brønnøysundregisteret")
    USER = "user", _("Bruker")


class CustomerFieldChange(TenantModel):
    """One change to a customer field, by whoever made it: the ledger, the register, a user."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="field_changes"
    )
    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=ChangeSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "customer", "-created_at"], name="customer_history_recent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value!r} → {self.new_value!r} ({self.source})"


class CustomerOverride(TenantModel):
    """A value a user set by hand; it wins over the ledger and the register until removed."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="overrides"
    )
    field = models.CharField(max_length=40)
    value = models.TextField(blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "field"], name="one_override_per_field")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}.{self.field} = {self.value!r}"
