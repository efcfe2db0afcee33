"""Organisation-level API endpoints that belong to kredin itself."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kredin.api.base import OrganizationAPIView


class OrganizationOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    organization_number = serializers.CharField()
    role = serializers.CharField()
    permissions = serializers.ListField(child=serializers.CharField())


class OrganizationDetailAPI(OrganizationAPIView):
    @extend_schema(responses=OrganizationOutput, operation_id="organization_retrieve")
    def get(self, request, org_slug: str):
        data = {
            "slug": self.organization.slug,
            "name": self.organization.name,
            "organization_number": self.organization.organization_number,
            "role": self.membership.role,
            "permissions": sorted(self.membership.permissions),
        }
        return Response(OrganizationOutput(data).data)
