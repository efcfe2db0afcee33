"""Staff's second factor: an authenticator app (TOTP) and ten one-time recovery codes.

django-otp keeps the devices and checks the codes; this module decides which devices a
person has and sets them up. A TOTP device is confirmed only once a code from it has been
typed back, and the recovery codes are made in the same step and shown once; each works
once (django-otp's static device).
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kredin.audit import audit_record
from kredin.models import User

RECOVERY_CODE_COUNT = 10
_AUTHENTICATOR = "Kredin"
_RECOVERY = "Gjenopprettingskoder"


def has_confirmed_authenticator(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def authenticator_for_setup(*, user: User) -> TOTPDevice:
    """The person's one unconfirmed authenticator, made now if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_AUTHENTICATOR, confirmed=False)
    return device


@transaction.atomic
def authenticator_confirm(
    *, user: User, token: str, request=None
) -> tuple[Device, list[str]] | None:
    """Confirm the authenticator with a code from it; returns it and new recovery codes,
    or None when the code is wrong."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None or not device.verify_token(_clean(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_renew(user=user)
    audit_record(action="auth.second_factor_set_up", actor=user, request=request)
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten fresh recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_RECOVERY, confirmed=True)
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_match(*, user: User, token: str) -> Device | None:
    """The confirmed device (authenticator or recovery codes) the code belongs to, if any.
    A recovery code is used up by matching."""
    token = _clean(token)
    if not token or not any(True for _ in devices_for_user(user, confirmed=True)):
        return None
    with transaction.atomic():
        return match_token(user, token)


def _clean(token: str) -> str:
    return "".join((token or "").split()).lower()


def _recovery_code() -> str:
    # 10 characters of a-z and 2-9 without look-alikes: ~50 bits, easy to type from paper.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))
