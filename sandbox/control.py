"""The one guard every sandbox ``_control/`` switch sits behind.

The switches change ledgers, inject faults and revoke grants on request, so even the demo must
not take such orders from whoever can reach it: a request is served only when its
``X-Sandbox-Control-Secret`` header equals SANDBOX_CONTROL_SECRET (compared in constant time).
An empty setting refuses every request, so a demo started without one has no open switches.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from sandbox import conf

CONTROL_SECRET_HEADER = "X-Sandbox-Control-Secret"


def control_secret_valid(given: str) -> bool:
    expected = conf.control_secret()
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def control_secret_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 403 JSON unless the request carries the control secret."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not control_secret_valid(request.headers.get(CONTROL_SECRET_HEADER, "")):
            return JsonResponse(
                {"error": f"forbidden: send the {CONTROL_SECRET_HEADER} header"}, status=403
            )
        return view(request, *args, **kwargs)

    return guarded
