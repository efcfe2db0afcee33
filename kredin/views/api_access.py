"""A person's API token, and where this organisation's API lives."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from rest_framework.authtoken.models import Token

from kredin.services import api_token_revoke, api_token_rotate
from kredin.views.base import OrganizationViewMixin


class ApiAccessView(OrganizationViewMixin, View):
    template_name = "kredin/api_access.html"

    def get(self, request, org_slug):
        return self.render(new_token=None)

    def post(self, request, org_slug):
        if request.POST.get("action") == "revoke":
            api_token_revoke(user=request.user, organization=self.organization, request=request)
            messages.success(request, _("API-nøkkelen er slettet."))
            return redirect("org-api-access", org_slug=org_slug)
        key = api_token_rotate(user=request.user, organization=self.organization, request=request)
        return self.render(new_token=key)

    def render(self, *, new_token):
        base = reverse("organization-detail", kwargs={"org_slug": self.organization.slug})
        return render(
            self.request,
            self.template_name,
            {
                "organization": self.organization,
                "membership": self.membership,
                "new_token": new_token,
                "has_token": Token.objects.filter(user=self.request.user).exists(),
                "api_base_url": self.request.build_absolute_uri(base),
                "docs_url": self.request.build_absolute_uri(reverse("api-docs")),
            },
        )
