"""Who is signing: the password again, the second factor where the person has one, and a
limit on wrong attempts (per person and per client address).

Runs outside the signing transaction on purpose: a refused attempt's count, the TOTP
device's own throttle and the audit entry must stay written when the signing is refused.
Nothing entered here is logged or recorded; the audit says only that an attempt failed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_ratelimit.core import get_usage

from kredin.audit import audit_record
from kredin.models import Membership

# Wrong passwords or codes before signing pauses; the window restarts by itself.
DEFAULT_RATES = {"legal_sign_account": "5/15m", "legal_sign_ip": "20/h"}


class SigningRefused(Exception):
    """The signer could not be confirmed; the message is for the person."""


class SigningThrottled(SigningRefused):
    """Too many wrong attempts: the person waits before trying again."""


def _rate(name: str) -> str:
    return getattr(settings, "KREDIN_RATE_LIMITS", {}).get(name) or DEFAULT_RATES[name]


def _usage(request: HttpRequest, membership: Membership, *, increment: bool) -> bool:
    """Whether either limit is reached (after counting this attempt, if `increment`)."""
    user_key = str(membership.user_id)
    limited = False
    for group, key in (
        ("legal_sign_account", lambda _group, _request: user_key),
        ("legal_sign_ip", "ip"),
    ):
        usage = get_usage(request, group=group, key=key, rate=_rate(group), increment=increment)
        # Counting wrong attempts only: once the limit's worth is used up, none is left.
        limited = limited or bool(usage and usage["count"] >= usage["limit"])
    return limited


def has_second_factor(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def signer_confirm(
    *, membership: Membership, password: str, otp_token: str, request: HttpRequest, target
) -> bool:
    """Check the password and, where the person has a confirmed device, the code.

    Returns whether a second factor was used; raises SigningRefused (or SigningThrottled).
    """
    if _usage(request, membership, increment=False):
        raise SigningThrottled(
            _("For mange feil forsøk. Vent en stund før du prøver å signere igjen.")
        )
    user = membership.user
    problem = ""
    used_second_factor = False
    if not password or not user.check_password(password):
        problem = _("Feil passord. Dokumentet er ikke signert.")
    else:
        # Its own short transaction: the devices are locked while a code is checked, and
        # a wrong code's throttle count is kept.
        with transaction.atomic():
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            token = (otp_token or "").strip()
            if devices and not token:
                problem = _("Skriv inn engangskoden fra autentiseringsappen din.")
            elif devices and not any(device.verify_token(token) for device in devices):
                problem = _("Feil engangskode. Dokumentet er ikke signert.")
            used_second_factor = bool(devices) and not problem
    if problem:
        _usage(request, membership, increment=True)
        audit_record(
            action="collections.legal_sign_refused",
            organization=membership.organization,
            actor=user,
            target=target,
            request=request,
        )
        raise SigningRefused(problem)
    return used_second_factor
