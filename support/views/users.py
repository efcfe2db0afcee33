"""One person, as support sees them."""

from __future__ import annotations

from django.views.generic import TemplateView

from support.access import StaffRequiredMixin
from support.selectors.users import support_person_overview


class SupportUserView(StaffRequiredMixin, TemplateView):
    template_name = "support/user.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overview = support_person_overview(user_id=kwargs["user_id"])
        context["overview"] = overview
        context["person"] = overview.person
        return context
