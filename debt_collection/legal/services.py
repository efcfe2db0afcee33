"""Drafting, editing and signing legal documents.

A draft is made only when the guardrails allow the step today (rules.check_step on the
case's history, objections included) and the claim ledger holds everything the mirror
shows; its content is computed once, stored, and laid out with an empty signature block.
Signing asks for the password again (and the second factor where the person has one),
checks the rules once more, renders the final PDF with the signature block and records who,
when, from where and the SHA-256 of the stored bytes. Editing a signed document voids its
signature. A signed pre-suit notice goes to the debtor through the letter dispatch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from debt_collection.legal.claim import claim_split
from debt_collection.legal.content import legal_content
from debt_collection.legal.models import (
    AttachmentKind,
    LegalAttachment,
    LegalDocument,
    LegalSignature,
    LegalStatus,
    VoidReason,
)
from debt_collection.legal.notifications import signature_awaited_notify
from debt_collection.legal.render import invoice_copy_pdf, legal_pdf, signature_block
from debt_collection.legal.selectors import (
    DRAFTABLE,
    case_facts,
    case_history,
    content_sha256,
    enforcement_notice,
    legal_steps,
    signature_state,
    standing_signature,
    step_verdict,
)
from debt_collection.legal.signing import signer_confirm
from debt_collection.letters.render import LetterError, document_pdf
from debt_collection.models import Case, ClaimEntry, Document, DocumentStatus, TimelineEvent
from debt_collection.planning import reason_text
from debt_collection.rules import Step, StepCode, catalogue_for
from debt_collection.selectors import collection_rules, reader_language
from debt_collection.services.cases import case_plan
from kredin.audit import audit_record, client_ip
from kredin.models import Membership
from kredin.permissions import Permission
from kredin.services import require_permission

S = StepCode
BOOKKEEPING = ("record_payment", "record_credit", "close")


class LegalError(Exception):
    """What the rules or the document's state refuse; the message is for the person."""


def _require(membership: Membership, permission: Permission) -> None:
    require_permission(membership, membership.organization, permission)


def _event(case: Case, kind: str, on: date, membership: Membership | None, **params) -> None:
    TimelineEvent.objects.create(
        case=case, on=on, actor=membership.user if membership else None, kind=kind, params=params
    )


# --- what a step needs before it may be drafted or signed ------------------------------------


@dataclass(frozen=True)
class Grounds:
    """Why the step may be taken today, and what its content is made from."""

    step: Step
    facts: Any  # planning.CaseFacts
    verdict: Any  # rules.Verdict
    notice: Document | None = None
    pre_suit_letter: Document | None = None


def _ledger_mark(case: Case) -> dict[str, int]:
    """A fingerprint of the claim ledger: a payment or credit booked later changes it."""
    found = ClaimEntry.objects.filter(case=case).aggregate(count=Count("pk"), last=Max("pk"))
    return {"entries": found["count"] or 0, "last_entry_id": found["last"] or 0}


def legal_grounds(*, case: Case, step: StepCode, on: date, deadline: date | None = None) -> Grounds:
    """Everything that must hold for `step` on `on`, or LegalError saying what does not."""
    if step not in DRAFTABLE:
        raise LegalError(_("Kredin lager ikke utkast til dette steget."))
    if not case.is_open:
        raise LegalError(_("Saken er avsluttet."))
    facts = case_facts(case=case, on=on)
    if facts is None:
        raise LegalError(_("Saken har ingen åpne fakturaer."))
    pending = [a for a in case_plan(case=case, on=on) if a.kind in BOOKKEEPING]
    if pending:
        raise LegalError(
            _(
                "Reskontroen viser innbetalinger eller kreditnotaer som ikke er ført i saken "
                "ennå. Kredin fører dem ved neste kjøring; lag dokumentet etter det."
            )
        )
    history = case_history(facts=facts)
    if step not in legal_steps(case=case, history=history, on=on):
        if step == S.ENFORCEMENT_REQUEST and S.PRE_SUIT_NOTICE in legal_steps(
            case=case, history=history, on=on
        ):
            raise LegalError(
                _(
                    "Kravet er bestridt: det kan ikke begjæres utlegg. Send prosessvarsel, og ta "
                    "saken til forliksrådet."
                )
            )
        raise LegalError(_("Dette steget hører ikke til sakens vei nå."))
    verdict = step_verdict(history=history, step=step, on=on, deadline=deadline)
    if not verdict.allowed:
        lang = reader_language()
        raise LegalError(" ".join(reason_text(reason, lang=lang) for reason in verdict.reasons))
    found = catalogue_for(on=on, rules=collection_rules()).step(step)
    notice = pre_suit_letter = None
    if step == S.ENFORCEMENT_REQUEST:
        notice = enforcement_notice(case=case)
        if notice is None:
            raise LegalError(
                _("Varselet etter tvangsfullbyrdelsesloven § 4-18 er ikke registrert som sendt.")
            )
    if step == S.CONCILIATION_COMPLAINT:
        pre_suit_letter = (
            Document.objects.filter(case=case, step=str(S.PRE_SUIT_NOTICE))
            .exclude(status__in=[DocumentStatus.CANCELLED, DocumentStatus.UNDELIVERED])
            .order_by("-planned_for", "-pk")
            .first()
        )
    return Grounds(
        step=found, facts=facts, verdict=verdict, notice=notice, pre_suit_letter=pre_suit_letter
    )


def _identity_problem(*, case: Case, content: dict[str, Any], step: StepCode) -> str:
    debtor = content["debtor"]
    if step not in (S.ENFORCEMENT_REQUEST, S.BANKRUPTCY_NOTICE):
        return ""
    if debtor["is_business"] and not debtor["organization_number"]:
        return _(
            "Skyldneren har ikke et gyldig organisasjonsnummer i reskontroen eller registeret. "
            "Rett det i Business NXT før utkastet lages."
        )
    if not debtor["is_business"] and not debtor["national_id"]:
        return _("Skriv inn skyldnerens fødselsnummer.")
    return ""


# --- drafting -------------------------------------------------------------------------------


def _content(*, case: Case, grounds: Grounds, on: date, details: dict[str, Any]) -> dict:
    deadline = date.fromisoformat(details["deadline"]) if details.get("deadline") else None
    if grounds.step.code == S.BANKRUPTCY_NOTICE:
        deadline = grounds.verdict.deadline
    fee = grounds.verdict.fee
    split = claim_split(
        facts=grounds.facts,
        on=on,
        rules=collection_rules(),
        step_court_fee=fee.court_fee if fee else None,
    )
    content = legal_content(
        case=case,
        step=grounds.step,
        on=on,
        details=details,
        split=split,
        rules=collection_rules(),
        deadline=deadline,
        notice=grounds.notice,
        pre_suit_letter=grounds.pre_suit_letter,
    )
    content["basis"] = _ledger_mark(case)
    problem = _identity_problem(case=case, content=content, step=grounds.step.code)
    if problem:
        raise LegalError(problem)
    return content


def _file_name(document: LegalDocument, suffix: str) -> str:
    number = document.content.get("case_number", document.case_id)
    return (
        f"{document.organization_id}/S{number}-{document.pk}-{document.step}"
        f"-v{document.version}-{suffix}.pdf"
    )


def _attach(*, document: LegalDocument, grounds: Grounds) -> None:
    """Copies of the basis (each invoice) and of the notice, stored and listed in the content."""
    old = list(document.attachments.all())
    if old:
        files = [attachment.pdf for attachment in old]
        document.attachments.all().delete()
        transaction.on_commit(lambda: [file.delete(save=False) for file in files])
    if document.step == S.PRE_SUIT_NOTICE:
        document.content["attachments"] = []
        return
    pieces: list[tuple[str, str, bytes]] = []
    for item in document.content["items"]:
        pdf = invoice_copy_pdf(content=document.content, item=item)
        title = _("Kopi av faktura %(number)s (fra reskontroen)") % {"number": item["invoice_no"]}
        pieces.append((AttachmentKind.INVOICE_COPY, title, pdf))
    basis_letter = grounds.notice or grounds.pre_suit_letter
    if basis_letter is not None:
        try:
            pdf = document_pdf(document=basis_letter)
        except LetterError as error:
            raise LegalError(
                _("Brevet som skal legges ved, kan ikke hentes: %(why)s") % {"why": error}
            ) from error
        kind = (
            AttachmentKind.ENFORCEMENT_NOTICE if grounds.notice else AttachmentKind.PRE_SUIT_NOTICE
        )
        title = _("%(title)s, sendt %(date)s") % {
            "title": basis_letter.content.get("title", ""),
            "date": basis_letter.planned_for.strftime("%d.%m.%Y"),
        }
        pieces.append((kind, title, pdf))
    listed = []
    for position, (kind, title, pdf) in enumerate(pieces, start=1):
        attachment = LegalAttachment(
            organization_id=document.organization_id,
            document=document,
            position=position,
            kind=kind,
            title=title[:200],
            file_name=f"{position + 1:02d}-{kind}.pdf",
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        )
        attachment.pdf.save(_file_name(document, f"a{position}"), ContentFile(pdf), save=False)
        attachment.save()
        listed.append(
            {
                "position": position,
                "kind": str(kind),
                "title": attachment.title,
                "file_name": attachment.file_name,
                "sha256": attachment.pdf_sha256,
            }
        )
    document.content["attachments"] = listed


def _render_draft(document: LegalDocument, step: Step) -> None:
    try:
        pdf = legal_pdf(content=document.content, step=step, signature=None)
    except LetterError as error:
        raise LegalError(str(error)) from error
    document.pdf.save(_file_name(document, "utkast"), ContentFile(pdf), save=False)
    document.pdf_sha256 = hashlib.sha256(pdf).hexdigest()


def legal_draft_create(
    *,
    case: Case,
    step: StepCode,
    membership: Membership,
    details: dict[str, Any],
    on: date,
    request: HttpRequest | None = None,
) -> LegalDocument:
    """A new draft awaiting signature; those who may sign are told."""
    _require(membership, Permission.WORK_CASES)
    step = StepCode(step)
    if LegalDocument.objects.filter(case=case, step=str(step)).exists():
        raise LegalError(_("Det finnes allerede et utkast til dette steget i saken."))
    deadline = date.fromisoformat(details["deadline"]) if details.get("deadline") else None
    grounds = legal_grounds(case=case, step=step, on=on, deadline=deadline)
    with transaction.atomic():
        content = _content(case=case, grounds=grounds, on=on, details=details)
        document = LegalDocument.objects.create(
            organization_id=case.organization_id,
            case=case,
            step=str(step),
            drafted_on=on,
            deadline=date.fromisoformat(content["deadline"]) if content["deadline"] else None,
            details=details,
            content=content,
            created_by=membership.user,
        )
        _attach(document=document, grounds=grounds)
        _render_draft(document, grounds.step)
        document.save(update_fields=["content", "pdf", "pdf_sha256"])
        _event(case, "legal_drafted", on, membership, step=str(step), version=document.version)
        audit_record(
            action="collections.legal_drafted",
            organization=membership.organization,
            actor=membership.user,
            target=document,
            details={"step": str(step), "version": document.version},
            request=request,
        )
        signature_awaited_notify(document=document)
    return document


def _void(
    *,
    signature: LegalSignature,
    reason: VoidReason,
    membership: Membership | None,
    on: date,
    request: HttpRequest | None,
) -> None:
    signature.voided_at = timezone.now()
    signature.void_reason = reason
    signature.voided_by = membership.user if membership else None
    signature.save(update_fields=["voided_at", "void_reason", "voided_by"])
    document = signature.document
    _event(document.case, f"legal_voided_{reason}", on, membership, step=document.step)
    audit_record(
        action="collections.legal_signature_voided",
        organization=membership.organization if membership else None,
        actor=membership.user if membership else None,
        target=document,
        details={"reason": str(reason), "signature": signature.pk, "version": signature.version},
        request=request,
    )


def legal_draft_update(
    *,
    document: LegalDocument,
    membership: Membership,
    details: dict[str, Any],
    on: date,
    request: HttpRequest | None = None,
) -> LegalDocument:
    """The draft made again from today's claim and the new details. A signature it had is
    void from now on (recorded), and the document awaits a signature again."""
    _require(membership, Permission.WORK_CASES)
    if document.status == LegalStatus.SENT:
        raise LegalError(_("Dokumentet er sendt og kan ikke endres."))
    step = StepCode(document.step)
    deadline = date.fromisoformat(details["deadline"]) if details.get("deadline") else None
    grounds = legal_grounds(case=document.case, step=step, on=on, deadline=deadline)
    with transaction.atomic():
        locked = (
            LegalDocument.objects.select_for_update().select_related("case").get(pk=document.pk)
        )
        if locked.status == LegalStatus.SENT:
            raise LegalError(_("Dokumentet er sendt og kan ikke endres."))
        standing = standing_signature(document=locked)
        if standing is not None:
            _void(
                signature=standing,
                reason=VoidReason.EDITED,
                membership=membership,
                on=on,
                request=request,
            )
        locked.content = _content(case=locked.case, grounds=grounds, on=on, details=details)
        locked.version += 1
        locked.details, locked.drafted_on = details, on
        locked.deadline = (
            date.fromisoformat(locked.content["deadline"]) if locked.content["deadline"] else None
        )
        locked.status = LegalStatus.AWAITING_SIGNATURE
        _attach(document=locked, grounds=grounds)
        _render_draft(locked, grounds.step)
        locked.save()
        _event(
            locked.case, "legal_redrafted", on, membership, step=locked.step, version=locked.version
        )
        audit_record(
            action="collections.legal_redrafted",
            organization=membership.organization,
            actor=membership.user,
            target=locked,
            details={"step": locked.step, "version": locked.version},
            request=request,
        )
        signature_awaited_notify(document=locked)
    return locked


# --- signing ------------------------------------------------------------------------------------


def attachments_intact(*, document: LegalDocument) -> bool:
    """Every attachment the content lists is stored with the bytes it was listed with."""
    stored = {a.position: a for a in document.attachments.all()}
    for listed in document.content.get("attachments", []):
        attachment = stored.get(listed["position"])
        if attachment is None or attachment.pdf_sha256 != listed["sha256"]:
            return False
        try:
            with attachment.pdf.open("rb") as handle:
                if hashlib.sha256(handle.read()).hexdigest() != listed["sha256"]:
                    return False
        except (OSError, ValueError):
            return False
    return True


def still_true(*, document: LegalDocument, on: date) -> None:
    """The rules still allow the step today, and the claim is what the draft says."""
    grounds_deadline = document.deadline if document.step == S.PRE_SUIT_NOTICE else None
    legal_grounds(
        case=document.case, step=StepCode(document.step), on=on, deadline=grounds_deadline
    )
    if document.content.get("basis") != _ledger_mark(document.case):
        raise LegalError(
            _(
                "Kravet er endret siden utkastet ble laget (en innbetaling eller en ny post). "
                "Oppdater utkastet før det signeres."
            )
        )
    if not attachments_intact(document=document):
        raise LegalError(_("Et vedlegg stemmer ikke lenger med utkastet. Oppdater utkastet."))


def legal_document_sign(
    *,
    document: LegalDocument,
    membership: Membership,
    password: str,
    otp_token: str = "",
    request: HttpRequest,
    on: date,
) -> LegalSignature:
    """Sign as the member: raises PermissionDenied, SigningRefused or LegalError."""
    _require(membership, Permission.SIGN_LEGAL_DOCUMENTS)
    if document.status == LegalStatus.SENT:
        raise LegalError(_("Dokumentet er allerede signert og sendt."))
    if signature_state(document=document).valid:
        raise LegalError(_("Dokumentet er allerede signert."))
    second_factor = signer_confirm(
        membership=membership,
        password=password,
        otp_token=otp_token,
        request=request,
        target=document,
    )
    user = membership.user
    with transaction.atomic():
        locked = (
            LegalDocument.objects.select_for_update().select_related("case").get(pk=document.pk)
        )
        if locked.version != document.version:
            raise LegalError(
                _("Utkastet ble endret mens du signerte. Se over det og signer igjen.")
            )
        still_true(document=locked, on=on)
        broken = standing_signature(document=locked)
        if broken is not None:
            _void(
                signature=broken,
                reason=VoidReason.PDF_CHANGED,
                membership=membership,
                on=on,
                request=request,
            )
        step = catalogue_for(on=locked.drafted_on, rules=collection_rules()).step(
            StepCode(locked.step)
        )
        signed_at = timezone.now()
        name = user.full_name or user.email
        try:
            pdf = legal_pdf(
                content=locked.content,
                step=step,
                signature=signature_block(name=name, email=user.email, signed_at=signed_at),
            )
        except LetterError as error:
            raise LegalError(str(error)) from error
        signature = LegalSignature(
            organization_id=locked.organization_id,
            document=locked,
            version=locked.version,
            signer=user,
            signer_name=name[:200],
            signer_email=user.email,
            signed_at=signed_at,
            ip_address=client_ip(request),
            second_factor=second_factor,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            content_sha256=content_sha256(locked.content),
        )
        signature.pdf.save(_file_name(locked, "signert"), ContentFile(pdf), save=False)
        signature.save()
        locked.status = LegalStatus.SIGNED
        locked.save(update_fields=["status", "updated_at"])
        _event(
            locked.case,
            "legal_signed",
            on,
            membership,
            step=locked.step,
            signer=name,
            version=locked.version,
        )
        audit_record(
            action="collections.legal_signed",
            organization=membership.organization,
            actor=user,
            target=locked,
            details={
                "step": locked.step,
                "version": locked.version,
                "pdf_sha256": signature.pdf_sha256,
                "second_factor": second_factor,
            },
            request=request,
        )
        if locked.step == S.PRE_SUIT_NOTICE:
            _send_to_debtor(
                document=locked, signature=signature, pdf=pdf, on=on, membership=membership
            )
    document.refresh_from_db()
    return signature


def _send_to_debtor(
    *,
    document: LegalDocument,
    signature: LegalSignature,
    pdf: bytes,
    on: date,
    membership: Membership,
) -> None:
    """The signed notice as a letter of the case, its PDF the signed bytes, dispatched after
    the commit like every other letter (the ledger is checked again before it goes)."""
    from debt_collection.tasks import document_dispatch_task

    content = dict(document.content)
    amounts = content["amounts"]
    # In the shape of a letter's amounts (the e-mail and the letter page read them): the
    # principal is what is still owed, so nothing paid is taken off again.
    content["amounts"] = {
        **amounts,
        "earlier_charges": str(Decimal(amounts["fees"]) + Decimal(amounts["costs"])),
        "fee": "0.00",
        "compensation": "0.00",
        "paid": "0.00",
    }
    letter = Document.objects.create(
        organization_id=document.organization_id,
        case=document.case,
        step=document.step,
        status=DocumentStatus.READY,
        planned_for=on,
        deadline=document.deadline,
        content=content,
        created_by=membership.user,
    )
    letter.pdf.save(
        f"{document.organization_id}/S{document.case.number}-{letter.pk}-{letter.step}.pdf",
        ContentFile(pdf),
        save=False,
    )
    letter.pdf_sha256 = signature.pdf_sha256
    letter.save(update_fields=["pdf", "pdf_sha256"])
    document.letter, document.status = letter, LegalStatus.SENT
    document.save(update_fields=["letter", "status", "updated_at"])
    _event(
        document.case,
        "letter_planned",
        on,
        membership,
        step=letter.step,
        document=letter.pk,
        deadline=letter.deadline.isoformat() if letter.deadline else "",
    )
    organization_id, letter_id = document.organization_id, letter.pk
    transaction.on_commit(lambda: document_dispatch_task.delay(organization_id, letter_id))


def minimum_deadline_days(*, step: StepCode, on: date) -> int:
    found = catalogue_for(on=on, rules=collection_rules()).step(step)
    days = found.minimum_deadline_days(on=on, rules=collection_rules()) if found else None
    return days or 14


def default_deadline(*, step: StepCode, on: date) -> date:
    return on + timedelta(days=minimum_deadline_days(step=step, on=on))
