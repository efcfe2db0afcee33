"""Collection cases: the claim ledger, the timeline, the letters, the settings.

A case holds one debtor's overdue items. What the debtor owes is never a stored total but
the sum of the case's append-only claim entries (principal, each fee, interest as of each
letter, payments, write-offs), each with the rule and source that produced it. What
happened is the append-only timeline. A letter is a Document whose full content (who,
what, how much, by when, to which account and KID) is computed once and stored, so what
was sent can always be shown again exactly as it was.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kredin.tenancy import TenantModel


class AutopilotMode(models.TextChoices):
    OFF = "off", _("Av: jeg starter og styrer sakene selv")
    SUGGEST = "suggest", _("Forslag: Kredin foreslår, jeg godkjenner")
    AUTOMATIC = "automatic", _("Automatisk: Kredin gjør det som er lov, hver dag")


class Sequence(models.TextChoices):
    FULL = "full", _("Hele løpet: påminnelse, purring, inkassovarsel, betalingsoppfordring")
    PAYMENT_REQUESTS = "payment_requests", _("Bare betalingsoppfordringer (påminnelse og purring)")


class BusinessRoute(models.TextChoices):
    ENFORCEMENT = "enforcement", _("Utlegg")
    BANKRUPTCY = "bankruptcy", _("Konkursveien")


class Channels(models.TextChoices):
    EMAIL = "email", _("E-post")
    POST = "post", _("Brev")
    BOTH = "both", _("Både e-post og brev")


class CollectionSettings(TenantModel):
    """How one organisation collects: the autopilot, the steps, the limits, the sender."""

    autopilot = models.CharField(
        _("autopilot"), max_length=10, choices=AutopilotMode.choices, default=AutopilotMode.OFF
    )
    sequence = models.CharField(
        _("løp"), max_length=20, choices=Sequence.choices, default=Sequence.FULL
    )
    use_friendly_reminder = models.BooleanField(_("send betalingspåminnelse først"), default=True)
    use_final_notice = models.BooleanField(
        _("send sistevarsel før rettslige skritt"), default=False
    )
    days_after_due = models.PositiveSmallIntegerField(
        _("dager etter forfall før første brev"),
        default=7,
        validators=[MaxValueValidator(365)],
    )
    days_between_steps = models.PositiveSmallIntegerField(
        _("dager etter en frist før neste brev"),
        default=0,
        validators=[MaxValueValidator(60)],
    )
    minimum_amount = models.DecimalField(
        _("minste beløp for å starte sak"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("100.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    business_route = models.CharField(
        _("rettslig skritt for bedrifter"),
        max_length=12,
        choices=BusinessRoute.choices,
        default=BusinessRoute.ENFORCEMENT,
    )
    channels = models.CharField(
        _("kanaler"), max_length=5, choices=Channels.choices, default=Channels.BOTH
    )
    remainder_note_percent = models.PositiveSmallIntegerField(
        _("restnota når så mange prosent er betalt"),
        default=85,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    interest_note = models.BooleanField(
        _("send rentenota når fakturaen er betalt, men ikke rentene"), default=False
    )
    tiny_remainder = models.DecimalField(
        _("lukk saken når restbeløpet er under"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("500"))],
    )
    sender_name = models.CharField(_("avsender"), max_length=200, blank=True)
    sender_address = models.CharField(_("adresse"), max_length=200, blank=True)
    sender_post_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    sender_city = models.CharField(_("poststed"), max_length=100, blank=True)
    sender_organization_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, blank=True
    )
    bank_account = models.CharField(_("kontonummer"), max_length=11, blank=True)
    sender_email = models.EmailField(_("e-post"), blank=True)
    sender_phone = models.CharField(_("telefon"), max_length=30, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    # Kredin's support staff can pause the autopilot (a runaway integration, a complaint
    # being looked into): while paused it keeps the books but sends nothing and starts
    # nothing, as if it were off. Set only through services.settings.autopilot_pause.
    autopilot_paused_at = models.DateTimeField(_("autopilot satt på pause"), null=True, blank=True)
    autopilot_paused_reason = models.TextField(_("begrunnelse for pausen"), blank=True)
    autopilot_paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("satt på pause av"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="one_collection_settings_per_org")
        ]

    def __str__(self) -> str:
        return f"collection settings of {self.organization_id}"


class CaseState(models.TextChoices):
    ACTIVE = "active", _("Aktiv")
    PAUSED = "paused", _("Pauset")
    OBJECTED = "objected", _("Innsigelse")
    LEGAL = "legal", _("Rettslig skritt mulig")
    CLOSED = "closed", _("Avsluttet")


class CloseReason(models.TextChoices):
    PAID = "paid", _("Betalt")
    TINY_REMAINDER = "tiny_remainder", _("Lite restbeløp avskrevet")
    WRITTEN_OFF = "written_off", _("Avskrevet")
    PRINCIPAL_PAID = "principal_paid", _("Fakturaen er betalt, renten er avskrevet")
    CREDITED = "credited", _("Kreditert")
    BY_USER = "by_user", _("Avsluttet av bruker")
    MERGED = "merged", _("Slått sammen med en annen sak")


class Case(TenantModel):
    number = models.PositiveIntegerField(_("saksnummer"))
    customer = models.ForeignKey("ledger.Customer", on_delete=models.PROTECT, related_name="cases")
    state = models.CharField(
        _("status"), max_length=10, choices=CaseState.choices, default=CaseState.ACTIVE
    )
    # The last step whose letter went out (a StepCode), empty before the first.
    current_step = models.CharField(max_length=32, blank=True)
    debtor_is_business = models.BooleanField(default=False)
    # The autopilot's last word on what comes next, for lists and filters (the case page
    # asks the planner itself).
    next_step = models.CharField(max_length=32, blank=True)
    next_on = models.DateField(null=True, blank=True)
    pause_reason = models.CharField(max_length=40, blank=True)
    pause_note = models.CharField(max_length=500, blank=True)
    paused_until = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.CharField(max_length=500, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="case_number_per_org")
        ]
        indexes = [
            models.Index(fields=["organization", "state"]),
            # Support's search finds a case number in every organisation.
            models.Index(fields=["number"], name="collections_case_number"),
        ]

    def __str__(self) -> str:
        return f"S-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state != CaseState.CLOSED


class CaseItem(TenantModel):
    """An open item in a case; `released_on` is set when the case closes or merges."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_items")
    open_item = models.ForeignKey(
        "ledger.OpenItem", on_delete=models.PROTECT, related_name="case_links"
    )
    principal = models.DecimalField(max_digits=14, decimal_places=2)
    added_on = models.DateField()
    released_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["open_item"],
                condition=models.Q(released_on__isnull=True),
                name="item_in_one_open_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} / {self.open_item_id}"


class EntryKind(models.TextChoices):
    PRINCIPAL = "principal", _("Hovedstol")
    FEE = "fee", _("Gebyr")
    COMPENSATION = "compensation", _("Kompensasjon (§ 3a)")
    INTEREST = "interest", _("Forsinkelsesrente")
    COURT_FEE = "court_fee", _("Rettsgebyr")
    PAYMENT = "payment", _("Innbetaling")
    WRITE_OFF = "write_off", _("Avskrevet")


# What the debtor owes grows with these kinds and shrinks with the others.
CLAIM_KINDS = frozenset(
    {
        EntryKind.PRINCIPAL,
        EntryKind.FEE,
        EntryKind.COMPENSATION,
        EntryKind.INTEREST,
        EntryKind.COURT_FEE,
    }
)


class PaymentPart(models.TextChoices):
    COSTS = "costs", _("Gebyrer og kompensasjon")
    INTEREST = "interest", _("Renter")
    PRINCIPAL = "principal", _("Hovedstol")
    OVERPAID = "overpaid", _("Overbetalt")


class ClaimEntry(TenantModel):
    """One line of the claim: amounts owed are positive, payments and write-offs negative."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=14, choices=EntryKind.choices)
    entry_date = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    open_item = models.ForeignKey(
        "ledger.OpenItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        "Document", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    rule = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=300, blank=True)
    # A payment's share, in the legal order: costs, interest, principal (or overpaid).
    part = models.CharField(max_length=12, choices=PaymentPart.choices, blank=True)
    # The voucher that books this share as income in Business NXT (costs and interest).
    voucher_posting = models.ForeignKey(
        "VoucherPosting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry_date", "id"]
        indexes = [models.Index(fields=["organization", "case"])]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.amount}"


class TimelineEvent(TenantModel):
    """Who or what did what to the case, when, and why (a code and parameters)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(auto_now_add=True)
    on = models.DateField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["organization", "case"])]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class DocumentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Forslag")
    READY = "ready", _("Klar til utsending")
    SENT = "sent", _("Sendt")
    UNDELIVERED = "undelivered", _("Ikke levert")
    CANCELLED = "cancelled", _("Trukket")


class Document(TenantModel):
    """A letter of a step, its content computed and stored when it was planned."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    step = models.CharField(max_length=32)
    status = models.CharField(
        max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.READY
    )
    planned_for = models.DateField()
    deadline = models.DateField(null=True, blank=True)
    content = models.JSONField()
    # Rendered once from `content`; the hash proves a later download is the same letter.
    pdf = models.FileField(upload_to="letters/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["planned_for", "id"]
        constraints = [
            # Planning twice on one day gives the same letter, never a second one.
            models.UniqueConstraint(
                fields=["case", "step", "planned_for"], name="one_letter_per_case_step_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.step} {self.planned_for}"


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Venter på godkjenning")
    APPROVED = "approved", _("Godkjent")
    DISMISSED = "dismissed", _("Avvist")
    EXPIRED = "expired", _("Utløpt")


class Proposal(TenantModel):
    """What the autopilot would do, waiting for a person (the "suggest" mode).

    Approving carries the action out as the automatic mode would, after checking the rules
    again on that day; `key` makes a second planning run of the same day propose nothing new.
    """

    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=20)
    planned_for = models.DateField()
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals"
    )
    customer = models.ForeignKey("ledger.Customer", on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["planned_for", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="one_proposal_per_key")
        ]

    def __str__(self) -> str:
        return self.key


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-post")
    POST = "post", _("Brevpost")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    HELD = "held", _("Venter")  # the ledger could not be checked; goes out once it can
    SENDING = "sending", _("Sendes")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Feilet")
    BOUNCED = "bounced", _("Avvist av mottaker")
    RETURNED = "returned", _("Returnert")
    STOPPED = "stopped", _("Stoppet")  # the invoice changed at the last moment: not sent
    # The worker stopped between handing the letter over and recording it: it may or may
    # not have gone out, so a person decides (never resent by itself).
    UNKNOWN = "unknown", _("Uavklart")


# Deliveries that did not reach the debtor: a letter with only these was not delivered.
UNDELIVERED = frozenset(
    {DeliveryStatus.FAILED, DeliveryStatus.BOUNCED, DeliveryStatus.RETURNED, DeliveryStatus.STOPPED}
)


class PrintBatch(TenantModel):
    """Letters for the post, merged into one PDF to print, fold and put in envelopes."""

    pdf = models.FileField(upload_to="print/")
    pdf_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    printed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"print batch {self.pk}"


class Delivery(TenantModel):
    """One letter by one channel. Written before anything is sent: the row, unique per
    letter and channel, is what keeps a retried task from sending a second time."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=5, choices=DeliveryChannel.choices)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    provider = models.CharField(max_length=30)
    recipient = models.CharField(max_length=500)
    message_id = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    return_reason = models.CharField(max_length=300, blank=True)
    print_batch = models.ForeignKey(
        PrintBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    # When the postal provider took the letter (in the print queue: waiting to be printed).
    handed_over_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "channel"], name="one_delivery_per_letter_channel"
            )
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.document} by {self.channel}: {self.status}"


# Every voucher line Kredin books starts with this, then the rest of its key.
VOUCHER_TEXT_PREFIX = "Kredin KRD"


class VoucherStatus(models.TextChoices):
    PENDING = "pending", _("I kø")
    POSTING = "posting", _("Bokføres")
    UNKNOWN = "unknown", _("Sjekkes")  # Business NXT may have it: read back, never resend
    POSTED = "posted", _("Bokført")
    FAILED = "failed", _("Feilet")


class VoucherPosting(TenantModel):
    """The outbox of a voucher booking received fees and interest as income in Business NXT.

    Written in the same transaction as the payment shares it books; `key` goes into the
    voucher's text, so Business NXT can always be asked whether it already has it.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="voucher_postings")
    integration = models.ForeignKey(
        "integrations.Integration", on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(max_length=16, unique=True)
    status = models.CharField(
        max_length=8, choices=VoucherStatus.choices, default=VoucherStatus.PENDING
    )
    customer_no = models.BigIntegerField()
    invoice_no = models.CharField(max_length=64, blank=True)
    voucher_date = models.DateField()
    costs = models.DecimalField(max_digits=14, decimal_places=2)
    interest = models.DecimalField(max_digits=14, decimal_places=2)
    # What it was booked with, from the posting settings at the time.
    fee_account = models.PositiveIntegerField(null=True, blank=True)
    interest_account = models.PositiveIntegerField(null=True, blank=True)
    voucher_series_no = models.PositiveIntegerField(null=True, blank=True)
    batch_no = models.PositiveIntegerField(null=True, blank=True)
    voucher_no = models.PositiveIntegerField(null=True, blank=True)
    journal_no = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    @property
    def total(self) -> Decimal:
        return self.costs + self.interest

    @property
    def text(self) -> str:
        """The voucher text in Business NXT: the key first, so a search finds it."""
        return f"Kredin {self.key} S-{self.case.number}"

    def __str__(self) -> str:
        return f"voucher {self.key}: {self.status}"


class ObjectionChannel(models.TextChoices):
    LETTER = "letter", _("Brev")
    EMAIL = "email", _("E-post")
    PHONE = "phone", _("Telefon")
    API = "api", _("API")
    OTHER = "other", _("Annet")


class Objection(TenantModel):
    """The debtor disputes the claim (innsigelse): on a whole case, or on one item.

    An objection on an item in an open case is registered on that case (the rules work per
    case); one on an item in no case keeps the item out of new cases while it stands.
    `rule` and `legal_basis` record what the catalogue in force said when it came in.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="objections"
    )
    open_item = models.ForeignKey(
        "ledger.OpenItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_on = models.DateField(_("mottatt"))
    received_via = models.CharField(
        _("mottatt via"), max_length=10, choices=ObjectionChannel.choices
    )
    text = models.TextField(_("innsigelsen"), max_length=4000)
    rule = models.CharField(max_length=40, blank=True)
    legal_basis = models.CharField(max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_note = models.CharField(max_length=500, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["raised_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(open_item__isnull=False),
                name="objection_on_case_or_item",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "case"]),
            models.Index(fields=["organization", "open_item"]),
        ]

    def __str__(self) -> str:
        return f"objection {self.pk} on {self.case_id or self.open_item_id}"

    @property
    def stands(self) -> bool:
        return self.withdrawn_on is None


class AcknowledgmentChannel(models.TextChoices):
    WRITTEN = "written", _("Skriftlig")
    EMAIL = "email", _("E-post")
    PHONE = "phone", _("Telefon")
    PAYMENT_PLAN = "payment_plan", _("Avtale om nedbetaling")
    OTHER = "other", _("Annet")


class Acknowledgment(TenantModel):
    """The debtor has acknowledged the claim (erkjennelse, foreldelsesloven § 14): on a
    whole case, or on one item.

    A new full limitation period runs from `acknowledged_on`; as the creditor records it,
    it counts even for a claim already past its limitation date (the debtor's acknowledgment
    of a time-barred claim is taken as renouncing the limitation). One on an item counts in
    every case that holds the item.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="acknowledgments"
    )
    open_item = models.ForeignKey(
        "ledger.OpenItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_on = models.DateField(_("erkjent"))
    how = models.CharField(_("hvordan"), max_length=12, choices=AcknowledgmentChannel.choices)
    note = models.CharField(_("notat"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["acknowledged_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(open_item__isnull=False),
                name="acknowledgment_on_case_or_item",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "case"]),
            models.Index(fields=["organization", "open_item"]),
        ]

    def __str__(self) -> str:
        return f"acknowledgment {self.pk} on {self.case_id or self.open_item_id}"


# The legal documents' tables live in their own module, owned by this app all the same.
from debt_collection.legal.models import (  # noqa: E402, F401
    AttachmentKind,
    LegalAttachment,
    LegalDocument,
    LegalSignature,
    LegalStatus,
    VoidReason,
)
