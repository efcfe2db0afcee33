"""Notification e-mail through a real SMTP server: three a day one by one, the rest in one
digest, nothing sent twice, nothing resent after a crash or a refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from kredin.models import Notification, NotificationEmail, NotificationKind
from kredin.services.notification_email import notification_email_send
from kredin.tasks import notification_digests_send_task
from kredin.tenancy import organization_scope
from tests.debt_collection.dispatching import REFUSED_DOMAIN

pytestmark = pytest.mark.django_db


def _rows(organization) -> list[Notification]:
    with organization_scope(organization):
        return list(Notification.objects.order_by("created_at", "id"))


def _fail_case(say, number: int) -> None:
    say(NotificationKind.VOUCHER_FAILED, {"case": number, "error": "Ukjent konto"})


def test_one_notification_is_one_e_mail_with_an_absolute_link(
    say, smtp, alice, alice_org, settings
):
    settings.SITE_URL = "https://kredin.example"

    say(
        NotificationKind.DELIVERY_FAILED,
        {"case": 12, "debtor": "Bergen Bygg AS", "channel": "email", "status": "bounced"},
        url="/o/alice-ror/saker/utsendelser/1/",
    )

    [message] = smtp.to(alice.email)
    assert "S-12" in message["Subject"]
    body = message.get_content()
    assert "Brevet i sak S-12 (Bergen Bygg AS) kom ikke fram: e-post, avvist av mottaker" in body
    assert "https://kredin.example/o/alice-ror/saker/utsendelser/1/" in body
    [row] = _rows(alice_org)
    assert row.email_state == NotificationEmail.SENT and row.email_at is not None


def test_the_fourth_in_a_day_waits_for_the_digest_which_sends_them_in_one_e_mail(
    say, smtp, alice, alice_org
):
    for number in (1, 2, 3, 4, 5):
        _fail_case(say, number)

    assert len(smtp.to(alice.email)) == 3
    states = [row.email_state for row in _rows(alice_org)]
    assert states == [NotificationEmail.SENT] * 3 + [NotificationEmail.DIGEST] * 2

    assert notification_digests_send_task() == 1

    messages = smtp.to(alice.email)
    assert len(messages) == 4
    digest = messages[-1].get_content()
    assert "S-4" in digest and "S-5" in digest and "S-1 " not in digest
    assert "2 varsler" in messages[-1]["Subject"]
    held = _rows(alice_org)[3:]
    assert {(r.email_state, r.email_in_digest) for r in held} == {(NotificationEmail.SENT, True)}
    # Run again (a second beat, a redelivered task): nothing is left to send.
    assert notification_digests_send_task() == 0
    assert len(smtp.to(alice.email)) == 4


def test_after_24_hours_e_mail_goes_one_by_one_again(say, smtp, alice, alice_org):
    for number in (1, 2, 3):
        _fail_case(say, number)

    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        _fail_case(say, 4)

    assert len(smtp.to(alice.email)) == 4
    assert _rows(alice_org)[-1].email_state == NotificationEmail.SENT


def test_the_digest_skips_a_kind_turned_off_meanwhile(say, smtp, alice, alice_org, client_for):
    for number in (1, 2, 3):
        _fail_case(say, number)
    say(NotificationKind.SYNC_FAILING, {"integration": "Visma", "error": "nede"})
    client_for(alice).post(
        f"/o/{alice_org.slug}/varsler/e-post/",
        {"email": [k.value for k in NotificationKind if k != NotificationKind.SYNC_FAILING]},
    )

    assert notification_digests_send_task() == 0
    assert _rows(alice_org)[-1].email_state == NotificationEmail.SKIPPED
    assert len(smtp.to(alice.email)) == 3


def test_a_row_left_sending_by_a_crash_is_never_sent_again(
    say, smtp, alice, alice_org, monkeypatch
):
    from kredin.services import notification_email

    def crash(**kwargs):
        raise SystemExit("worker killed after marking, before SMTP answered")

    monkeypatch.setattr(notification_email, "send_mail", crash)
    with pytest.raises(SystemExit):
        _fail_case(say, 1)
    [row] = _rows(alice_org)
    assert row.email_state == NotificationEmail.SENDING
    monkeypatch.undo()

    with organization_scope(alice_org):
        notification_email_send(notification_id=row.pk)
    assert notification_digests_send_task() == 0

    assert smtp.to(alice.email) == []
    row.refresh_from_db(from_queryset=Notification.objects.unscoped())
    assert row.email_state == NotificationEmail.SENDING


def test_a_refused_address_fails_the_e_mail_once_and_the_notification_stays(
    say, smtp, alice, alice_org
):
    alice.email = f"alice@{REFUSED_DOMAIN}"
    alice.save(update_fields=["email"])

    _fail_case(say, 1)

    [row] = _rows(alice_org)
    assert row.email_state == NotificationEmail.FAILED
    with organization_scope(alice_org):
        notification_email_send(notification_id=row.pk)
    row.refresh_from_db(from_queryset=Notification.objects.unscoped())
    assert row.email_state == NotificationEmail.FAILED and row.read_at is None
    assert smtp.messages == []


def test_e_mail_the_queue_never_took_goes_in_the_next_digest(
    say, smtp, alice, alice_org, monkeypatch
):
    from kredin.tasks import notification_emails_send_task

    def broker_down(*args):
        raise ConnectionError("no broker")

    monkeypatch.setattr(notification_emails_send_task, "delay", broker_down)
    assert say() == 1  # the caller is not troubled by the queue
    [row] = _rows(alice_org)
    assert row.email_state == NotificationEmail.PENDING

    assert notification_digests_send_task() == 0  # may still be on its way
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert notification_digests_send_task() == 1

    assert len(smtp.to(alice.email)) == 1
    row.refresh_from_db(from_queryset=Notification.objects.unscoped())
    assert row.email_state == NotificationEmail.SENT and row.email_in_digest
