"""Vouchers API: what Kredin books in Business NXT for each case, and retrying a failed one."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from debt_collection.api.serializers import CollectionsErrorSerializer, NamedChoiceField
from debt_collection.models import VoucherPosting, VoucherStatus
from debt_collection.selectors.vouchers import voucher_list
from debt_collection.services import vouchers as services
from kredin.api.base import OrganizationAPIView
from kredin.api.pagination import StandardPagination

VOUCHERS_TAG = ["vouchers"]


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class VoucherSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(enum_name="VoucherStatusEnum", choices=VoucherStatus.choices)
    case_id = serializers.IntegerField()
    case_number = serializers.IntegerField(source="case.number")
    costs = _money(help_text="Fees and § 3a compensation booked as fee income.")
    interest = _money(help_text="Late interest booked as interest income.")
    total = _money(help_text="What the customer is debited.")

    class Meta:
        model = VoucherPosting
        fields = [
            "id",
            "key",
            "status",
            "case_id",
            "case_number",
            "invoice_no",
            "customer_no",
            "voucher_date",
            "costs",
            "interest",
            "total",
            "fee_account",
            "interest_account",
            "voucher_series_no",
            "batch_no",
            "voucher_no",
            "journal_no",
            "attempts",
            "next_attempt_at",
            "error_code",
            "error",
            "created_at",
            "posted_at",
        ]
        read_only_fields = fields


class VoucherRetryRefused(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "voucher_retry_refused"
    default_detail = "Bilaget kan ikke prøves på nytt."


_NOT_FOUND = OpenApiResponse(CollectionsErrorSerializer, description="Not in this organisation.")


class VoucherListAPI(OrganizationAPIView):
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="vouchers_list",
        tags=VOUCHERS_TAG,
        parameters=[
            OpenApiParameter("status", enum=VoucherStatus.values, required=False),
        ],
        responses={200: VoucherSerializer(many=True), 404: _NOT_FOUND},
        description="Vouchers booking received fees and interest in Business NXT, newest "
        "first, with their status and their batch, voucher and journal numbers there.",
    )
    def get(self, request: Request, org_slug: str) -> Response:
        wanted = request.query_params.get("status", "")
        queryset = voucher_list(status=wanted if wanted in VoucherStatus.values else "")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(VoucherSerializer(page, many=True).data)


class VoucherRetryAPI(OrganizationAPIView):
    @extend_schema(
        operation_id="vouchers_retry",
        tags=VOUCHERS_TAG,
        request=None,
        responses={
            202: VoucherSerializer,
            403: OpenApiResponse(CollectionsErrorSerializer, description="Admins only."),
            404: _NOT_FOUND,
            409: OpenApiResponse(CollectionsErrorSerializer, description="Not a failed voucher."),
        },
        description="Send a failed voucher again (after fixing the posting settings). Like "
        "every attempt it first reads Business NXT back, so it is never booked twice.",
    )
    def post(self, request: Request, org_slug: str, voucher_id: int) -> Response:
        posting = get_object_or_404(VoucherPosting, pk=voucher_id)
        try:
            posting = services.voucher_retry(posting=posting, membership=self.membership)
        except services.VoucherError as error:
            raise VoucherRetryRefused(str(error)) from error
        posting.refresh_from_db()
        return Response(VoucherSerializer(posting).data, status=status.HTTP_202_ACCEPTED)
