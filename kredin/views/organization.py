"""Organisation pages owned by kredin itself."""

from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from kredin.views.base import OrganizationViewMixin


class OrganizationHomeView(OrganizationViewMixin, View):
    """The organisation's front door is its reskontro."""

    def get(self, request, org_slug: str):
        return redirect(reverse("ledger:reskontro", kwargs={"org_slug": org_slug}))
