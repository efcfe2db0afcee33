"""The one base for organisation API endpoints under /api/v1/orgs/<org_slug>/."""

from __future__ import annotations

from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.views import APIView

from kredin.models import ApiToken, Membership, Organization
from kredin.permissions import Permission
from kredin.selectors import membership_for_request
from kredin.tenancy import _current_organization_id


class OrganizationAPIMixin:
    """Resolve the organisation from the path; non-members get 404; run in scope.

    Subclasses set `required_permission` (reads) and `write_permission` (unsafe methods).
    """

    permission_classes = [permissions.IsAuthenticated]
    required_permission: Permission = Permission.VIEW
    write_permission: Permission = Permission.WORK_CASES
    organization: Organization
    membership: Membership

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            self.membership = membership_for_request(
                request=request, organization_slug=kwargs.get("org_slug", "")
            )
        except Exception as exc:
            raise NotFound() from exc
        self.organization = self.membership.organization
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None and token.organization_id != self.organization.pk:
            # A key works in the organisation it was made in; elsewhere nothing is there.
            raise NotFound()
        needed = (
            self.required_permission
            if request.method in permissions.SAFE_METHODS
            else self.write_permission
        )
        if not self.membership.has(needed):
            raise PermissionDenied()
        self._scope_token = _current_organization_id.set(self.organization.pk)

    def finalize_response(self, request, response, *args, **kwargs):
        token = getattr(self, "_scope_token", None)
        try:
            response = super().finalize_response(request, response, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered and token is not None:
                # Serialisation may touch lazy querysets: render while in scope.
                response = response.render()
            return response
        finally:
            if token is not None:
                _current_organization_id.reset(token)
                self._scope_token = None


class OrganizationAPIView(OrganizationAPIMixin, APIView):
    pass


class OrganizationViewSet(OrganizationAPIMixin, viewsets.GenericViewSet):
    pass
