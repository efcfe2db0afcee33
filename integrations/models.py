"""Connections to accounting systems, their encrypted credentials and sync runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations.errors import INTEGRATION_ERRORS
from kredin.tenancy import TenantModel


class AccountingSystem(models.TextChoices):
    BUSINESS_NXT = "business_nxt", "Business NXT"


class IntegrationStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting_consent", _("Venter på godkjenning")
    CHOOSE_COMPANY = "choose_company", _("Velg firma")
    CONFIGURING = "configuring", _("Innstillinger")
    ACTIVE = "active", _("Aktiv")
    MUST_RECONNECT = "must_reconnect", _("Må kobles til på nytt")
    DISCONNECTED = "disconnected", _("Frakoblet")


class Integration(TenantModel):
    system = models.CharField(
        max_length=30, choices=AccountingSystem.choices, default=AccountingSystem.BUSINESS_NXT
    )
    status = models.CharField(
        max_length=20, choices=IntegrationStatus.choices, default=IntegrationStatus.AWAITING_CONSENT
    )
    # The company in the accounting system (Business NXT: vismaNetCompanyId).
    visma_company_id = models.BigIntegerField(_("Visma-firma-ID"), null=True, blank=True)
    company_name = models.CharField(_("firma"), max_length=255, blank=True)
    external_user = models.CharField(max_length=255, blank=True)

    # Settings from the wizard, changeable later.
    fetch_from_date = models.DateField(_("hent poster fra og med"), null=True, blank=True)
    days_past_due = models.PositiveSmallIntegerField(_("antall dager over forfall"), default=1)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    # Highest changedTimestamp seen in the accounting system, for incremental syncs.
    sync_watermark = models.CharField(max_length=40, blank=True)
    # The due-date cut-off used by the last successful sync.
    synced_due_cutoff = models.DateField(null=True, blank=True)
    # Why the integration last failed, as a code from integrations/errors.py.
    last_error_code = models.CharField(max_length=40, blank=True)
    last_error_params = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "system", "visma_company_id"],
                condition=models.Q(visma_company_id__isnull=False)
                & ~models.Q(status="disconnected"),
                name="one_live_integration_per_company",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_system_display()}: {self.company_name or '—'}"

    @property
    def is_active(self) -> bool:
        return self.status == IntegrationStatus.ACTIVE

    @property
    def last_error(self) -> str:
        return INTEGRATION_ERRORS.message(self.last_error_code, self.last_error_params)

    @property
    def awaits_activation(self) -> bool:
        """Still in the wizard: its settings page ends in "Lagre og aktiver"."""
        return self.activated_at is None


class PostingSettings(TenantModel):
    """Where voucher posting books fee and interest income in the integration's company,
    and the company's accounts as last read, so the settings page works while Business
    NXT does not answer."""

    integration = models.OneToOneField(
        Integration, on_delete=models.CASCADE, related_name="posting_settings"
    )
    fee_income_account = models.PositiveIntegerField(_("konto for gebyrinntekter"), null=True)
    interest_income_account = models.PositiveIntegerField(_("konto for renteinntekter"), null=True)
    # The voucher series (bilagsserie) the income vouchers are numbered in.
    voucher_series_no = models.PositiveIntegerField(
        _("bilagsserie for inntektsbilag"), null=True, blank=True
    )
    # [[account_no, name], ...] from the last successful read of the chart of accounts, and
    # [[series_no, name], ...] of the voucher series, read at the same time.
    account_choices = models.JSONField(default=list, blank=True)
    series_choices = models.JSONField(default=list, blank=True)
    accounts_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"posting settings of integration {self.integration_id}"


class Credential(TenantModel):
    """OAuth tokens for one integration, encrypted at rest (integrations/crypto.py).

    A row of its own so a refresh can lock it (SELECT ... FOR UPDATE) without
    blocking the integration's other updates.
    """

    integration = models.OneToOneField(
        Integration, on_delete=models.CASCADE, related_name="credential"
    )
    token_ciphertext = models.TextField()
    access_expires_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"credential for integration {self.integration_id}"


class SyncKind(models.TextChoices):
    FULL = "full", _("Full")
    INCREMENTAL = "incremental", _("Endringer")


class SyncStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Kjører")
    SUCCEEDED = "succeeded", _("Fullført")
    FAILED = "failed", _("Feilet")


class SyncTrigger(models.TextChoices):
    WIZARD = "wizard", _("Oppsett")
    SCHEDULE = "schedule", _("Automatisk")
    MANUAL = "manual", _("Manuelt")
    WEBHOOK = "webhook", _("Varsel fra regnskapet")
    SETTINGS = "settings", _("Endrede innstillinger")
    SUPPORT = "support", _("Kredin kundeservice")


class SyncRun(TenantModel):
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=12, choices=SyncKind.choices)
    trigger = models.CharField(max_length=10, choices=SyncTrigger.choices)
    status = models.CharField(max_length=10, choices=SyncStatus.choices, default=SyncStatus.QUEUED)
    phase = models.CharField(max_length=40, blank=True)
    total_steps = models.PositiveIntegerField(default=0)
    done_steps = models.PositiveIntegerField(default=0)
    customers_seen = models.PositiveIntegerField(default=0)
    items_seen = models.PositiveIntegerField(default=0)
    transactions_seen = models.PositiveIntegerField(default=0)
    items_created = models.PositiveIntegerField(default=0)
    items_updated = models.PositiveIntegerField(default=0)
    items_settled = models.PositiveIntegerField(default=0)
    # Why the run failed, as a code from integrations/errors.py.
    error_code = models.CharField(max_length=40, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "integration", "-created_at"])]

    @property
    def percent(self) -> int:
        if self.status == SyncStatus.SUCCEEDED:
            return 100
        if not self.total_steps:
            return 0
        return min(99, int(100 * self.done_steps / self.total_steps))

    @property
    def error(self) -> str:
        return INTEGRATION_ERRORS.message(self.error_code, self.error_params)

    @property
    def is_finished(self) -> bool:
        return self.status in (SyncStatus.SUCCEEDED, SyncStatus.FAILED)
