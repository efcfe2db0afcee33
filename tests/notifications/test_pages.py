"""The bell, the notifications page and the e-mail choices: each person's own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kredin.models import Notification, NotificationKind, NotificationPreference
from kredin.tenancy import organization_scope

pytestmark = pytest.mark.django_db


def _url(name: str, org, **kwargs) -> str:
    return reverse(name, kwargs={"org_slug": org.slug, **kwargs})


def _bell_count(page: str) -> str | None:
    marker = 'data-unread="'
    if marker not in page:
        return None
    return page.split(marker, 1)[1].split('"', 1)[0]


def _notification_of(user, org) -> Notification:
    with organization_scope(org):
        return Notification.objects.filter(user=user).latest("id")


def test_the_bell_counts_the_persons_unread_in_this_organisation(
    say, client_for, alice, dave, alice_org
):
    say(NotificationKind.VOUCHER_FAILED, {"case": 12, "error": "Ukjent konto"})
    say(NotificationKind.SYNC_FAILING, {"integration": "Visma", "error": "nede"})

    page = client_for(alice).get(_url("ledger:reskontro", alice_org)).content.decode()

    assert _bell_count(page) == "2"
    assert "Bilaget for sak S-12 kunne ikke føres: Ukjent konto" in page
    assert _url("notifications", alice_org) in page


def test_no_count_without_unread_and_none_for_another_organisation(
    say, client_for, alice_org, alice, charlie
):
    say()

    page = client_for(charlie).get("/o/charlie-bygg/reskontro/").content.decode()

    assert _bell_count(page) is None
    assert "Ingen uleste varsler." in page


def test_the_page_lists_them_newest_first_with_links_and_marks_unread(
    say, client_for, alice, alice_org
):
    say(NotificationKind.VOUCHER_FAILED, {"case": 1, "error": "x"}, url="/o/alice-ror/saker/")
    say(NotificationKind.VOUCHER_FAILED, {"case": 2, "error": "y"})

    page = client_for(alice).get(_url("notifications", alice_org)).content.decode()

    assert page.index("sak S-2") < page.index("sak S-1")
    assert '<a href="/o/alice-ror/saker/">Bilaget for sak S-1' in page
    assert page.count("Merk som lest</button>") == 2
    assert _url("notification-preferences", alice_org) in page


def test_alice_marking_hers_read_does_not_mark_daves(say, client_for, alice, dave, alice_org):
    say()
    mine = _notification_of(alice, alice_org)

    response = client_for(alice).post(_url("notification-read", alice_org, notification_id=mine.pk))

    assert response.status_code == 302
    mine.refresh_from_db(from_queryset=Notification.objects.unscoped())
    assert mine.read_at is not None
    assert _notification_of(dave, alice_org).read_at is None
    page = client_for(alice).get(_url("notifications", alice_org)).content.decode()
    assert "Merk som lest</button>" not in page and _bell_count(page) is None


def test_dave_cannot_mark_alices_notification(say, client_for, alice, dave, alice_org):
    say()
    hers = _notification_of(alice, alice_org)

    response = client_for(dave).post(_url("notification-read", alice_org, notification_id=hers.pk))

    assert response.status_code == 404
    hers.refresh_from_db(from_queryset=Notification.objects.unscoped())
    assert hers.read_at is None


def test_mark_all_read_is_per_person_and_per_organisation(
    say, client_for, alice, dave, alice_org, charlie_org
):
    from kredin.models import Membership

    Membership.objects.create(organization=charlie_org, user=alice, role="owner")
    say()
    say()
    say(organization=charlie_org)

    client_for(alice).post(_url("notifications-read-all", alice_org))

    unread = Notification.objects.unscoped().filter(read_at__isnull=True)
    assert sorted(unread.values_list("user__email", "organization__slug")) == [
        ("alice@example.no", "charlie-bygg"),
        ("dave@example.no", "alice-ror"),
        ("dave@example.no", "alice-ror"),
    ]


def test_the_mark_read_form_returns_to_a_local_page_only(say, client_for, alice, alice_org):
    say()
    mine = _notification_of(alice, alice_org)
    url = _url("notification-read", alice_org, notification_id=mine.pk)

    back = client_for(alice).post(url, {"next": "/o/alice-ror/saker/"})
    away = client_for(alice).post(url, {"next": "https://evil.example/"})

    assert back["Location"] == "/o/alice-ror/saker/"
    assert away["Location"] == _url("notifications", alice_org)


def test_a_read_only_member_reads_and_marks_their_own(say, client_for, erin, alice, alice_org):
    say(NotificationKind.OBJECTION_RECEIVED, {"case": 1, "debtor": "K", "via": "email"})
    Notification.objects.unscoped().filter(user=alice).update(user=erin)
    client = client_for(erin)

    assert client.get(_url("notifications", alice_org)).status_code == 200
    assert client.post(_url("notifications-read-all", alice_org)).status_code == 302
    assert not Notification.objects.unscoped().filter(user=erin, read_at__isnull=True).exists()


def test_preferences_turn_e_mail_off_per_kind_for_the_person(client_for, alice, dave, alice_org):
    page = client_for(alice).get(_url("notification-preferences", alice_org)).content.decode()
    assert page.count("checked") == len(NotificationKind)  # all on until chosen

    wanted = [k.value for k in NotificationKind if k != NotificationKind.REGISTER_FLAG]
    client_for(alice).post(_url("notification-preferences", alice_org), {"email": wanted})

    off = NotificationPreference.objects.filter(email=False)
    assert list(off.values_list("user__email", "kind")) == [(alice.email, "register_flag")]
    page = client_for(alice).get(_url("notification-preferences", alice_org)).content.decode()
    assert page.count("checked") == len(NotificationKind) - 1


def test_charlie_gets_404_on_alices_notification_pages(say, client_for, alice, charlie, alice_org):
    say()
    hers = _notification_of(alice, alice_org)
    client = client_for(charlie)

    for url in (
        _url("notifications", alice_org),
        _url("notification-preferences", alice_org),
    ):
        assert client.get(url).status_code == 404
    for url in (
        _url("notification-read", alice_org, notification_id=hers.pk),
        _url("notifications-read-all", alice_org),
    ):
        assert client.post(url).status_code == 404
    hers.refresh_from_db(from_queryset=Notification.objects.unscoped())
    assert hers.read_at is None
