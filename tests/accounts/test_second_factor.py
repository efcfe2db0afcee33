"""Staff log in with a password and then their authenticator's code (django-otp TOTP),
or a one-time recovery code; customers' log-in stays one step."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kredin.models import AuditEvent
from tests.conftest import PASSWORD
from tests.support.conftest import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        email="agent@kredin.no", password=PASSWORD, is_staff=True
    )


@pytest.fixture
def authenticator(staff):
    return TOTPDevice.objects.create(user=staff, name="Kredin", confirmed=True)


def _password_step(client, email="agent@kredin.no", next_url="/support/"):
    return client.post(
        f"{reverse('login')}?next={next_url}", {"username": email, "password": PASSWORD}
    )


def test_the_right_password_alone_does_not_log_staff_in(client, staff, authenticator):
    response = _password_step(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login-second-factor"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("account")).status_code == 302


def test_the_authenticators_code_logs_in_verified_and_goes_on(client, staff, authenticator):
    _password_step(client)

    response = client.post(
        reverse("login-second-factor"), {"token": totp_code(authenticator), "next": "/support/"}
    )

    assert response.status_code == 302 and response["Location"] == "/support/"
    assert int(client.session["_auth_user_id"]) == staff.pk
    assert client.session["otp_device_id"] == authenticator.persistent_id
    assert AuditEvent.objects.filter(action="auth.login", actor=staff).exists()


def test_a_wrong_code_is_refused_and_audited(client, staff, authenticator):
    _password_step(client)

    response = client.post(reverse("login-second-factor"), {"token": "000000"})

    assert response.status_code == 400
    assert "Feil kode" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.second_factor_failed", actor=staff).exists()


def test_the_code_step_without_the_password_step_goes_back_to_log_in(client, authenticator):
    response = client.post(reverse("login-second-factor"), {"token": totp_code(authenticator)})

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_the_pending_log_in_lapses_after_five_minutes(client, staff, authenticator):
    _password_step(client)

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.post(reverse("login-second-factor"), {"token": totp_code(authenticator)})

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_codes_are_throttled_per_account(client, staff, authenticator, settings):
    settings.KREDIN_RATE_LIMITS = {**settings.KREDIN_RATE_LIMITS, "second_factor_account": "3/h"}
    _password_step(client)

    codes = [
        client.post(reverse("login-second-factor"), {"token": "111111"}).status_code
        for _ in range(4)
    ]

    assert codes == [400, 400, 400, 429]


def test_first_log_in_sets_up_the_authenticator_and_shows_recovery_codes(client, staff):
    _password_step(client)

    page = client.get(reverse("login-second-factor")).content.decode()
    assert "<svg" in page and 'data-testid="totp-secret"' in page
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    response = client.post(reverse("login-second-factor"), {"token": totp_code(device)})

    assert response.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert int(client.session["_auth_user_id"]) == staff.pk
    assert AuditEvent.objects.filter(action="auth.second_factor_set_up", actor=staff).exists()


def test_a_wrong_code_does_not_confirm_the_new_authenticator(client, staff):
    _password_step(client)
    client.get(reverse("login-second-factor"))

    response = client.post(reverse("login-second-factor"), {"token": "123456"})

    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_a_recovery_code_works_once(client, staff, authenticator):
    from kredin.services.second_factor import recovery_codes_renew

    code = recovery_codes_renew(user=staff)[0]
    _password_step(client)
    assert client.post(reverse("login-second-factor"), {"token": code}).status_code == 302
    client.post(reverse("logout"))

    _password_step(client)
    assert client.post(reverse("login-second-factor"), {"token": code}).status_code == 400


def test_customers_log_in_in_one_step(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == alice.pk


def test_staff_logged_in_another_way_are_sent_to_the_code_step(client, staff, authenticator):
    client.force_login(staff)

    response = client.get("/support/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login-second-factor"))
    response = client.post(
        reverse("login-second-factor"), {"token": totp_code(authenticator), "next": "/support/"}
    )
    assert response["Location"] == "/support/"
    assert client.session["otp_device_id"] == authenticator.persistent_id


def test_staff_start_in_the_support_console(client, staff, authenticator):
    client.post(reverse("login"), {"username": staff.email, "password": PASSWORD})
    client.post(reverse("login-second-factor"), {"token": totp_code(authenticator)})

    assert client.get(reverse("home"))["Location"] == "/support/"


def test_staff_cannot_join_or_found_a_customer_organisation(staff, alice_org, alice):
    from kredin.models import Invitation, Membership
    from kredin.services.common import AccountsError
    from kredin.services.invitations import invitation_accept
    from kredin.services.organizations import organization_create

    invitation = Invitation.objects.create(
        organization=alice_org, email=staff.email, role="member", invited_by=alice
    )
    with pytest.raises(AccountsError, match="Kredin-ansattkonto"):
        invitation_accept(invitation=invitation, user=staff)
    with pytest.raises(AccountsError, match="Kredin-ansattkonto"):
        organization_create(name="Ansatt AS", organization_number="923609016", owner=staff)
    assert not Membership.objects.filter(user=staff).exists()
