"""Objections API: the debtor's objections (innsigelser) on a case or an invoice, and
withdrawing one. Holds (pause, resume) are actions on the case (api/views.py).

An objection registered here tells the members who work cases (a notification), since
nobody saw it come in.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from debt_collection.api.serializers import CollectionsErrorSerializer, NamedChoiceField
from debt_collection.models import Case, Objection, ObjectionChannel
from debt_collection.services.objections import (
    ObjectionError,
    objection_register,
    objection_withdraw,
)
from kredin.api.base import OrganizationAPIView
from kredin.api.pagination import StandardPagination
from kredin.clock import today_in_norway
from ledger.models import OpenItem

OBJECTIONS_TAG = ["objections"]

_NOT_FOUND = OpenApiResponse(CollectionsErrorSerializer, description="Not in this organisation.")
_FORBIDDEN = OpenApiResponse(CollectionsErrorSerializer, description="The role may not act.")
_INVALID = OpenApiResponse(CollectionsErrorSerializer, description="Invalid input.")
_REFUSED = OpenApiResponse(
    CollectionsErrorSerializer, description="Refused (e.g. a closed case); the message says why."
)


class ObjectionRefused(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "objection_refused"
    default_detail = "Innsigelsen kan ikke registreres eller trekkes tilbake."


def _channel(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="ObjectionChannelEnum", choices=ObjectionChannel.choices, **kwargs
    )


class ObjectionSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id", allow_null=True)
    case_number = serializers.IntegerField(source="case.number", allow_null=True, default=None)
    open_item = serializers.IntegerField(
        source="open_item_id", allow_null=True, help_text="Null for the whole case."
    )
    invoice_no = serializers.CharField(source="open_item.invoice_no", allow_null=True, default=None)
    received_via = _channel()
    stands = serializers.BooleanField(help_text="True until it is withdrawn.")
    rule = serializers.CharField(help_text="The catalogue's objection rule when it came in.")
    legal_basis = serializers.CharField()
    registered_by = serializers.CharField(
        source="registered_by.email", allow_null=True, default=None
    )
    withdrawn_by = serializers.CharField(source="withdrawn_by.email", allow_null=True, default=None)

    class Meta:
        model = Objection
        fields = [
            "id",
            "case",
            "case_number",
            "open_item",
            "invoice_no",
            "raised_on",
            "received_via",
            "text",
            "stands",
            "rule",
            "legal_basis",
            "registered_by",
            "withdrawn_on",
            "withdrawal_note",
            "withdrawn_by",
            "created_at",
        ]
        read_only_fields = fields


class ObjectionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000, help_text="What the debtor disputes.")
    raised_on = serializers.DateField(
        required=False, help_text="When it came in (not after today); today by default."
    )
    received_via = _channel(required=False, default=ObjectionChannel.API)
    open_item = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="On a case: one of its invoices (the whole case stops all the same). "
        "Left out: the whole case.",
    )


class ItemObjectionCreateSerializer(ObjectionCreateSerializer):
    open_item = serializers.IntegerField(
        min_value=1,
        help_text="The invoice. In an open case the whole case stops; in no case it is kept "
        "out of new cases while the objection stands.",
    )


class ObjectionWithdrawSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, help_text="Why it is withdrawn.")


class ObjectionListQuerySerializer(serializers.Serializer):
    standing = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only standing (or withdrawn)."
    )


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _objections():
    return Objection.objects.select_related(
        "case", "open_item", "registered_by", "withdrawn_by"
    ).order_by("-raised_on", "-pk")


class _ObjectionCreate(OrganizationAPIView):
    def register(self, *, data: dict, case: Case | None) -> Response:
        item = get_object_or_404(OpenItem, pk=data["open_item"]) if data.get("open_item") else None
        on = today_in_norway()
        try:
            objection = objection_register(
                membership=self.membership,
                on=on,
                raised_on=data.get("raised_on") or on,
                received_via=data["received_via"],
                text=data["text"],
                case=case,
                open_item=item,
                notify_members=True,
                request=self.request,
            )
        except ObjectionError as error:
            raise ObjectionRefused(str(error)) from error
        found = _objections().get(pk=objection.pk)
        return Response(ObjectionSerializer(found).data, status=status.HTTP_201_CREATED)


class ObjectionListAPI(_ObjectionCreate):
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="objections_list",
        tags=OBJECTIONS_TAG,
        parameters=[ObjectionListQuerySerializer],
        responses={200: ObjectionSerializer(many=True), 400: _INVALID, 404: _NOT_FOUND},
        description="Every objection of the organisation, newest first.",
    )
    def get(self, request: Request, org_slug: str) -> Response:
        query = _valid(ObjectionListQuerySerializer, request.query_params)
        queryset = _objections()
        if query.get("standing") is not None:
            queryset = queryset.filter(withdrawn_on__isnull=query["standing"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(ObjectionSerializer(page, many=True).data)

    @extend_schema(
        operation_id="objections_create",
        tags=OBJECTIONS_TAG,
        request=ItemObjectionCreateSerializer,
        responses={
            201: ObjectionSerializer,
            400: _INVALID,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            409: _REFUSED,
        },
        description="Register an objection on an invoice. In an open case it stops the whole "
        "case: no reminder, notice or fee while it stands, and letters planned but not sent "
        "are stopped. In no case, the invoice is kept out of new cases.",
    )
    def post(self, request: Request, org_slug: str) -> Response:
        return self.register(data=_valid(ItemObjectionCreateSerializer, request.data), case=None)


class CaseObjectionListAPI(_ObjectionCreate):
    @extend_schema(
        operation_id="cases_objections_list",
        tags=OBJECTIONS_TAG,
        responses={200: ObjectionSerializer(many=True), 404: _NOT_FOUND},
        description="The case's objections, standing or withdrawn, oldest first.",
    )
    def get(self, request: Request, org_slug: str, case_id: int) -> Response:
        case = get_object_or_404(Case, pk=case_id)
        objections = _objections().filter(case=case).order_by("raised_on", "pk")
        return Response(ObjectionSerializer(objections, many=True).data)

    @extend_schema(
        operation_id="cases_objections_create",
        tags=OBJECTIONS_TAG,
        request=ObjectionCreateSerializer,
        responses={
            201: ObjectionSerializer,
            400: _INVALID,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            409: _REFUSED,
        },
        description="Register an objection on the case (or one of its invoices): the case "
        "becomes `objected`, and no reminder, notice or fee goes out while it stands.",
    )
    def post(self, request: Request, org_slug: str, case_id: int) -> Response:
        case = get_object_or_404(Case.objects.select_related("customer"), pk=case_id)
        return self.register(data=_valid(ObjectionCreateSerializer, request.data), case=case)


class ObjectionDetailAPI(OrganizationAPIView):
    @extend_schema(
        operation_id="objections_retrieve",
        tags=OBJECTIONS_TAG,
        responses={200: ObjectionSerializer, 404: _NOT_FOUND},
    )
    def get(self, request: Request, org_slug: str, objection_id: int) -> Response:
        return Response(ObjectionSerializer(get_object_or_404(_objections(), pk=objection_id)).data)


class ObjectionWithdrawAPI(OrganizationAPIView):
    @extend_schema(
        operation_id="objections_withdraw",
        tags=OBJECTIONS_TAG,
        request=ObjectionWithdrawSerializer,
        responses={
            200: ObjectionSerializer,
            400: _INVALID,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            409: _REFUSED,
        },
        description="Withdraw a standing objection, with why. The case goes on (active, or "
        "paused again if a hold from before is not over) unless another objection stands.",
    )
    def post(self, request: Request, org_slug: str, objection_id: int) -> Response:
        objection = get_object_or_404(Objection, pk=objection_id)
        data = _valid(ObjectionWithdrawSerializer, request.data)
        try:
            objection_withdraw(
                objection=objection,
                membership=self.membership,
                on=today_in_norway(),
                note=data["note"],
                request=request,
            )
        except ObjectionError as error:
            raise ObjectionRefused(str(error)) from error
        return Response(ObjectionSerializer(_objections().get(pk=objection.pk)).data)
