"""A letter's PDF from the case page: /o/<slug>/saker/<case>/dokumenter/<document>/pdf/."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from debt_collection.api.pdf import pdf_response
from debt_collection.letters.render import LetterError, document_pdf
from debt_collection.models import Document
from debt_collection.views.cases import CaseMixin


class DocumentPdfView(CaseMixin, View):
    """Download the letter as the debtor gets it: rendered on the first download, then the
    same stored bytes every time."""

    http_method_names = ["get"]

    def get(
        self, request: HttpRequest, org_slug: str, case_id: int, document_id: int
    ) -> HttpResponse:
        document = get_object_or_404(Document, pk=document_id, case=self.case)
        try:
            pdf = document_pdf(document=document)
        except LetterError as error:
            # Back to the letter's page, which shows its content, with why there is no PDF.
            messages.error(request, _("Brevet kan ikke lages som PDF: %(why)s") % {"why": error})
            return redirect(
                "collections:document-detail",
                org_slug=org_slug,
                case_id=case_id,
                document_id=document_id,
            )
        return pdf_response(document=document, pdf=pdf)
