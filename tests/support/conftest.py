"""Support agents: staff accounts with a confirmed authenticator, signed in with it."""

from __future__ import annotations

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD


def totp_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}"


def verified_login(client, user) -> None:
    """Log the client in as `user` with its authenticator, as the code step would."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Kredin"}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def agent(django_user_model):
    return django_user_model.objects.create_user(
        email="agent@kredin.no", password=PASSWORD, is_staff=True, full_name="Siri Support"
    )


@pytest.fixture
def agent_client(client, agent):
    verified_login(client, agent)
    return client


@pytest.fixture
def unverified_agent_client(client, agent):
    client.force_login(agent)
    return client
