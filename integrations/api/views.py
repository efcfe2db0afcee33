"""Integrations API: sync runs, and asking for a sync."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from integrations import selectors, services
from integrations.api.serializers import SyncRunSerializer
from integrations.models import Integration, IntegrationStatus, SyncRun
from kredin.api.base import OrganizationAPIView, OrganizationViewSet
from kredin.permissions import Permission


class SyncRunViewSet(OrganizationViewSet):
    serializer_class = SyncRunSerializer

    @extend_schema(
        parameters=[OpenApiParameter("integration", OpenApiTypes.INT)],
        responses=SyncRunSerializer(many=True),
    )
    def list(self, request, org_slug: str):
        integration = request.query_params.get("integration")
        if integration is not None and not integration.isdigit():
            raise ValidationError({"integration": ["Må være et heltall."]})
        queryset = selectors.sync_run_list(integration_id=int(integration) if integration else None)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(SyncRunSerializer(page, many=True).data)

    @extend_schema(responses=SyncRunSerializer)
    def retrieve(self, request, org_slug: str, run_id: int):
        run = get_object_or_404(SyncRun.objects.all(), pk=run_id)
        return Response(SyncRunSerializer(run).data)


class IntegrationSyncAPI(OrganizationAPIView):
    write_permission = Permission.MANAGE_INTEGRATIONS

    @extend_schema(
        request=None,
        responses={202: SyncRunSerializer, 409: OpenApiTypes.OBJECT},
        description="Queue an incremental sync of the integration; returns the run to poll.",
    )
    def post(self, request, org_slug: str, integration_id: int):
        integration = get_object_or_404(Integration.objects.all(), pk=integration_id)
        if integration.status != IntegrationStatus.ACTIVE:
            raise _NotActive("Integrasjonen er ikke aktiv.")
        try:
            run = services.sync_request(
                integration=integration,
                kind="incremental",
                trigger="manual",
                requested_by=request.user,
            )
        except services.IntegrationError as exc:
            raise _NotActive(str(exc)) from exc
        return Response(SyncRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class _NotActive(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "integration_not_active"
