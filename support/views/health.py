"""System health for support: queues, workers, beat, and what is failing right now."""

from __future__ import annotations

from django.views.generic import TemplateView

from support.access import StaffRequiredMixin
from support.health import system_health


class SupportHealthView(StaffRequiredMixin, TemplateView):
    template_name = "support/health.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["health"] = system_health()
        return context
