"""Who may open a support page: active staff whose session passed the second factor.

Everyone else gets 404, so the console does not even confirm it is there; a visitor who
is not signed in goes to the log-in page, and staff who have not typed their code yet go
to the code step of the log-in.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from kredin.views.second_factor import second_factor_url


def staff_refusal(request: HttpRequest) -> HttpResponse | None:
    """None when the request may go on to a support page; otherwise the answer to give."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (user.is_active and user.is_staff):
        raise Http404
    if not user.is_verified():
        return redirect(second_factor_url(request.get_full_path()))
    return None


class StaffRequiredMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusal = staff_refusal(request)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)
