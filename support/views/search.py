"""The support console's front page: one search box across every organisation."""

from __future__ import annotations

from django.views.generic import TemplateView

from support.access import StaffRequiredMixin
from support.selectors.search import recent_view_as_sessions, support_search


class SupportHomeView(StaffRequiredMixin, TemplateView):
    template_name = "support/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:200]
        context["query"] = query
        if query:
            context["results"] = support_search(query=query)
        else:
            context["recent_sessions"] = recent_view_as_sessions()
        return context
