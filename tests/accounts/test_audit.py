import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from kredin.audit import audit_record
from kredin.models import AuditEvent
from tests.conftest import PASSWORD
from tests.support.conftest import verified_login

pytestmark = pytest.mark.django_db


def test_audit_log_visible_to_owner_newest_first(client_for, alice, alice_org):
    audit_record(action="organization.updated", organization=alice_org, actor=alice)
    audit_record(
        action="membership.invited",
        organization=alice_org,
        actor=alice,
        details={"email": "first@example.no", "role": "member"},
    )

    response = client_for(alice).get(reverse("org-audit-log", args=[alice_org.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Invitasjon sendt") < html.index("Organisasjonsinnstillinger endret")
    assert "first@example.no" in html


def test_audit_log_shows_time_in_oslo_and_ip(client_for, alice, alice_org):
    from datetime import UTC, datetime

    AuditEvent.objects.create(
        organization=alice_org,
        actor=alice,
        actor_label=alice.email,
        action="membership.removed",
        created_at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
        ip_address="192.0.2.50",
    )

    html = client_for(alice).get(reverse("org-audit-log", args=[alice_org.slug])).content.decode()

    assert "01.07.2026 12:00:00" in html  # summer time: UTC+2
    assert "192.0.2.50" in html
    assert "Medlem fjernet" in html


def test_audit_log_does_not_show_members_activity_outside_the_organisation(
    client, alice, bob, alice_org
):
    client.post(
        reverse("login"),
        {"username": "bob@example.no", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    client.logout()
    client.force_login(alice)

    html = client.get(reverse("org-audit-log", args=[alice_org.slug])).content.decode()

    assert "bob@example.no" not in html
    assert "203.0.113.9" not in html


def test_own_log_ins_show_on_the_account_page(client, alice):
    client.post(
        reverse("login"),
        {"username": "alice@example.no", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )

    html = client.get(reverse("account")).content.decode()

    assert "Logget inn" in html
    assert "203.0.113.9" in html


def test_audit_log_hides_other_organizations_events(
    client_for, alice, charlie, alice_org, charlie_org
):
    audit_record(
        action="membership.invited",
        organization=charlie_org,
        actor=charlie,
        details={"email": "secret@example.no", "role": "member"},
    )
    audit_record(action="auth.login", actor=charlie)

    html = client_for(alice).get(reverse("org-audit-log", args=[alice_org.slug])).content.decode()

    assert "secret@example.no" not in html
    assert "charlie@example.no" not in html


def test_audit_log_is_paginated(client_for, alice, alice_org):
    for i in range(55):
        audit_record(
            action="membership.invited",
            organization=alice_org,
            actor=alice,
            details={"email": f"p{i}@example.no", "role": "member"},
        )
    client = client_for(alice)

    first = client.get(reverse("org-audit-log", args=[alice_org.slug]))
    second = client.get(reverse("org-audit-log", args=[alice_org.slug]), {"page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 5


def test_audit_log_forbidden_for_member(client_for, bob, alice_org):
    assert client_for(bob).get(reverse("org-audit-log", args=[alice_org.slug])).status_code == 403


def test_audit_log_forbidden_for_admin(client_for, dave, alice_org):
    assert client_for(dave).get(reverse("org-audit-log", args=[alice_org.slug])).status_code == 403


def test_audit_log_not_found_for_other_organization(client_for, charlie, alice_org):
    response = client_for(charlie).get(reverse("org-audit-log", args=[alice_org.slug]))

    assert response.status_code == 404


def test_audit_log_page_offers_no_changes(client_for, alice, alice_org):
    audit_record(action="organization.updated", organization=alice_org, actor=alice)
    url = reverse("org-audit-log", args=[alice_org.slug])
    client = client_for(alice)
    before = AuditEvent.objects.count()

    assert "<form" not in client.get(url).content.decode().split('id="main"')[1]
    assert client.post(url).status_code == 405
    assert AuditEvent.objects.count() == before


@pytest.fixture
def event(alice, alice_org) -> AuditEvent:
    return audit_record(action="organization.updated", organization=alice_org, actor=alice)


def test_audit_event_cannot_be_saved_again(event):
    event.action = "something.else"

    with pytest.raises(PermissionError):
        event.save()


def test_audit_event_cannot_be_deleted(event):
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_events_cannot_be_updated_in_bulk(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    event.refresh_from_db()
    assert event.action == "organization.updated"


def test_audit_events_cannot_be_deleted_in_bulk(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_admin_cannot_add_change_or_delete_audit_events(django_user_model, event):
    superuser = django_user_model.objects.create_superuser(email="root@example.no", password="x")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[AuditEvent]

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.has_view_permission(request, event)


def test_admin_change_page_cannot_save_audit_event(client, django_user_model, event):
    superuser = django_user_model.objects.create_superuser(email="root@example.no", password="x")
    verified_login(client, superuser)
    url = reverse("admin:kredin_auditevent_change", args=[event.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "tampered"})
    delete = client.post(
        reverse("admin:kredin_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert delete.status_code == 403
    event.refresh_from_db()
    assert event.action == "organization.updated"


def test_the_one_change_allowed_is_forgetting_a_deleted_person(event):
    """What deleting a user does to their events (on_delete=SET_NULL): the label stays."""
    from django.db import connection

    AuditEvent.objects.filter(pk=event.pk).update(actor=None)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE kredin_auditevent SET actor_id = NULL WHERE id = %s", [event.pk])

    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_label == "alice@example.no"


def test_the_database_refuses_a_raw_update_of_an_audit_event(event):
    from django.db import DatabaseError, connection, transaction

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE kredin_auditevent SET action = 'tampered' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.action == "organization.updated"


def test_the_database_refuses_a_raw_delete_of_an_audit_event(event):
    from django.db import DatabaseError, connection, transaction

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM kredin_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_related_access_goes_through_the_append_only_queryset():
    assert isinstance(AuditEvent._base_manager.all(), type(AuditEvent.objects.all()))
    with pytest.raises(PermissionError):
        AuditEvent._base_manager.all().update(action="x")
