"""Register cache (public data, shared by all organisations) and per-customer enrichment state.

Customers, their overrides and their field history belong to the ledger; everything
enrichment knows about a customer lives here, and the fields it changes go through the
ledger's one field-change writer.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from brreg.errors import REGISTER_ERRORS
from kredin.tenancy import TenantModel


class EntryKind(models.TextChoices):
    ENHET = "enhet", _("Hovedenhet")
    UNDERENHET = "underenhet", _("Underenhet")


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("Aktiv")
    DELETED = "deleted", _("Slettet")
    REMOVED = "removed", _("Fjernet fra registeret")
    UNKNOWN = "unknown", _("Ukjent i registeret")


class RegisterEntry(models.Model):
    """What the register said about one organisation number, and when we asked."""

    orgnr = models.CharField(max_length=9, unique=True)
    kind = models.CharField(max_length=10, choices=EntryKind.choices, default=EntryKind.ENHET)
    status = models.CharField(max_length=8, choices=EntryStatus.choices)
    # The register's JSON as received; emptied for removed units (Brreg asks copies to purge).
    payload = models.JSONField(default=dict, blank=True)
    name = models.CharField(max_length=255, blank=True)
    organization_form = models.CharField(max_length=10, blank=True)
    parent_orgnr = models.CharField(max_length=9, blank=True)
    bankrupt = models.BooleanField(default=False)
    under_liquidation = models.BooleanField(default=False)
    under_compulsory_dissolution = models.BooleanField(default=False)
    deleted_on = models.DateField(null=True, blank=True)
    fetched_at = models.DateTimeField()
    # Last time the entry was known to be current: fetched, or covered by the update feed.
    verified_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "register entries"

    def __str__(self) -> str:
        return f"{self.orgnr} {self.name}".strip()


class FeedCursor(models.Model):
    """How far the update feed (oppdateringer/enheter) has been read."""

    feed = models.CharField(max_length=20, unique=True, default="enheter")
    last_update_id = models.BigIntegerField(null=True, blank=True)
    # Entries fetched after this moment are kept current by the feed.
    covered_since = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.feed} @ {self.last_update_id}"


class RegisterMode(models.TextChoices):
    REGISTER = "register", _("Bruk Brønnøysundregisteret")
    LEDGER_ONLY = "ledger_only", _("Bare opplysninger fra regnskapet")


class RegisterSettings(TenantModel):
    """How one organisation uses the register; edited on the integration's settings page.

    See brreg/services.py for what each option does to customers.
    """

    mode = models.CharField(
        _("kundeopplysninger"),
        max_length=12,
        choices=RegisterMode.choices,
        default=RegisterMode.REGISTER,
    )
    fetch_addresses = models.BooleanField(
        _("hent kundeadresser fra Brønnøysundregisteret"), default=True
    )
    update_on_exact_match = models.BooleanField(
        _("endre kundetype og adresser ved eksakt treff"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "register settings"
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="one_register_settings_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.mode}"

    @property
    def uses_register(self) -> bool:
        return self.mode == RegisterMode.REGISTER


class MatchStatus(models.TextChoices):
    EXACT = "exact", _("Eksakt treff")
    NO_VALID_ORGNR = "no_valid_orgnr", _("Mangler gyldig organisasjonsnummer")
    NOT_FOUND = "not_found", _("Ikke funnet i registeret")
    DELETED = "deleted", _("Slettet i registeret")
    REMOVED = "removed", _("Fjernet fra registeret")
    PENDING_RETRY = "pending_retry", _("Venter på nytt forsøk")
    DISABLED = "disabled", _("Registeroppslag er slått av")


class CustomerEnrichment(TenantModel):
    customer = models.OneToOneField(
        "ledger.Customer", on_delete=models.CASCADE, related_name="enrichment"
    )
    match = models.CharField(max_length=16, choices=MatchStatus.choices)
    orgnr = models.CharField(max_length=9, blank=True)
    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_sub_unit = models.BooleanField(default=False)
    bankrupt = models.BooleanField(default=False)
    under_liquidation = models.BooleanField(default=False)
    under_compulsory_dissolution = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    # The register's spelling of the name, for letters.
    letter_name = models.CharField(max_length=255, blank=True)
    last_enriched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_after = models.DateTimeField(null=True, blank=True)
    # When the register last failed to answer for this customer (kept after a success, so
    # support's health page can count failed lookups over a day).
    last_failed_at = models.DateTimeField(null=True, blank=True)
    # Why the last lookup failed, as a code from brreg/errors.py.
    last_error_code = models.CharField(max_length=40, blank=True)
    last_error_params = models.JSONField(default=dict, blank=True)
    # Set once the debtor's distress flags have been notified, cleared when they go away.
    flags_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "match"]),
            models.Index(fields=["orgnr"]),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.match}"

    @property
    def last_error(self) -> str:
        return REGISTER_ERRORS.message(self.last_error_code, self.last_error_params)

    @property
    def has_flags(self) -> bool:
        return any(
            (
                self.bankrupt,
                self.under_liquidation,
                self.under_compulsory_dissolution,
                self.deleted,
                self.removed,
            )
        )
