"""Register cache (public data, shared by all organisations) and per-customer enrichment state.

Customer and Integration belong to other apps; everything enrichment knows about a customer
lives here, so the ledger mirror stays what the ledger said plus the fields we write.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    last_error = models.TextField(blank=True)
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


class ChangeSource(models.TextChoices):
    LEDGER = "ledger", _("Regnskapet")
    REGISTER = "register", _("Brønnøysundregisteret")
    USER = "user", _("Bruker")


class CustomerFieldChange(TenantModel):
    customer = models.ForeignKey(
        "ledger.Customer", on_delete=models.CASCADE, related_name="field_changes"
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
        indexes = [models.Index(fields=["organization", "customer", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value!r} → {self.new_value!r} ({self.source})"


class CustomerOverride(TenantModel):
    """A value a user set by hand; it wins over the ledger and the register until removed."""

    customer = models.ForeignKey(
        "ledger.Customer", on_delete=models.CASCADE, related_name="overrides"
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
