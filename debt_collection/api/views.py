"""Collections API: cases (list, start, one case, its actions), its letters, the preview.

Thin: validate the input, call the selector or the service the pages use, serialize.
A refusal by the rules (CaseError) answers in the one error body: 400 when starting,
409 for an action on a case.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from debt_collection.api.serializers import (
    CaseCloseSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CasePauseSerializer,
    CaseSummarySerializer,
    CollectionsErrorSerializer,
    DocumentDetailSerializer,
    DocumentSerializer,
    PreviewQuerySerializer,
    PreviewSerializer,
)
from debt_collection.autopilot.preview import HORIZON_DAYS, preview_rows
from debt_collection.models import Case, Document
from debt_collection.planning import Action, reason_text
from debt_collection.selectors import reader_language
from debt_collection.selectors.cases import CaseFilter, case_list, case_view
from debt_collection.services import cases as services
from debt_collection.timeline import timeline_text
from kredin.api.base import OrganizationAPIView, OrganizationViewSet
from kredin.api.pagination import StandardPagination
from kredin.clock import today_in_norway

CASES_TAG = ["cases"]
AUTOPILOT_TAG = ["autopilot"]

_NOT_FOUND = OpenApiResponse(CollectionsErrorSerializer, description="Not in this organisation.")
_FORBIDDEN = OpenApiResponse(CollectionsErrorSerializer, description="The role may not act.")
_INVALID = OpenApiResponse(CollectionsErrorSerializer, description="Invalid input.")
_REFUSED = OpenApiResponse(
    CollectionsErrorSerializer, description="The rules refuse the action; the message says why."
)


class CaseStartRefused(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "case_start_refused"
    default_detail = "Saken kan ikke startes."


class CaseActionRefused(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "case_action_refused"
    default_detail = "Handlingen er ikke tillatt for saken."


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _case_filter(params) -> CaseFilter:
    data = _valid(CaseFilterSerializer, params)
    state = data["state"]
    return CaseFilter(
        state="" if state == "all" else state,
        step=data.get("step", ""),
        q=data.get("q", ""),
        amount_min=data.get("amount_min"),
        amount_max=data.get("amount_max"),
        next_by=data.get("next_by"),
    )


def _action_row(action: Action, lang: str) -> dict:
    return {
        "kind": action.kind,
        "step": str(action.step) if action.step else None,
        "on": action.on,
        "text": action.describe(lang),
        "reasons": [reason_text(reason, lang=lang) for reason in action.reasons],
    }


def case_detail_data(*, case: Case, today: date) -> dict:
    """What the case page shows, as plain data for CaseDetailSerializer."""
    lang = reader_language()
    view = case_view(case=case, today=today)
    plan = services.case_plan(case=case, on=today) if case.is_open else []
    return {
        "id": case.pk,
        "number": case.number,
        "state": case.state,
        "customer": case.customer,
        "current_step": case.current_step,
        "debtor_is_business": case.debtor_is_business,
        "started_on": case.started_on,
        "pause_note": case.pause_note,
        "paused_until": case.paused_until,
        "close_reason": case.close_reason,
        "close_note": case.close_note,
        "closed_on": case.closed_on,
        "items": view.items,
        "claim": view.claim,
        "timeline": [
            {
                "at": event.at,
                "on": event.on,
                "kind": event.kind,
                "text": timeline_text(event),
                "actor": event.actor.email if event.actor else None,
            }
            for event in view.timeline
        ],
        "next": [_action_row(action, lang) for action in plan],
        "documents": view.documents,
        "payments": [
            {
                "entry_date": entry.entry_date,
                "part": entry.part or "principal",
                "amount": -entry.amount,
                "invoice_no": entry.open_item.invoice_no if entry.open_item else None,
                "source": "ledger" if entry.rule == "payment_in_ledger" else "registered",
                "voucher_id": entry.voucher_posting_id,
                "voucher_status": entry.voucher_posting.status if entry.voucher_posting else None,
            }
            for entry in view.payments
        ],
    }


def _case_get(case_id: int) -> Case:
    return get_object_or_404(Case.objects.select_related("customer"), pk=case_id)


class CaseViewSet(OrganizationViewSet):
    """Cases of the organisation: the list with the Saker page's filters, starting cases
    from open invoices, and one case."""

    serializer_class = CaseSummarySerializer

    @property
    def pagination_class(self):
        # Only the list pages; starting cases answers a plain list (the schema asks too).
        return StandardPagination if self.action == "list" else None

    @extend_schema(
        operation_id="cases_list",
        tags=CASES_TAG,
        parameters=[CaseFilterSerializer],
        responses={200: CaseSummarySerializer(many=True), 400: _INVALID, 404: _NOT_FOUND},
        description="Cases matching the filter, newest number first.",
    )
    def list(self, request: Request, org_slug: str) -> Response:
        queryset = case_list(flt=_case_filter(request.query_params))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(CaseSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        tags=CASES_TAG,
        request=CaseCreateSerializer,
        responses={
            201: CaseDetailSerializer(many=True),
            400: _REFUSED,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
        description="Start one case per debtor among the open invoices, each with its first "
        "letter when the rules allow it today. An invoice already in an open case, or no "
        "open invoice at all, answers 400 and the message names the case.",
    )
    def create(self, request: Request, org_slug: str) -> Response:
        data = _valid(CaseCreateSerializer, request.data)
        today = today_in_norway()
        try:
            started = services.cases_start(
                membership=self.membership, item_ids=data["open_items"], on=today, request=request
            )
        except services.CaseError as error:
            raise CaseStartRefused(str(error)) from error
        cases = Case.objects.select_related("customer").filter(pk__in=[c.pk for c in started])
        body = [case_detail_data(case=case, today=today) for case in cases.order_by("number")]
        return Response(CaseDetailSerializer(body, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_retrieve",
        tags=CASES_TAG,
        responses={200: CaseDetailSerializer, 404: _NOT_FOUND},
        description="One case as its page shows it: the claim to date, the items, the "
        "timeline, what the autopilot would do next and why, and its letters.",
    )
    def retrieve(self, request: Request, org_slug: str, case_id: int) -> Response:
        case = _case_get(case_id)
        return Response(
            CaseDetailSerializer(case_detail_data(case=case, today=today_in_norway())).data
        )


class _CaseActionAPI(OrganizationAPIView):
    """POST an action on one case; answers the case as GET cases/<id>/ would."""

    input_serializer: type | None = None

    def perform(self, *, case: Case, data: dict, on: date) -> None:
        raise NotImplementedError

    def post(self, request: Request, org_slug: str, case_id: int) -> Response:
        case = _case_get(case_id)
        data = _valid(self.input_serializer, request.data) if self.input_serializer else {}
        on = today_in_norway()
        try:
            self.perform(case=case, data=data, on=on)
        except services.CaseError as error:
            raise CaseActionRefused(str(error)) from error
        case.refresh_from_db()
        return Response(CaseDetailSerializer(case_detail_data(case=case, today=on)).data)


def _action_schema(operation_id: str, request, description: str):
    responses = {200: CaseDetailSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _REFUSED}
    if request is not None:
        responses[400] = _INVALID
    return extend_schema(
        operation_id=operation_id,
        tags=CASES_TAG,
        request=request,
        responses=responses,
        description=description,
    )


class CasePauseAPI(_CaseActionAPI):
    input_serializer = CasePauseSerializer

    @_action_schema(
        "cases_pause",
        CasePauseSerializer,
        "Pause an open case, with why and optionally until when.",
    )
    def post(self, request: Request, org_slug: str, case_id: int) -> Response:
        return super().post(request, org_slug, case_id)

    def perform(self, *, case: Case, data: dict, on: date) -> None:
        services.case_pause(
            case=case,
            membership=self.membership,
            on=on,
            note=data["note"],
            until=data.get("until"),
        )


class CaseResumeAPI(_CaseActionAPI):
    @_action_schema("cases_resume", None, "Resume a paused case.")
    def post(self, request: Request, org_slug: str, case_id: int) -> Response:
        return super().post(request, org_slug, case_id)

    def perform(self, *, case: Case, data: dict, on: date) -> None:
        services.case_resume(case=case, membership=self.membership, on=on)


class CaseCloseAPI(_CaseActionAPI):
    input_serializer = CaseCloseSerializer

    @_action_schema(
        "cases_close",
        CaseCloseSerializer,
        "Close an open case, with why; its invoices are released.",
    )
    def post(self, request: Request, org_slug: str, case_id: int) -> Response:
        return super().post(request, org_slug, case_id)

    def perform(self, *, case: Case, data: dict, on: date) -> None:
        services.case_close_by_user(case=case, membership=self.membership, on=on, note=data["note"])


class CaseReopenAPI(_CaseActionAPI):
    @_action_schema(
        "cases_reopen",
        None,
        "Reopen a closed case on its invoices that no other open case holds meanwhile.",
    )
    def post(self, request: Request, org_slug: str, case_id: int) -> Response:
        return super().post(request, org_slug, case_id)

    def perform(self, *, case: Case, data: dict, on: date) -> None:
        services.case_reopen(case=case, membership=self.membership, on=on)


class CaseDocumentListAPI(OrganizationAPIView):
    """The letters of one case, oldest first."""

    @extend_schema(
        operation_id="cases_documents_list",
        tags=CASES_TAG,
        responses={200: DocumentSerializer(many=True), 404: _NOT_FOUND},
    )
    def get(self, request: Request, org_slug: str, case_id: int) -> Response:
        case = _case_get(case_id)
        documents = Document.objects.filter(case=case).order_by("planned_for", "pk")
        return Response(DocumentSerializer(documents, many=True).data)


class CaseDocumentDetailAPI(OrganizationAPIView):
    """One letter with its stored content, as it will be (or was) sent."""

    @extend_schema(
        operation_id="cases_documents_retrieve",
        tags=CASES_TAG,
        responses={200: DocumentDetailSerializer, 404: _NOT_FOUND},
    )
    def get(self, request: Request, org_slug: str, case_id: int, document_id: int) -> Response:
        case = _case_get(case_id)
        document = get_object_or_404(Document.objects.all(), pk=document_id, case=case)
        return Response(DocumentDetailSerializer(document).data)


class AutopilotPreviewAPI(OrganizationAPIView):
    """What the autopilot would do on a day, without doing it (the Hva skjer nå page)."""

    @extend_schema(
        operation_id="autopilot_preview",
        tags=AUTOPILOT_TAG,
        parameters=[PreviewQuerySerializer],
        responses={200: PreviewSerializer, 400: _INVALID, 404: _NOT_FOUND},
    )
    def get(self, request: Request, org_slug: str) -> Response:
        query = _valid(PreviewQuerySerializer, request.query_params)
        on = query.get("date") or today_in_norway()
        lang = reader_language()
        today, coming = preview_rows(on=on, lang=lang)
        body = {
            "date": on,
            "horizon": on + timedelta(days=HORIZON_DAYS),
            "actions": [_preview_row(row, lang) for row in today],
            "coming": [_preview_row(row, lang) for row in coming],
        }
        return Response(PreviewSerializer(body).data)


def _preview_row(row: dict, lang: str) -> dict:
    action: Action = row["action"]
    case, customer = row["case"], row["customer"]
    return {
        **_action_row(action, lang),
        "text": row["text"],
        "case_id": action.case_id,
        "case_number": case.number if case else None,
        "customer_id": action.customer_id,
        "customer_name": customer.name if customer else "",
        "item_ids": list(action.item_ids),
    }
