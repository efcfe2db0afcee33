"""Sandbox state: Visma Connect principals and grants, and the Business NXT company tables.

Column names follow Django style; the GraphQL layer (sandbox/nxt/tables.py) maps them to the
camelCase API identifiers. Dates that Business NXT represents as ``yyyymmdd`` integers are stored
as integers so filters and sorting behave exactly as the API's (0 = no date).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.hashers import check_password, make_password
from django.db import models

# --- Visma Connect ------------------------------------------------------------------------


class SandboxUser(models.Model):
    """A Visma Connect identity (not a Kredin user)."""

    sub = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200)
    password = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.email

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return check_password(raw, self.password)


class VismaCustomer(models.Model):
    """A Visma.net customer (the Visma Connect tenant) owning one or more companies."""

    customer_no = models.IntegerField(unique=True)
    name = models.CharField(max_length=200)
    users = models.ManyToManyField(SandboxUser, related_name="customers", blank=True)
    service_clients = models.ManyToManyField(
        "ConnectClient", related_name="service_customers", blank=True
    )

    def __str__(self) -> str:
        return f"{self.customer_no} {self.name}"


class VismaCompany(models.Model):
    """A Business NXT company, addressed by its Visma.net company id in ``useCompany(no:)``."""

    company_no = models.IntegerField(unique=True)
    customer = models.ForeignKey(VismaCustomer, on_delete=models.CASCADE, related_name="companies")
    name = models.CharField(max_length=200)
    organization_number = models.CharField(max_length=20, blank=True)
    next_audit_no = models.IntegerField(default=1)
    next_journal_no = models.IntegerField(default=1)
    next_batch_no = models.IntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.company_no} {self.name}"


class ConnectClient(models.Model):
    client_id = models.CharField(max_length=100, unique=True)
    client_secret = models.CharField(max_length=200, blank=True)
    redirect_uris = models.TextField(blank=True, help_text="One per line; empty accepts any.")
    access_token_lifetime = models.IntegerField(default=3600)
    refresh_grace_seconds = models.IntegerField(default=5)
    refresh_token_lifetime_days = models.IntegerField(default=30)

    def __str__(self) -> str:
        return self.client_id

    def registered_redirect_uris(self) -> list[str]:
        return [line.strip() for line in self.redirect_uris.splitlines() if line.strip()]

    def accepts_redirect_uri(self, uri: str) -> bool:
        allowed = self.registered_redirect_uris()
        return not allowed or uri in allowed


class SigningKey(models.Model):
    """The RSA key that signs tokens, kept in the DB so every server process shares it."""

    kid = models.CharField(max_length=40, unique=True)
    private_pem = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.kid)


class Grant(models.Model):
    """What a user (or a service client) consented to; revoking it kills its refresh tokens."""

    client = models.ForeignKey(ConnectClient, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(SandboxUser, on_delete=models.CASCADE, null=True, blank=True)
    tenant = models.ForeignKey(VismaCustomer, on_delete=models.SET_NULL, null=True, blank=True)
    scope = models.TextField()
    nonce = models.CharField(max_length=200, blank=True)
    revoked = models.BooleanField(default=False)
    # When it was revoked (by the client over RFC 7009, a replayed code or a test switch).
    revoked_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.scope)


class AuthorizationCode(models.Model):
    code = models.CharField(max_length=100, unique=True)
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE)
    redirect_uri = models.TextField()
    code_challenge = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField()
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return str(self.redirect_uri)


class RefreshToken(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="refresh_tokens")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # The token pair handed out when this token was exchanged, replayed during the grace window.
    successor_response = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.token_hash)


# --- Business NXT company tables -------------------------------------------------------------


class CompanyRow(models.Model):
    company = models.ForeignKey(VismaCompany, on_delete=models.CASCADE)
    created_timestamp = models.DateTimeField()
    changed_timestamp = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Associate(CompanyRow):
    associate_no = models.IntegerField()
    customer_no = models.IntegerField(default=0)
    supplier_no = models.IntegerField(default=0)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100, blank=True)
    company_no = models.CharField(max_length=20, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    post_code = models.CharField(max_length=10, blank=True)
    postal_area = models.CharField(max_length=100, blank=True)
    country_no = models.IntegerField(default=0)
    email_address = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    mobile_phone = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "associate_no"], name="sbx_assoc_no")
        ]
        indexes = [models.Index(fields=["company", "customer_no"])]


class CustomerTransaction(CompanyRow):
    """Customer ledger rows; ``openCustomerEntry`` is the subset with outstanding != 0."""

    voucher_journal_no = models.IntegerField()
    audit_no = models.IntegerField()
    customer_no = models.IntegerField()
    voucher_no = models.IntegerField(default=0)
    voucher_date = models.IntegerField(default=0)
    value_date = models.IntegerField(default=0)
    due_date = models.IntegerField(default=0)
    invoice_no = models.CharField(max_length=40, blank=True)
    text = models.CharField(max_length=200, blank=True)
    cid = models.CharField(max_length=40, blank=True)
    currency = models.CharField(max_length=3, default="NOK")
    currency_no = models.IntegerField(default=0)
    amount_domestic = models.DecimalField(max_digits=16, decimal_places=2)
    amount_in_currency = models.DecimalField(max_digits=16, decimal_places=2)
    outstanding_amount_domestic = models.DecimalField(max_digits=16, decimal_places=2)
    outstanding_amount_in_currency = models.DecimalField(max_digits=16, decimal_places=2)
    credited_amount_domestic = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    paid_date = models.IntegerField(default=0)
    paid_status = models.IntegerField(default=0)
    voucher_type = models.IntegerField(default=0)
    debt_collection_case_no = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "audit_no"], name="sbx_ct_audit")]
        indexes = [
            models.Index(fields=["company", "voucher_journal_no", "audit_no"]),
            models.Index(fields=["company", "customer_no", "invoice_no"]),
        ]


class GeneralLedgerTransaction(CompanyRow):
    """General-ledger postings: one row per general-ledger side of a posted voucher line.

    The sign carries the side, as in Visma Business: a debit is positive, a credit negative
    (not confirmed by the public docs). Customer sides go to CustomerTransaction instead.
    """

    voucher_journal_no = models.IntegerField()
    audit_no = models.IntegerField()
    account_no = models.IntegerField()
    batch_no = models.IntegerField(default=0)
    voucher_no = models.IntegerField(default=0)
    voucher_date = models.IntegerField(default=0)
    value_date = models.IntegerField(default=0)
    voucher_type = models.IntegerField(default=0)
    text = models.CharField(max_length=200, blank=True)
    invoice_no = models.CharField(max_length=40, blank=True)
    customer_no = models.IntegerField(default=0)
    currency_no = models.IntegerField(default=0)
    amount_domestic = models.DecimalField(max_digits=16, decimal_places=2)
    amount_in_currency = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "audit_no"], name="sbx_glt_audit")
        ]
        indexes = [
            models.Index(fields=["company", "voucher_journal_no", "audit_no"]),
            models.Index(fields=["company", "account_no"]),
        ]


class GeneralLedgerAccount(CompanyRow):
    account_no = models.IntegerField()
    name = models.CharField(max_length=200)
    account_type = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "account_no"], name="sbx_gla_no")]


class VoucherSeries(CompanyRow):
    voucher_series_no = models.IntegerField()
    name = models.CharField(max_length=200)
    first_voucher_no = models.IntegerField()
    last_voucher_no = models.IntegerField()
    next_voucher_no = models.IntegerField()


class Batch(CompanyRow):
    batch_no = models.IntegerField()
    voucher_series_no = models.IntegerField(default=0)
    value_date = models.IntegerField(default=0)
    # Posted batches leave the batch list, as updated batches do in Business NXT.
    posted = models.BooleanField(default=False)
    voucher_journal_no = models.IntegerField(default=0)


class Voucher(CompanyRow):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="vouchers")
    line_no = models.IntegerField()
    voucher_no = models.IntegerField(default=0)
    voucher_date = models.IntegerField(default=0)
    value_date = models.IntegerField(default=0)
    due_date = models.IntegerField(default=0)
    voucher_type = models.IntegerField(default=0)
    debit_account_no = models.IntegerField(default=0)
    debit_account_type = models.IntegerField(default=0)
    credit_account_no = models.IntegerField(default=0)
    credit_account_type = models.IntegerField(default=0)
    amount_domestic = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    customer_no = models.IntegerField(default=0)
    invoice_no = models.CharField(max_length=40, blank=True)
    text = models.CharField(max_length=200, blank=True)
    cid = models.CharField(max_length=40, blank=True)


# --- Test switches ----------------------------------------------------------------------------


class Fault(models.Model):
    """A fault injected for one company; each affected request consumes one of ``remaining``.

    ``operation`` aims it at one operation (empty: any request for the company); ``phase`` says
    whether it strikes before the request runs or after its mutation has committed.
    """

    class Kind(models.TextChoices):
        HTTP_500 = "http_500"
        HTTP_504 = "http_504"
        HTTP_429 = "http_429"
        TIMEOUT = "timeout"
        SLOW = "slow"
        DUPLICATE_PAGE = "duplicate_page"

    class Phase(models.TextChoices):
        BEFORE = "before"
        AFTER_COMMIT = "after_commit"

    company_no = models.IntegerField(db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    remaining = models.IntegerField(default=1)
    delay_ms = models.IntegerField(default=0)
    # A mutation field (batch_create, voucher_create, batch_delete), a processing (updateBatch),
    # a table field, or the GraphQL operation's name; empty matches every request.
    operation = models.CharField(max_length=100, blank=True, default="")
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.BEFORE)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.kind)
