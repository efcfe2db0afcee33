"""Staff's second step at log-in: the authenticator's code, or setting it up the first time.

The password step (LoginView) does not log a staff member in; it leaves the account here,
pending, for a few minutes. Only a right code logs in, with the device remembered on the
session, so `request.user.is_verified()` holds for support pages and the admin. A staff
member logged in some other way (a password reset, an invitation) is sent here too before
those pages open.
"""

from __future__ import annotations

import base64
import time

import django_otp
import segno
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import View

from kredin.audit import audit_record
from kredin.models import User
from kredin.services.second_factor import (
    authenticator_confirm,
    authenticator_for_setup,
    has_confirmed_authenticator,
    second_factor_match,
)
from kredin.throttles import rate_limited

PENDING_SESSION_KEY = "kredin_second_factor_pending"
PENDING_SECONDS = 5 * 60
_BACKEND = "django.contrib.auth.backends.ModelBackend"


def second_factor_pending_start(request, user: User) -> None:
    """After the right password: remember whose code the next step asks for."""
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk,
        "at": int(time.time()),
        "auth_hash": user.get_session_auth_hash(),
    }


def second_factor_url(next_url: str) -> str:
    return f"{reverse('login-second-factor')}?{urlencode({'next': next_url})}"


def _pending_user(request) -> User | None:
    user = request.user
    if user.is_authenticated:
        return user if user.is_staff and not user.is_verified() else None
    pending = request.session.get(PENDING_SESSION_KEY) or {}
    if int(time.time()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending.get("user_id"), is_active=True, is_staff=True).first()
    # A password changed since the first step ends the pending log-in, as it ends sessions.
    if user is None or user.get_session_auth_hash() != pending.get("auth_hash"):
        return None
    return user


def _pending_account(group: str, request) -> str:
    pending = request.session.get(PENDING_SESSION_KEY) or {}
    if request.user.is_authenticated:
        return str(request.user.pk)
    return str(pending.get("user_id", ""))


@rate_limited("second_factor", account=_pending_account)
class SecondFactorView(View):
    template_name = "registration/second_factor.html"

    def dispatch(self, request, *args, **kwargs):
        self.user = _pending_user(request)
        if self.user is None:
            if request.user.is_authenticated:
                return redirect(self._next_url())
            return redirect(f"{reverse('login')}?{urlencode({'next': self._next_url()})}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render()

    def post(self, request):
        token = request.POST.get("token", "")
        if has_confirmed_authenticator(user=self.user):
            device = second_factor_match(user=self.user, token=token)
            if device is None:
                return self._refused()
            self._log_in(device)
            return redirect(self._next_url())
        confirmed = authenticator_confirm(user=self.user, token=token, request=request)
        if confirmed is None:
            return self._refused()
        device, codes = confirmed
        self._log_in(device)
        return render(
            request,
            "registration/recovery_codes.html",
            {"codes": codes, "next": self._next_url()},
        )

    def _log_in(self, device) -> None:
        request = self.request
        request.session.pop(PENDING_SESSION_KEY, None)
        if request.user.is_authenticated:
            django_otp.login(request, device)
        else:
            self.user.otp_device = device
            login(request, self.user, backend=_BACKEND)

    def _refused(self):
        audit_record(action="auth.second_factor_failed", actor=self.user, request=self.request)
        return self._render(
            error=_(
                "Feil kode. Prøv igjen med en ny kode fra appen, eller en gjenopprettingskode."
            ),
            status=400,
        )

    def _render(self, *, error: str = "", status: int = 200):
        context = {"error": error, "next": self._next_url(), "person": self.user}
        if not has_confirmed_authenticator(user=self.user):
            device = authenticator_for_setup(user=self.user)
            context["setup"] = {
                "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
                "secret": base64.b32encode(device.bin_key).decode(),
            }
        return render(self.request, self.template_name, context, status=status)

    def _next_url(self) -> str:
        wanted = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return wanted
        return reverse("home")
