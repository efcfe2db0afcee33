"""notify(): who hears of what, once per key, and what it says."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from kredin.models import (
    Membership,
    Notification,
    NotificationEmail,
    NotificationKind,
    NotificationPreference,
)
from kredin.notification_texts import notification_text
from kredin.tenancy import organization_scope

pytestmark = pytest.mark.django_db


def _told(organization) -> dict[str, str]:
    with organization_scope(organization):
        return {n.user.email: n.kind for n in Notification.objects.select_related("user")}


def test_owners_and_admins_hear_of_a_failed_voucher_members_and_readers_do_not(
    say, alice_org, alice, bob, dave, erin
):
    assert say(NotificationKind.VOUCHER_FAILED) == 2

    assert set(_told(alice_org)) == {alice.email, dave.email}


def test_who_may_sign_hears_of_a_possible_legal_step(say, alice_org, alice, bob, dave, erin):
    Membership.objects.filter(user=bob).update(may_sign_legal_documents=True)
    params = {"case": 12, "debtor": "Bergen Bygg AS", "step": "enforcement"}

    say(NotificationKind.LEGAL_STEP_POSSIBLE, params)

    assert set(_told(alice_org)) == {alice.email, bob.email}  # the owner signs always


def test_members_who_work_cases_hear_of_an_objection(say, alice_org, alice, bob, dave, erin):
    say(NotificationKind.OBJECTION_RECEIVED, {"case": 3, "debtor": "Kunde AS", "via": "email"})

    assert set(_told(alice_org)) == {alice.email, bob.email, dave.email}


def test_nobody_in_another_organisation_hears_of_it(say, alice_org, alice, charlie, charlie_org):
    say(NotificationKind.SYNC_FAILING, {"integration": "Visma", "error": "nede"})

    assert set(_told(alice_org)) == {alice.email}
    assert _told(charlie_org) == {}


def test_a_deactivated_person_is_not_told(say, alice_org, alice, dave):
    dave.is_active = False
    dave.save(update_fields=["is_active"])

    assert say() == 1


def test_the_same_key_adds_nothing_the_second_time_even_for_a_new_admin(
    say, alice_org, alice, dave, erin
):
    assert say(key="voucher:1") == 2
    Membership.objects.filter(user=erin).update(role="admin")

    assert say(key="voucher:1") == 0
    assert say(key="voucher:2") == 3
    with organization_scope(alice_org):
        assert Notification.objects.count() == 5


def test_without_a_key_every_call_counts(say, alice_org, alice):
    assert say() == 1 and say() == 1
    with organization_scope(alice_org):
        assert Notification.objects.count() == 2


def test_a_key_in_another_organisation_is_another_notification(
    say, alice_org, alice, charlie_org, charlie
):
    assert say(key="same") == 1
    assert say(key="same", organization=charlie_org) == 1


def test_notify_inside_a_transaction_sends_only_after_commit(alice_org, alice, dave):
    from django.db import transaction

    from kredin.services.notifications import notify

    with transaction.atomic():
        notify(organization=alice_org, kind=NotificationKind.VOUCHER_FAILED, params={"case": 1})
        assert mail.outbox == []
    # pytest-django's test transaction never commits: nothing went out.
    assert mail.outbox == []


def test_e_mail_is_sent_after_commit_and_not_to_who_turned_it_off(
    say, alice_org, alice, dave, settings
):
    settings.SITE_URL = "https://kredin.example/"
    NotificationPreference.objects.create(
        user=dave, kind=NotificationKind.VOUCHER_FAILED, email=False
    )

    say(url="/o/alice-ror/saker/bilag/")

    assert [m.to for m in mail.outbox] == [[alice.email]]
    with organization_scope(alice_org):
        states = dict(Notification.objects.values_list("user__email", "email_state"))
    assert states == {alice.email: NotificationEmail.SENT, dave.email: NotificationEmail.SKIPPED}
    assert "https://kredin.example/o/alice-ror/saker/bilag/" in mail.outbox[0].body
    assert "https://kredin.example/o/alice-ror/varsler/e-post/" in mail.outbox[0].body


def test_turning_e_mail_off_for_one_kind_keeps_the_others(say, alice_org, alice):
    NotificationPreference.objects.create(
        user=alice, kind=NotificationKind.VOUCHER_FAILED, email=False
    )

    say(NotificationKind.VOUCHER_FAILED)
    say(NotificationKind.SYNC_FAILING, {"integration": "Visma", "error": "nede"})

    assert len(mail.outbox) == 1 and "Visma" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("kind", "params", "text"),
    [
        (
            NotificationKind.LEGAL_STEP_POSSIBLE,
            {"case": 12, "debtor": "Bergen Bygg AS"},
            "Rettslig skritt er mulig i sak S-12 (Bergen Bygg AS)",
        ),
        (
            NotificationKind.LEGAL_STEP_POSSIBLE,
            {"case": 12, "debtor": "Bergen Bygg AS", "step": "x", "step_label": "Utlegg"},
            "Rettslig skritt er mulig i sak S-12 (Bergen Bygg AS): Utlegg",
        ),
        (
            NotificationKind.DELIVERY_FAILED,
            {"case": 4, "debtor": "Kunde AS", "channel": "post", "status": "returned"},
            "Brevet i sak S-4 (Kunde AS) kom ikke fram: brevpost, returnert",
        ),
        (
            NotificationKind.REGISTER_FLAG,
            {"debtor": "Kunde AS", "flag": "bankrupt"},
            "Nytt registerflagg på Kunde AS: konkurs",
        ),
        (
            NotificationKind.REGISTER_FLAG,
            {"debtor": "Kunde AS", "flag": "something_new"},
            "Nytt registerflagg på Kunde AS: something_new",
        ),
        (
            NotificationKind.SIGNATURE_AWAITED,
            {"case": 7, "debtor": "Kunde AS", "document": "Begjæring om utlegg"},
            "Begjæring om utlegg i sak S-7 (Kunde AS) venter på signatur",
        ),
        (
            NotificationKind.OBJECTION_RECEIVED,
            {"case": 7, "debtor": "Kunde AS", "via": "phone"},
            "Innsigelse mottatt i sak S-7 (Kunde AS) via telefon",
        ),
        (
            NotificationKind.OBJECTION_RECEIVED,
            {"debtor": "Kunde AS", "invoice": "10023", "via": "letter"},
            "Innsigelse mottatt fra Kunde AS på faktura 10023 via brev",
        ),
        (NotificationKind.VOUCHER_FAILED, {"case": 7}, "Bilaget for sak S-7 kunne ikke føres: —"),
    ],
)
def test_texts_are_worded_from_the_params(kind, params, text):
    with translation.override("nb"):
        assert notification_text(kind=kind, params=params) == text


def test_params_are_plain_str_or_int(alice_org, alice):
    import datetime as dt

    from kredin.services.notifications import notify

    with pytest.raises(TypeError):
        notify(
            organization=alice_org,
            kind=NotificationKind.VOUCHER_FAILED,
            params={"case": 1, "on": dt.date(2026, 1, 1)},
        )
    with pytest.raises(ValueError):
        notify(organization=alice_org, kind="no_such_kind", params={})
