"""Rettslige skritt: drafting a legal document, its page and signing, its PDF and package,
and the organisation's list of documents awaiting a signature."""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from debt_collection.legal.forms import LegalDraftForm, SignForm, draft_initial
from debt_collection.legal.models import LegalDocument, LegalStatus
from debt_collection.legal.package import legal_package
from debt_collection.legal.selectors import (
    DRAFTABLE,
    legal_documents_awaiting,
    signature_state,
    signed_pdf_bytes,
)
from debt_collection.legal.services import (
    LegalError,
    legal_document_sign,
    legal_draft_create,
    legal_draft_update,
    legal_grounds,
    minimum_deadline_days,
)
from debt_collection.legal.signing import SigningRefused, SigningThrottled, has_second_factor
from debt_collection.rules import StepCode
from debt_collection.rules.formatting import step_title
from debt_collection.selectors import reader_language
from debt_collection.views.cases import CaseMixin
from kredin.clock import today_in_norway
from kredin.permissions import Permission
from kredin.views.base import OrganizationViewMixin


def document_url(document: LegalDocument, slug: str) -> str:
    return reverse(
        "collections:legal-document", kwargs={"org_slug": slug, "document_id": document.pk}
    )


def _form(*, step: StepCode, is_business: bool, data=None, initial=None) -> LegalDraftForm:
    on = today_in_norway()
    return LegalDraftForm(
        data,
        initial=initial,
        step=step,
        is_business=is_business,
        on=on,
        minimum_days=minimum_deadline_days(step=step, on=on),
    )


class LegalDraftCreateView(CaseMixin, View):
    """?step=enforcement_request (the default), pre_suit_notice, conciliation_complaint or
    bankruptcy_notice: the form the step needs, then the draft."""

    required_permission = Permission.WORK_CASES
    template_name = "collections/legal/draft_form.html"

    def _step(self, request) -> StepCode:
        try:
            step = StepCode(request.GET.get("step") or StepCode.ENFORCEMENT_REQUEST)
        except ValueError:
            raise Http404 from None
        if step not in DRAFTABLE:
            raise Http404
        return step

    def _page(self, request, form, *, step, problem="", status=200):
        return render(
            request,
            self.template_name,
            {
                "organization": self.organization,
                "case": self.case,
                "step": step,
                "title": step_title(step, lang=reader_language()),
                "form": form,
                "problem": problem,
                "action": f"{request.path}?step={step.value}",
            },
            status=status,
        )

    def get(self, request, org_slug, case_id):
        step = self._step(request)
        existing = LegalDocument.objects.filter(case=self.case, step=str(step)).first()
        if existing is not None:
            return redirect(
                "collections:legal-document-edit", org_slug=org_slug, document_id=existing.pk
            )
        problem = ""
        try:
            legal_grounds(case=self.case, step=step, on=today_in_norway())
        except LegalError as error:
            problem = str(error)
        form = _form(step=step, is_business=self.case.debtor_is_business)
        return self._page(request, form, step=step, problem=problem)

    def post(self, request, org_slug, case_id):
        step = self._step(request)
        form = _form(step=step, is_business=self.case.debtor_is_business, data=request.POST)
        if not form.is_valid():
            return self._page(request, form, step=step, status=400)
        try:
            document = legal_draft_create(
                case=self.case,
                step=step,
                membership=self.membership,
                details=form.details(),
                on=today_in_norway(),
                request=request,
            )
        except LegalError as error:
            return self._page(request, form, step=step, problem=str(error), status=409)
        messages.success(request, _("Utkastet er laget og venter på signatur."))
        return redirect(document_url(document, org_slug))


class LegalDocumentMixin(OrganizationViewMixin):
    document: LegalDocument

    def resolve_objects(self, *, document_id: int, **url_kwargs) -> None:
        self.document = get_object_or_404(
            LegalDocument.objects.select_related("case", "case__customer", "letter"),
            pk=document_id,
        )


class LegalDocumentView(LegalDocumentMixin, View):
    """The document: its state, its PDF, the sign form for those who may sign."""

    def get(self, request, org_slug, document_id):
        return render(request, "collections/legal/document.html", self.context(SignForm()))

    def context(self, sign_form) -> dict:
        document = self.document
        state = signature_state(document=document)
        may_sign = self.membership.has(Permission.SIGN_LEGAL_DOCUMENTS)
        return {
            "organization": self.organization,
            "membership": self.membership,
            "document": document,
            "case": document.case,
            "content": document.content,
            "notice_date": date.fromisoformat(document.content["notice"]["date"])
            if document.content.get("notice")
            else None,
            "title": step_title(document.step, lang=reader_language()),
            "state": state,
            "signatures": list(document.signatures.select_related("signer", "voided_by")),
            "attachments": list(document.attachments.all()),
            "may_edit": self.membership.has(Permission.WORK_CASES)
            and document.status != LegalStatus.SENT,
            "may_sign": may_sign and not state.valid and document.status != LegalStatus.SENT,
            "asks_second_factor": may_sign and has_second_factor(self.request.user),
            "sign_form": sign_form,
        }


class LegalDocumentEditView(LegalDocumentMixin, View):
    """Change the draft's details: the draft is made again from today's claim, and a
    signature it had is void."""

    required_permission = Permission.WORK_CASES

    def _page(self, request, form, *, problem="", status=200):
        document = self.document
        return render(
            request,
            "collections/legal/draft_form.html",
            {
                "organization": self.organization,
                "case": document.case,
                "document": document,
                "step": StepCode(document.step),
                "title": step_title(document.step, lang=reader_language()),
                "form": form,
                "problem": problem,
                "signed": signature_state(document=document).signature is not None,
                "action": request.path,
            },
            status=status,
        )

    def _form(self, data=None):
        return _form(
            step=StepCode(self.document.step),
            is_business=self.document.case.debtor_is_business,
            data=data,
            initial=None if data is not None else draft_initial(self.document.details),
        )

    def get(self, request, org_slug, document_id):
        if self.document.status == LegalStatus.SENT:
            messages.error(request, _("Dokumentet er sendt og kan ikke endres."))
            return redirect(document_url(self.document, org_slug))
        return self._page(request, self._form())

    def post(self, request, org_slug, document_id):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        try:
            legal_draft_update(
                document=self.document,
                membership=self.membership,
                details=form.details(),
                on=today_in_norway(),
                request=request,
            )
        except LegalError as error:
            return self._page(request, form, problem=str(error), status=409)
        messages.success(request, _("Utkastet er oppdatert og venter på signatur."))
        return redirect(document_url(self.document, org_slug))


class LegalSignView(LegalDocumentMixin, View):
    """POST: sign with the password again (and the code from the app, where there is one)."""

    http_method_names = ["post"]
    required_permission = Permission.SIGN_LEGAL_DOCUMENTS

    def post(self, request, org_slug, document_id):
        form = SignForm(request.POST)
        page = LegalDocumentView()
        page.request, page.document = request, self.document
        page.organization, page.membership = self.organization, self.membership
        if not form.is_valid():
            return render(
                request, "collections/legal/document.html", page.context(form), status=400
            )
        try:
            legal_document_sign(
                document=self.document,
                membership=self.membership,
                password=form.cleaned_data["password"],
                otp_token=form.cleaned_data["otp_token"],
                request=request,
                on=today_in_norway(),
            )
        except SigningThrottled as error:
            messages.error(request, str(error))
            return render(
                request, "collections/legal/document.html", page.context(SignForm()), status=429
            )
        except (SigningRefused, LegalError) as error:
            messages.error(request, str(error))
            return render(
                request,
                "collections/legal/document.html",
                page.context(SignForm()),
                status=400 if isinstance(error, SigningRefused) else 409,
            )
        if self.document.step == StepCode.PRE_SUIT_NOTICE:
            messages.success(request, _("Prosessvarselet er signert og sendes til skyldneren."))
        else:
            messages.success(request, _("Dokumentet er signert."))
        return redirect(document_url(self.document, org_slug))


def _pdf(data: bytes, name: str, sha256: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = f'"{sha256}"'
    response["Cache-Control"] = "private, no-cache"
    return response


class LegalPdfView(LegalDocumentMixin, View):
    """?signed=1: the signed PDF, only while its signature stands; else the draft."""

    http_method_names = ["get"]

    def get(self, request, org_slug, document_id):
        document = self.document
        number = document.content.get("case_number", document.case_id)
        if request.GET.get("signed"):
            state = signature_state(document=document)
            data = signed_pdf_bytes(signature=state.signature) if state.valid else None
            if data is None:
                messages.error(request, _("Dokumentet har ingen gyldig signatur."))
                return redirect(document_url(document, org_slug))
            return _pdf(data, f"S{number}-{document.step}-signert.pdf", state.signature.pdf_sha256)
        with document.pdf.open("rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != document.pdf_sha256:
            messages.error(request, _("Utkastets PDF stemmer ikke med det som ble laget."))
            return redirect(document_url(document, org_slug))
        return _pdf(data, f"S{number}-{document.step}-utkast.pdf", document.pdf_sha256)


class LegalPackageView(LegalDocumentMixin, View):
    """The signed document with its attachments and manifest, as one ZIP."""

    http_method_names = ["get"]
    required_permission = Permission.WORK_CASES

    def get(self, request, org_slug, document_id):
        try:
            package = legal_package(
                document=self.document,
                membership=self.membership,
                on=today_in_norway(),
                request=request,
            )
        except LegalError as error:
            messages.error(request, str(error))
            return redirect(document_url(self.document, org_slug))
        response = HttpResponse(package.zip_bytes, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{package.file_name}"'
        response["Cache-Control"] = "private, no-cache"
        return response


class LegalAwaitingView(OrganizationViewMixin, View):
    """Til signering: the organisation's documents waiting for a signature."""

    def get(self, request, org_slug):
        lang = reader_language()
        documents = list(legal_documents_awaiting())
        return render(
            request,
            "collections/legal/awaiting.html",
            {
                "organization": self.organization,
                "membership": self.membership,
                "rows": [(d, step_title(d.step, lang=lang)) for d in documents],
                "may_sign": self.membership.has(Permission.SIGN_LEGAL_DOCUMENTS),
            },
        )
