"""Rate limits on the account pages, per client address and per account (django-ratelimit).

Counters live in the default cache (Redis in production). Rates come from
`settings.KREDIN_RATE_LIMITS` when a request arrives, so they can be tuned without code.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

AccountKey = Callable[[str, HttpRequest], str]


def _rate(name: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: settings.KREDIN_RATE_LIMITS[name]


def posted(field: str) -> AccountKey:
    """The account a form names: an e-mail address, compared without case."""
    return lambda group, request: request.POST.get(field, "").strip().lower()


def url_argument(name: str) -> AccountKey:
    return lambda group, request: str(request.resolver_match.kwargs.get(name, ""))


def acting_user(group: str, request: HttpRequest) -> str:
    return str(request.user.pk) if request.user.is_authenticated else ""


def rate_limited(name: str, *, account: AccountKey, method: str = "POST"):
    """Class decorator: at most `<name>_ip` per address and `<name>_account` per account."""

    def decorate(view_class):
        for group, key in ((f"{name}_ip", "ip"), (f"{name}_account", account)):
            view_class = method_decorator(
                ratelimit(group=group, key=key, rate=_rate(group), method=method, block=True),
                name="dispatch",
            )(view_class)
        return view_class

    return decorate


def client_address(request: HttpRequest) -> str:
    """RATELIMIT_IP_META_KEY: the same address the audit log records."""
    from kredin.audit import client_ip

    return client_ip(request) or "0.0.0.0"  # noqa: S104  (no address: one shared bucket)
