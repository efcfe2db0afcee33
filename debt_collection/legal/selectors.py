"""Reads for legal steps: what a case may have drafted today, and whether a signature holds.

The steps and their guardrail verdicts come from the same rules the planner uses
(`rules.check_step` on the case's history, the debtor's objections included); the history
is the planner's own (`autopilot.facts` → `planning.history_of`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import QuerySet

from debt_collection.autopilot.facts import organization_facts
from debt_collection.legal.models import LegalDocument, LegalSignature, LegalStatus
from debt_collection.models import (
    BusinessRoute,
    Case,
    CaseState,
    Document,
    DocumentStatus,
    Objection,
)
from debt_collection.planning import CaseFacts, history_of, reason_text
from debt_collection.rules import CaseHistory, StepCode, Verdict, check_step
from debt_collection.rules import Objection as RulesObjection
from debt_collection.rules.formatting import step_title
from debt_collection.selectors import collection_rules, collection_settings_get

S = StepCode
DRAFTABLE = (
    S.ENFORCEMENT_REQUEST,
    S.PRE_SUIT_NOTICE,
    S.CONCILIATION_COMPLAINT,
    S.BANKRUPTCY_NOTICE,
)
# Filings go to an officer or a board as a package; the pre-suit notice goes to the debtor.
SENT_TO_DEBTOR = frozenset({S.PRE_SUIT_NOTICE})
ENFORCEMENT_NOTICES = (S.PAYMENT_DEMAND, S.FINAL_NOTICE_ENFORCEMENT)


def case_facts(*, case: Case, on: date) -> CaseFacts | None:
    """The planner's facts of this one open case (None once it is closed or has no items)."""
    facts = organization_facts(on=on, case_ids=[case.pk], with_free_items=False)
    return next((found for found in facts.cases if found.case_id == case.pk), None)


def case_history(*, facts: CaseFacts) -> CaseHistory:
    """The planner's history of the case, with the debtor's objections."""
    history = history_of(facts)
    if history.objections:
        return history
    rows = Objection.objects.filter(case_id=facts.case_id).values_list("raised_on", "withdrawn_on")
    objections = tuple(RulesObjection(raised_on=r, withdrawn_on=w) for r, w in rows)
    return replace(history, objections=objections)


def is_disputed(*, case: Case, history: CaseHistory, on: date) -> bool:
    return case.state == CaseState.OBJECTED or history.standing_objection(on) is not None


def legal_steps(*, case: Case, history: CaseHistory, on: date) -> tuple[StepCode, ...]:
    """What this case's route leads to: for a disputed claim the pre-suit notice and, once
    one went out, the conciliation-board complaint; else the bankruptcy notice for a
    business on that route, or the request for enforcement."""
    if is_disputed(case=case, history=history, on=on):
        sent_notice = any(letter.step == S.PRE_SUIT_NOTICE for letter in history.letters)
        return (
            (S.PRE_SUIT_NOTICE, S.CONCILIATION_COMPLAINT) if sent_notice else (S.PRE_SUIT_NOTICE,)
        )
    settings = collection_settings_get()
    if case.debtor_is_business and settings.business_route == BusinessRoute.BANKRUPTCY:
        return (S.BANKRUPTCY_NOTICE,)
    return (S.ENFORCEMENT_REQUEST,)


def step_verdict(
    *, history: CaseHistory, step: StepCode, on: date, deadline: date | None = None
) -> Verdict:
    return check_step(case=history, step=step, on=on, deadline=deadline, rules=collection_rules())


def enforcement_notice(*, case: Case) -> Document | None:
    """The latest § 4-18 notice of the case that went out (the enforcement basis's notice)."""
    return (
        Document.objects.filter(
            case=case, step__in=[str(s) for s in ENFORCEMENT_NOTICES], status=DocumentStatus.SENT
        )
        .order_by("-planned_for", "-pk")
        .first()
    )


# --- signatures --------------------------------------------------------------------------------


def content_sha256(content: dict) -> str:
    """The content's fingerprint: canonical JSON, so key order does not matter."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class SignatureState:
    signature: LegalSignature | None  # the standing one, if any
    problem: str = ""  # "" when valid; else unsigned, pdf_changed, content_changed

    @property
    def valid(self) -> bool:
        return self.signature is not None and not self.problem


def standing_signature(*, document: LegalDocument) -> LegalSignature | None:
    return document.signatures.filter(voided_at__isnull=True).select_related("signer").first()


def signature_state(*, document: LegalDocument) -> SignatureState:
    """Whether the document is signed as it stands: a signature of this version, over this
    content, whose stored PDF still has the recorded SHA-256."""
    signature = standing_signature(document=document)
    if signature is None:
        return SignatureState(signature=None, problem="unsigned")
    if signature.version != document.version or signature.content_sha256 != content_sha256(
        document.content
    ):
        return SignatureState(signature=signature, problem="content_changed")
    if signed_pdf_bytes(signature=signature) is None:
        return SignatureState(signature=signature, problem="pdf_changed")
    return SignatureState(signature=signature)


def signed_pdf_bytes(*, signature: LegalSignature) -> bytes | None:
    """The signed PDF as stored, or None when its bytes are gone or no longer match."""
    try:
        with signature.pdf.open("rb") as handle:
            pdf = handle.read()
    except (OSError, ValueError):
        return None
    return pdf if hashlib.sha256(pdf).hexdigest() == signature.pdf_sha256 else None


# --- pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalOption:
    step: StepCode
    title: str
    allowed: bool
    reasons: list[str]
    document: LegalDocument | None = None


@dataclass(frozen=True)
class LegalBlock:
    shown: bool
    options: list[LegalOption] = field(default_factory=list)
    documents: list[tuple[LegalDocument, SignatureState]] = field(default_factory=list)


def legal_case_block(*, case: Case, on: date, lang: str) -> LegalBlock:
    """The case page's "Rettslige skritt": what may be drafted now, the drafts and their state."""
    documents = list(LegalDocument.objects.filter(case=case).order_by("created_at", "pk"))
    states = [(document, signature_state(document=document)) for document in documents]
    if not documents and case.state not in (CaseState.LEGAL, CaseState.OBJECTED):
        return LegalBlock(shown=False)
    facts = case_facts(case=case, on=on) if case.is_open else None
    if facts is None:
        return LegalBlock(shown=True, documents=states)
    history = case_history(facts=facts)
    by_step = {document.step: document for document in documents}
    options = []
    for step in legal_steps(case=case, history=history, on=on):
        verdict = step_verdict(history=history, step=step, on=on)
        options.append(
            LegalOption(
                step=step,
                title=step_title(step, lang=lang),
                allowed=verdict.allowed,
                reasons=[reason_text(reason, lang=lang) for reason in verdict.reasons],
                document=by_step.get(str(step)),
            )
        )
    return LegalBlock(shown=True, options=options, documents=states)


def legal_documents_awaiting() -> QuerySet[LegalDocument]:
    """The organisation's documents waiting for a signature, oldest first."""
    return (
        LegalDocument.objects.filter(status=LegalStatus.AWAITING_SIGNATURE)
        .select_related("case", "case__customer", "created_by")
        .order_by("updated_at", "pk")
    )
