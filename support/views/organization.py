"""One organisation, as support sees it: people, integrations, failures, the audit log."""

from __future__ import annotations

from django.views.generic import TemplateView

from support.access import StaffRequiredMixin
from support.selectors.organization import support_organization_overview


class SupportOrganizationView(StaffRequiredMixin, TemplateView):
    template_name = "support/organization.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overview = support_organization_overview(organization_id=kwargs["organization_id"])
        context["overview"] = overview
        context["organization"] = overview.organization
        context["support_notes"] = overview.support_notes
        return context
