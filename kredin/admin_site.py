"""The Django admin, opened only to a superuser whose session passed the second factor.

Its own log-in form is not used: the admin sends people to Kredin's log-in, which is
throttled and asks staff for the authenticator's code (kredin/views/second_factor.py).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.admin import OTPAdminSite


class KredinAdminSite(OTPAdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        # OTPAdminSite adds is_verified() to Django's is_active and is_staff.
        return super().has_permission(request) and request.user.is_superuser

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index")
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if user.is_staff and not user.is_verified():
            return redirect(f"{reverse('login-second-factor')}?{urlencode({'next': next_url})}")
        # Signed in, yet not let in: a customer, or a support agent who is no superuser.
        raise Http404
