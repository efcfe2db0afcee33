import re

import pytest
from django.urls import reverse

from kredin.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_is_audited_with_ip(client, alice):
    response = client.post(
        reverse("login"),
        {"username": "alice@example.no", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == alice
    assert event.ip_address == "203.0.113.7"


def test_failed_login_is_audited_without_password(client, alice):
    client.post(reverse("login"), {"username": "alice@example.no", "password": "wrong"})

    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.details == {"email": "alice@example.no"}


def test_logout_is_audited_with_ip(client_for, alice):
    client = client_for(alice)

    response = client.post(reverse("logout"), REMOTE_ADDR="203.0.113.8")

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.logout")
    assert event.actor == alice
    assert event.ip_address == "203.0.113.8"


def _reset_link(mailoutbox) -> str:
    match = re.search(r"https?://[^/]+(/nytt-passord/\S+/)", mailoutbox[0].body)
    assert match, mailoutbox[0].body
    return match.group(1)


def test_password_reset_sends_norwegian_email(client, alice, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "alice@example.no"})

    assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.no"]
    assert mailoutbox[0].subject == "Nytt passord til Kredin"
    assert "velge nytt passord" in mailoutbox[0].body


def test_password_reset_for_unknown_email_sends_nothing(client, alice, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.no"})

    assert response.status_code == 302
    assert mailoutbox == []


def test_password_reset_link_sets_new_password(client, alice, mailoutbox):
    client.post(reverse("password_reset"), {"email": "alice@example.no"})
    form_page = client.get(_reset_link(mailoutbox), follow=True)
    assert form_page.context["validlink"] is True

    new_password = "another-fresh-passphrase-42"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )

    assert response.url == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password(new_password)
    assert AuditEvent.objects.filter(action="auth.password_reset", actor=alice).exists()


def test_password_reset_link_works_only_once(client, alice, mailoutbox):
    client.post(reverse("password_reset"), {"email": "alice@example.no"})
    link = _reset_link(mailoutbox)
    form_page = client.get(link, follow=True)
    new_password = "another-fresh-passphrase-42"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False
