"""A person's API keys in this organisation, and where its API lives."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kredin import services
from kredin.models import ApiToken
from kredin.views.base import OrganizationViewMixin


class ApiAccessView(OrganizationViewMixin, View):
    template_name = "kredin/api_access.html"

    def get(self, request, org_slug):
        return self.render(new_key=None)

    def post(self, request, org_slug):
        if request.POST.get("action") == "delete":
            token = get_object_or_404(
                ApiToken,
                pk=request.POST.get("token_id") or 0,
                user=request.user,
                organization=self.organization,
            )
            services.api_token_delete(
                token=token, actor_membership=self.membership, request=request
            )
            messages.success(
                request, _("API-nøkkelen «%(name)s» er slettet.") % {"name": token.name}
            )
            return redirect("org-api-access", org_slug=org_slug)
        try:
            _token, key = services.api_token_create(
                membership=self.membership, name=request.POST.get("name", ""), request=request
            )
        except services.AccountsError as error:
            messages.error(request, str(error))
            return redirect("org-api-access", org_slug=org_slug)
        return self.render(new_key=key)

    def render(self, *, new_key):
        base = reverse("organization-detail", kwargs={"org_slug": self.organization.slug})
        tokens = ApiToken.objects.filter(user=self.request.user, organization=self.organization)
        return render(
            self.request,
            self.template_name,
            {
                "organization": self.organization,
                "membership": self.membership,
                "new_key": new_key,
                "tokens": tokens,
                "api_base_url": self.request.build_absolute_uri(base),
                "docs_url": self.request.build_absolute_uri(reverse("api-docs")),
            },
        )
