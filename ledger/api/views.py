"""Reskontro API: customers and open items (the page's filters), and totals."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kredin.api.base import OrganizationAPIView, OrganizationViewSet
from kredin.clock import today_in_norway
from ledger import selectors
from ledger.aging import BUCKETS
from ledger.api.serializers import (
    CustomerDetailSerializer,
    CustomerTotalsSerializer,
    OpenItemSerializer,
    ReskontroSummarySerializer,
)
from ledger.filters import (
    CUSTOMER_SORTS,
    DEFAULT_CUSTOMER_SORT,
    DEFAULT_ITEM_SORT,
    ITEM_SORTS,
    ReskontroFilter,
    ReskontroFilterForm,
)
from ledger.models import Customer

FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description="Customer name, number, organisation number, "
        "invoice number, voucher number or KID.",
    ),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Customer id."),
    OpenApiParameter(
        "bucket",
        OpenApiTypes.STR,
        enum=[str(b) for b in BUCKETS],
        description="Aging bucket by days past due (Europe/Oslo today): not yet due, "
        "1–30, 31–60, 61–90, over 90.",
    ),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only items past due."),
    OpenApiParameter("amount_min", OpenApiTypes.DECIMAL, description="Outstanding at least."),
    OpenApiParameter("amount_max", OpenApiTypes.DECIMAL, description="Outstanding at most."),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=["open", "settled", "all"],
        description="Item status; default open.",
    ),
]


def _sort_parameter(sorts: dict, default: str) -> OpenApiParameter:
    return OpenApiParameter(
        "sort", OpenApiTypes.STR, enum=list(sorts), description=f"Ordering; default {default}."
    )


def _filter_from(request, *, sorts: dict, default_sort: str) -> tuple[ReskontroFilter, str]:
    form = ReskontroFilterForm(request.query_params, sorts=sorts)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    return form.to_filter(), form.sort_key(default_sort)


class OpenItemViewSet(OrganizationViewSet):
    serializer_class = OpenItemSerializer

    @extend_schema(
        parameters=[*FILTER_PARAMETERS, _sort_parameter(ITEM_SORTS, DEFAULT_ITEM_SORT)],
        responses=OpenItemSerializer(many=True),
    )
    def list(self, request, org_slug: str):
        today = today_in_norway()
        flt, sort = _filter_from(request, sorts=ITEM_SORTS, default_sort=DEFAULT_ITEM_SORT)
        queryset = selectors.open_item_list(flt=flt, sort=sort, today=today)
        page = self.paginate_queryset(queryset)
        data = OpenItemSerializer(page, many=True, context={"today": today}).data
        return self.get_paginated_response(data)


class CustomerViewSet(OrganizationViewSet):
    serializer_class = CustomerTotalsSerializer

    @extend_schema(
        parameters=[*FILTER_PARAMETERS, _sort_parameter(CUSTOMER_SORTS, DEFAULT_CUSTOMER_SORT)],
        responses=CustomerTotalsSerializer(many=True),
        description="Customers that have items matching the filter, with their totals.",
    )
    def list(self, request, org_slug: str):
        today = today_in_norway()
        flt, sort = _filter_from(request, sorts=CUSTOMER_SORTS, default_sort=DEFAULT_CUSTOMER_SORT)
        queryset = selectors.customer_totals_list(flt=flt, sort=sort, today=today)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(CustomerTotalsSerializer(page, many=True).data)

    @extend_schema(responses=CustomerDetailSerializer)
    def retrieve(self, request, org_slug: str, customer_id: int):
        today = today_in_norway()
        customer = get_object_or_404(Customer.objects.all(), pk=customer_id)
        summary = selectors.reskontro_summary(
            flt=ReskontroFilter(customer_id=customer.pk), today=today
        )
        return Response(CustomerDetailSerializer(customer, context={"summary": summary}).data)


class ReskontroSummaryAPI(OrganizationAPIView):
    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses=ReskontroSummarySerializer,
        description="Totals and aging buckets of the items matching the filter.",
    )
    def get(self, request, org_slug: str):
        flt, _sort = _filter_from(request, sorts=ITEM_SORTS, default_sort=DEFAULT_ITEM_SORT)
        summary = selectors.reskontro_summary(flt=flt, today=today_in_norway())
        return Response(ReskontroSummarySerializer(summary).data)
