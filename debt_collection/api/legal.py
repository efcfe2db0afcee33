"""Legal documents in the API: those awaiting a signature, one document, signing (the
password again, and the code from the app where the person has one), the signed package.

The same services and checks as the pages: a member without "may sign" gets 403, a wrong
password or code 400 (and wrong attempts are limited: 429), a document the rules or its
state refuse 409. Neither the password nor the code is ever echoed; a person's national
identity number is not in any answer.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from debt_collection.api.serializers import CollectionsErrorSerializer
from debt_collection.legal.models import LegalDocument
from debt_collection.legal.package import legal_package
from debt_collection.legal.selectors import legal_documents_awaiting, signature_state
from debt_collection.legal.services import LegalError, legal_document_sign
from debt_collection.legal.signing import SigningRefused, SigningThrottled
from kredin.api.base import OrganizationAPIView
from kredin.clock import today_in_norway
from kredin.permissions import Permission

LEGAL_TAG = ["legal"]


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(CollectionsErrorSerializer, description=description)


class LegalRefused(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "legal_refused"
    default_detail = "Dokumentet kan ikke signeres eller pakkes nå."


class SigningFailed(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "signing_refused"
    default_detail = "Feil passord eller engangskode."


class SigningLimited(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "signing_throttled"
    default_detail = "For mange feil forsøk."


class LegalAmountsSerializer(serializers.Serializer):
    principal = serializers.DecimalField(max_digits=14, decimal_places=2)
    interest = serializers.DecimalField(max_digits=14, decimal_places=2)
    fees = serializers.DecimalField(max_digits=14, decimal_places=2)
    costs = serializers.DecimalField(max_digits=14, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class LegalSignatureSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    problem = serializers.CharField(
        help_text="Empty when valid; else unsigned, content_changed or pdf_changed."
    )
    signer_name = serializers.CharField(allow_null=True)
    signer_email = serializers.EmailField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    pdf_sha256 = serializers.CharField(allow_null=True)
    second_factor = serializers.BooleanField(allow_null=True)


class LegalDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    case_number = serializers.IntegerField()
    debtor_name = serializers.CharField()
    step = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    drafted_on = serializers.DateField()
    deadline = serializers.DateField(allow_null=True)
    amounts = LegalAmountsSerializer()
    conciliation_if_objected = serializers.BooleanField(allow_null=True)
    signature = LegalSignatureSerializer()


class LegalSignSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    otp = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="The code from the authenticator app, when the person has a TOTP device.",
    )


def legal_document_data(document: LegalDocument) -> dict:
    state = signature_state(document=document)
    signature = state.signature
    content = document.content
    return {
        "id": document.pk,
        "case_id": document.case_id,
        "case_number": content.get("case_number"),
        "debtor_name": content.get("debtor", {}).get("name", ""),
        "step": document.step,
        "title": content.get("title", ""),
        "status": document.status,
        "version": document.version,
        "drafted_on": document.drafted_on,
        "deadline": document.deadline,
        "amounts": {key: content["amounts"][key] for key in LegalAmountsSerializer().fields},
        "conciliation_if_objected": content.get("conciliation_if_objected"),
        "signature": {
            "valid": state.valid,
            "problem": state.problem,
            "signer_name": signature.signer_name if signature else None,
            "signer_email": signature.signer_email if signature else None,
            "signed_at": signature.signed_at if signature else None,
            "pdf_sha256": signature.pdf_sha256 if signature else None,
            "second_factor": signature.second_factor if signature else None,
        },
    }


def _document_get(document_id: int) -> LegalDocument:
    return get_object_or_404(LegalDocument.objects.select_related("case"), pk=document_id)


class LegalAwaitingAPI(OrganizationAPIView):
    @extend_schema(
        operation_id="legal_documents_awaiting",
        tags=LEGAL_TAG,
        responses={200: LegalDocumentSerializer(many=True), 404: _error("Not a member.")},
        description="The organisation's legal documents waiting for a signature, oldest first.",
    )
    def get(self, request: Request, org_slug: str) -> Response:
        rows = [legal_document_data(document) for document in legal_documents_awaiting()]
        return Response(LegalDocumentSerializer(rows, many=True).data)


class LegalDocumentAPI(OrganizationAPIView):
    @extend_schema(
        operation_id="legal_documents_retrieve",
        tags=LEGAL_TAG,
        responses={200: LegalDocumentSerializer, 404: _error("Not in this organisation.")},
        description="One legal document: its claim, its state and whether its signature stands.",
    )
    def get(self, request: Request, org_slug: str, document_id: int) -> Response:
        return Response(
            LegalDocumentSerializer(legal_document_data(_document_get(document_id))).data
        )


class LegalSignAPI(OrganizationAPIView):
    write_permission = Permission.SIGN_LEGAL_DOCUMENTS

    @extend_schema(
        operation_id="legal_documents_sign",
        tags=LEGAL_TAG,
        request=LegalSignSerializer,
        responses={
            200: LegalDocumentSerializer,
            400: _error("Wrong password or code, or invalid input."),
            403: _error("The member may not sign legal documents."),
            404: _error("Not in this organisation."),
            409: _error(
                "The rules or the document's state refuse signing now; the message says why."
            ),
            429: _error("Too many wrong attempts; wait before trying again."),
        },
        description="Sign as the calling person: their password again, and the code from the "
        "authenticator app when they have one. The final PDF is rendered with the signature "
        "block; its SHA-256 is in the answer. A signed pre-suit notice is sent to the debtor.",
    )
    def post(self, request: Request, org_slug: str, document_id: int) -> Response:
        document = _document_get(document_id)
        serializer = LegalSignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            legal_document_sign(
                document=document,
                membership=self.membership,
                password=serializer.validated_data["password"],
                otp_token=serializer.validated_data.get("otp", ""),
                request=request,
                on=today_in_norway(),
            )
        except SigningThrottled as error:
            raise SigningLimited(str(error)) from None
        except SigningRefused as error:
            raise SigningFailed(str(error)) from None
        except LegalError as error:
            raise LegalRefused(str(error)) from error
        document.refresh_from_db()
        return Response(LegalDocumentSerializer(legal_document_data(document)).data)


class ZipRenderer(BaseRenderer):
    media_type = "application/zip"
    format = "zip"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class LegalPackageAPI(OrganizationAPIView):
    renderer_classes = [ZipRenderer, JSONRenderer]
    required_permission = Permission.WORK_CASES

    @extend_schema(
        operation_id="legal_documents_package",
        tags=LEGAL_TAG,
        responses={
            (200, "application/zip"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="The signed PDF, its attachments and manifest.txt (each file's "
                "SHA-256 and the signature record), for filing.",
            ),
            (403, "application/json"): _error("The role may not work cases."),
            (404, "application/json"): _error("Not in this organisation."),
            (409, "application/json"): _error(
                "Not signed, the signature is void, or the rules no longer allow the step."
            ),
        },
    )
    def get(self, request: Request, org_slug: str, document_id: int) -> HttpResponse:
        document = _document_get(document_id)
        try:
            package = legal_package(
                document=document,
                membership=self.membership,
                on=today_in_norway(),
                request=request,
            )
        except LegalError as error:
            raise LegalRefused(str(error)) from error
        response = HttpResponse(package.zip_bytes, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{package.file_name}"'
        response["Cache-Control"] = "private, no-cache"
        return response

    def handle_exception(self, exc):
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
