"""Legal documents: a draft with its stored content and PDF, its attachments, its signatures.

Imported at the bottom of debt_collection/models.py, so the app ("collections") owns these
tables like its others. A document is signed while it has a signature that is not void; a
signature is void once the document was edited after it, or once the stored signed PDF no
longer hashes to what was recorded (debt_collection.legal.selectors says which).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kredin.tenancy import TenantModel


class LegalStatus(models.TextChoices):
    AWAITING_SIGNATURE = "awaiting_signature", _("Venter på signatur")
    SIGNED = "signed", _("Signert")
    # The signed pre-suit notice was handed to the letter dispatch (a Document).
    SENT = "sent", _("Sendt til skyldneren")


class LegalDocument(TenantModel):
    """One legal step of one case: the enforcement request, the pre-suit notice, the
    conciliation-board complaint or the bankruptcy notice."""

    case = models.ForeignKey(
        "collections.Case", on_delete=models.CASCADE, related_name="legal_documents"
    )
    step = models.CharField(max_length=32)
    status = models.CharField(
        max_length=20, choices=LegalStatus.choices, default=LegalStatus.AWAITING_SIGNATURE
    )
    drafted_on = models.DateField()
    deadline = models.DateField(null=True, blank=True)
    # What the person entered on the draft form (identifiers, choices, texts).
    details = models.JSONField(default=dict, blank=True)
    content = models.JSONField()
    # The draft as laid out, with an empty signature block.
    pdf = models.FileField(upload_to="legal/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    # Counts the edits; a signature belongs to one version.
    version = models.PositiveIntegerField(default=1)
    # A signed pre-suit notice goes to the debtor as a letter of the case.
    letter = models.ForeignKey(
        "collections.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A draft is edited, never drafted twice: its signatures stay with it.
            models.UniqueConstraint(fields=["case", "step"], name="one_legal_document_per_step")
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"legal {self.step} of case {self.case_id} v{self.version}"


class AttachmentKind(models.TextChoices):
    INVOICE_COPY = "invoice_copy", _("Fakturakopi")
    ENFORCEMENT_NOTICE = "enforcement_notice", _("Varsel etter tvangsfullbyrdelsesloven § 4-18")
    PRE_SUIT_NOTICE = "pre_suit_notice", _("Prosessvarsel")


class LegalAttachment(TenantModel):
    """A copy attached to the document (the basis of the claim, the notice), kept with its
    hash so the package can prove it is what the signed document lists."""

    document = models.ForeignKey(
        LegalDocument, on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(max_length=200)
    file_name = models.CharField(max_length=120)
    pdf = models.FileField(upload_to="legal/")
    pdf_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.title}"


class VoidReason(models.TextChoices):
    EDITED = "edited", _("Dokumentet ble endret etter signering")
    PDF_CHANGED = "pdf_changed", _("Den lagrede PDF-en stemmer ikke med signaturen")


class LegalSignature(TenantModel):
    """Who signed which version, when, from where, and the SHA-256 of the signed PDF's
    exact stored bytes (and of the content it was laid out from)."""

    document = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="signatures")
    version = models.PositiveIntegerField()
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signer_name = models.CharField(max_length=200)
    signer_email = models.EmailField()
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    second_factor = models.BooleanField(default=False)
    pdf = models.FileField(upload_to="legal/")
    pdf_sha256 = models.CharField(max_length=64)
    content_sha256 = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=20, choices=VoidReason.choices, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(voided_at__isnull=True),
                name="one_standing_signature_per_document",
            )
        ]

    def __str__(self) -> str:
        return f"signature of {self.document_id} v{self.version} by {self.signer_email}"
