from django.views.generic import TemplateView

from kredin.views.base import OrganizationViewMixin


class CaseListView(OrganizationViewMixin, TemplateView):
    """Collection cases. Until cases can be started, the page explains how they will come."""

    template_name = "collections/case_list.html"
