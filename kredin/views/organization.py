"""Organisation pages owned by kredin itself."""

from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from kredin import page_extensions
from kredin.views.base import OrganizationViewMixin


class OrganizationHomeView(OrganizationViewMixin, View):
    """The organisation's front door: the page a higher app names (page_extensions), else
    its reskontro."""

    def get(self, request, org_slug: str):
        landing = page_extensions.landing_pages.url(organization=self.organization)
        return redirect(landing or reverse("ledger:reskontro", kwargs={"org_slug": org_slug}))
