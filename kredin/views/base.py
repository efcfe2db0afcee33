"""The one base for organisation pages: resolve from the URL, check membership, scope."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from kredin.models import Membership, Organization
from kredin.permissions import Permission
from kredin.selectors import membership_for_request
from kredin.tenancy import organization_scope


class OrganizationViewMixin(LoginRequiredMixin):
    """Every page under /o/<org_slug>/ inherits this.

    Anonymous visitors go to the log-in page, non-members get 404, members without
    `required_permission` get 403, and the view body runs inside the organisation scope.
    """

    required_permission: Permission = Permission.VIEW
    organization: Organization
    membership: Membership

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = membership_for_request(
            request=request, organization_slug=kwargs["org_slug"]
        )
        self.organization = self.membership.organization
        request.organization = self.organization
        request.membership = self.membership
        if not self.membership.has(self.required_permission):
            raise PermissionDenied
        with organization_scope(self.organization):
            self.resolve_objects(**kwargs)
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                # Template responses render lazily; render while the scope still holds.
                response = response.render()
            return response

    def resolve_objects(self, **url_kwargs) -> None:
        """Load what the URL names, once, inside the scope (raise Http404 if it is not there).

        Subclasses override this instead of looking objects up in every handler.
        """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organization"] = self.organization
        context["membership"] = self.membership
        return context
