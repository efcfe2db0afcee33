"""While a support agent views as a customer: mark the request, and refuse every write.

One place refuses them all, before any view runs (and before CSRF is checked), so a page
or an API endpoint added later is read-only during a view-as session without knowing of it.
The only writes let through end the session or the log-in, or change the language.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from support.services.view_as import view_as_current

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITES_ALLOWED = frozenset({"logout", "set_language", "support:view-as-end"})


class ViewAsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.view_as = view_as_current(request)
        writing = request.view_as is not None and request.method not in SAFE_METHODS
        if writing and _route_name(request) not in WRITES_ALLOWED:
            return _refused(request)
        return self.get_response(request)


def _route_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def _refused(request: HttpRequest) -> HttpResponse:
    message = _(
        "Du ser Kredin som kunden ser det, skrivebeskyttet. Avslutt visningen for å gjøre "
        "endringer i kundeservice."
    )
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "view_as_read_only"}, status=403)
    return render(request, "support/view_as_refused.html", {"message": message}, status=403)
