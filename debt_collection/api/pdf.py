"""GET documents/<id>/pdf/: a letter as the PDF the debtor gets (rendered once, then kept).

The document is looked up through the tenant-scoped manager inside the organisation the
path names, so another organisation's document is 404, the same as one that does not
exist. The bytes are the stored ones; their SHA-256 is the ETag.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from debt_collection.api.serializers import CollectionsErrorSerializer
from debt_collection.letters.render import LetterError, document_pdf
from debt_collection.models import Document
from kredin.api.base import OrganizationAPIView


class PDFRenderer(BaseRenderer):
    """Lets a client ask for application/pdf; the bytes themselves bypass rendering."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def pdf_response(*, document: Document, pdf: bytes) -> HttpResponse:
    """The PDF as a download, named by case and step, with its hash as the ETag."""
    response = HttpResponse(pdf, content_type="application/pdf")
    number = document.content.get("case_number", document.case_id)
    name = f"S{number}-{document.step}-{document.planned_for.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if document.pdf_sha256:
        response["ETag"] = f'"{document.pdf_sha256}"'
    # A letter names a person and what they owe: no shared cache keeps it.
    response["Cache-Control"] = "private, no-cache"
    return response


class LetterUnavailable(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "letter_unavailable"
    default_detail = "Brevet kan ikke lages."


class DocumentPdfAPI(OrganizationAPIView):
    """One letter as PDF."""

    renderer_classes = [PDFRenderer, JSONRenderer]

    @extend_schema(
        operation_id="documents_pdf",
        tags=["cases"],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="The letter as PDF, A4, in Norwegian; the same bytes every time.",
            ),
            (404, "application/json"): OpenApiResponse(
                CollectionsErrorSerializer, description="Not in this organisation."
            ),
            (409, "application/json"): OpenApiResponse(
                CollectionsErrorSerializer,
                description="The letter cannot be made (it would lack what the law asks of "
                "it, or its stored PDF no longer matches its hash); the message says why.",
            ),
        },
        description="The letter rendered once and kept: a second download gives the same "
        "bytes, and the ETag is their SHA-256.",
    )
    def get(self, request: Request, org_slug: str, document_id: int) -> HttpResponse:
        document = get_object_or_404(Document.objects.all(), pk=document_id)
        try:
            pdf = document_pdf(document=document)
        except LetterError as error:
            raise LetterUnavailable(str(error)) from error
        return pdf_response(document=document, pdf=pdf)

    def handle_exception(self, exc):
        # An error has no PDF to show: answer it in the API's one JSON error body even when
        # the client asked for application/pdf.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
