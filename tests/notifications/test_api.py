"""The notifications API: the person's own, in one organisation, in the schema."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kredin.models import Notification, NotificationKind
from kredin.tenancy import organization_scope

pytestmark = pytest.mark.django_db


def _api(name: str, org, **kwargs) -> str:
    return reverse(name, kwargs={"org_slug": org.slug, **kwargs})


def _mine(user, org) -> list[Notification]:
    with organization_scope(org):
        return list(Notification.objects.filter(user=user).order_by("id"))


def test_list_is_newest_first_worded_and_filters_unread(
    say, api_client_for, alice, dave, alice_org
):
    say(NotificationKind.VOUCHER_FAILED, {"case": 1, "error": "x"}, url="/o/alice-ror/saker/")
    say(NotificationKind.SYNC_FAILING, {"integration": "Visma", "error": "nede"})
    first, _second = _mine(alice, alice_org)
    Notification.objects.unscoped().filter(pk=first.pk).update(read_at=first.created_at)
    client = api_client_for(alice)

    everything = client.get(_api("notification-list-api", alice_org)).json()
    unread = client.get(_api("notification-list-api", alice_org), {"unread": "true"}).json()

    assert [r["kind"] for r in everything["results"]] == ["sync_failing", "voucher_failed"]
    assert everything["results"][1]["url"] == "/o/alice-ror/saker/"
    assert everything["results"][1]["unread"] is False
    assert [r["text"] for r in unread["results"]] == ["Synkroniseringen av Visma feiler: nede"]


def test_mark_one_and_all_read_touch_only_the_callers_rows(
    say, api_client_for, alice, dave, alice_org
):
    say()
    say()
    first, _second = _mine(alice, alice_org)
    client = api_client_for(alice)

    one = client.post(_api("notification-read-api", alice_org, notification_id=first.pk))
    assert one.status_code == 200 and one.json()["unread"] is False
    everyone_else = client.post(_api("notification-read-all-api", alice_org))
    assert everyone_else.json() == {"marked": 1}

    assert all(n.read_at for n in _mine(alice, alice_org))
    assert not any(n.read_at for n in _mine(dave, alice_org))
    daves = _mine(dave, alice_org)[0]
    stolen = client.post(_api("notification-read-api", alice_org, notification_id=daves.pk))
    assert stolen.status_code == 404


def test_a_read_only_member_may_mark_their_own_read(say, api_client_for, erin, alice_org):
    say(NotificationKind.VOUCHER_FAILED)  # not for erin; she marks none
    response = api_client_for(erin).post(_api("notification-read-all-api", alice_org))

    assert response.status_code == 200 and response.json() == {"marked": 0}


def test_charlie_gets_404_on_the_notifications_api(say, api_client_for, alice, charlie, alice_org):
    say()
    [hers] = _mine(alice, alice_org)
    client = api_client_for(charlie)

    assert client.get(_api("notification-list-api", alice_org)).status_code == 404
    assert client.post(_api("notification-read-all-api", alice_org)).status_code == 404
    read = _api("notification-read-api", alice_org, notification_id=hers.pk)
    assert client.post(read).status_code == 404
    assert _mine(alice, alice_org)[0].read_at is None


def test_the_endpoints_are_in_the_openapi_schema(client_for, alice):
    response = client_for(alice).get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = json.loads(response.content)["paths"]

    assert "get" in paths["/api/v1/orgs/{org_slug}/notifications/"]
    assert "post" in paths["/api/v1/orgs/{org_slug}/notifications/read/"]
    assert "post" in paths["/api/v1/orgs/{org_slug}/notifications/{notification_id}/read/"]
