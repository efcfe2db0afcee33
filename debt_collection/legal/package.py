"""The signed document as one ZIP for filing: the signed PDF, the attachments, a manifest.

Only a document whose signature stands (this version, this content, the stored bytes still
hashing to what was recorded) is packaged, and only while the rules still allow the step.
The manifest gives each file's SHA-256 and the signature record, so whoever receives the
package can check it; the ZIP's entries carry the signing time, so packaging twice gives
the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _

from debt_collection.legal.models import LegalDocument, LegalSignature
from debt_collection.legal.selectors import signature_state, signed_pdf_bytes
from debt_collection.legal.services import LegalError, still_true
from debt_collection.legal.submission import SubmissionPackage
from kredin.audit import audit_record
from kredin.clock import OSLO
from kredin.models import Membership
from kredin.permissions import Permission
from kredin.services import require_permission

MANIFEST = "manifest.txt"


@dataclass(frozen=True)
class PackageFile:
    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _files(*, document: LegalDocument, signature: LegalSignature) -> list[PackageFile]:
    signed = signed_pdf_bytes(signature=signature)
    if signed is None:
        raise LegalError(_("Den signerte PDF-en stemmer ikke lenger med signaturen."))
    number = document.content.get("case_number", document.case_id)
    files = [PackageFile(f"01-{document.step}-S{number}-signert.pdf", signed)]
    for attachment in document.attachments.order_by("position"):
        with attachment.pdf.open("rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != attachment.pdf_sha256:
            raise LegalError(_("Et vedlegg stemmer ikke lenger med det signerte dokumentet."))
        files.append(PackageFile(attachment.file_name, data))
    return files


def manifest_text(
    *, document: LegalDocument, signature: LegalSignature, files: list[PackageFile]
) -> str:
    content = document.content
    signed_at = signature.signed_at.astimezone(OSLO)
    lines = [
        f"Kredin: {content.get('title', document.step)}",
        f"Sak: S-{content.get('case_number', '')}",
        f"Kreditor: {content['creditor'].get('name', '')} "
        f"(org.nr. {content['creditor'].get('organization_number', '')})",
        f"Skyldner: {content['debtor'].get('name', '')}",
        f"Dokumentversjon: {document.version}",
        f"Innholdets SHA-256: {signature.content_sha256}",
        "",
        "Signatur",
        f"  Signert av: {signature.signer_name} <{signature.signer_email}>",
        f"  Tidspunkt: {signed_at.isoformat()}",
        f"  IP-adresse: {signature.ip_address or 'ukjent'}",
        f"  Andre faktor: {'ja' if signature.second_factor else 'nei'}",
        "  Signert elektronisk i Kredin",
        "",
        "Filer (SHA-256, byte, navn)",
    ]
    lines += [f"  {file.sha256}  {len(file.data):>9}  {file.name}" for file in files]
    return "\n".join(lines) + "\n"


def package_build(*, document: LegalDocument, signature: LegalSignature) -> SubmissionPackage:
    files = _files(document=document, signature=signature)
    manifest = manifest_text(document=document, signature=signature, files=files)
    stamp = signature.signed_at.astimezone(OSLO).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*((f.name, f.data) for f in files), (MANIFEST, manifest.encode())]:
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
    number = document.content.get("case_number", document.case_id)
    return SubmissionPackage(
        file_name=f"S{number}-{document.step}-v{document.version}.zip",
        zip_bytes=buffer.getvalue(),
        document_sha256=signature.pdf_sha256,
        conciliation_if_objected=document.content.get("conciliation_if_objected"),
    )


def legal_package(
    *,
    document: LegalDocument,
    membership: Membership,
    on: date,
    request: HttpRequest | None = None,
) -> SubmissionPackage:
    """The ZIP, or LegalError: nothing unsigned, void or no longer allowed is packaged."""
    require_permission(membership, membership.organization, Permission.WORK_CASES)
    state = signature_state(document=document)
    if not state.valid:
        raise LegalError(
            _("Dokumentet er ikke signert.")
            if state.problem == "unsigned"
            else _("Signaturen er ugyldig: dokumentet er endret etter at det ble signert.")
        )
    if document.letter_id is None:
        still_true(document=document, on=on)
    package = package_build(document=document, signature=state.signature)
    audit_record(
        action="collections.legal_package_downloaded",
        organization=membership.organization,
        actor=membership.user,
        target=document,
        details={"version": document.version, "signature": state.signature.pk},
        request=request,
    )
    return package
