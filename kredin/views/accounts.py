"""Pages for a person rather than an organisation: log-in, home, organisation switch."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from kredin.selectors import membership_get, memberships_for_user


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class HomeView(LoginRequiredMixin, View):
    """Send the person to their organisation, or let them pick one."""

    def get(self, request):
        memberships = list(memberships_for_user(user=request.user))
        if len(memberships) == 1:
            return redirect(reverse("org-home", kwargs={"org_slug": memberships[0].organization.slug}))
        return render(request, "kredin/choose_organization.html", {"memberships": memberships})


class SwitchOrganizationView(LoginRequiredMixin, View):
    def get(self, request):
        slug = request.GET.get("org", "")
        try:
            membership_get(user=request.user, organization_slug=slug)
        except Http404:
            return redirect("home")
        return redirect(reverse("org-home", kwargs={"org_slug": slug}))
