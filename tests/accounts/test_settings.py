import pytest
from django.urls import reverse

from kredin.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_settings_page_shows_details_and_links(client_for, alice, alice_org):
    html = client_for(alice).get(reverse("org-settings", args=[alice_org.slug])).content.decode()

    assert alice_org.organization_number in html
    assert reverse("org-members", args=[alice_org.slug]) in html
    assert reverse("org-audit-log", args=[alice_org.slug]) in html


def test_settings_page_hides_audit_link_from_non_owners(client_for, dave, alice_org):
    html = client_for(dave).get(reverse("org-settings", args=[alice_org.slug])).content.decode()

    assert reverse("org-members", args=[alice_org.slug]) in html
    assert reverse("org-audit-log", args=[alice_org.slug]) not in html


def test_admin_renames_organization_and_it_is_audited(client_for, dave, alice_org):
    response = client_for(dave).post(
        reverse("org-settings", args=[alice_org.slug]),
        {"name": "Alice VVS AS"},
        REMOTE_ADDR="192.0.2.40",
    )

    assert response.status_code == 302
    alice_org.refresh_from_db()
    assert alice_org.name == "Alice VVS AS"
    event = AuditEvent.objects.get(action="organization.updated")
    assert event.details == {"name": {"old": "Alice Rørlegger AS", "new": "Alice VVS AS"}}
    assert event.actor == dave
    assert event.ip_address == "192.0.2.40"


def test_unchanged_settings_write_no_audit_event(client_for, alice, alice_org):
    client_for(alice).post(reverse("org-settings", args=[alice_org.slug]), {"name": alice_org.name})

    assert not AuditEvent.objects.filter(action="organization.updated").exists()


def test_read_only_cannot_change_settings(client_for, erin, alice_org):
    response = client_for(erin).post(
        reverse("org-settings", args=[alice_org.slug]), {"name": "Hijacked AS"}
    )

    assert response.status_code == 403
    alice_org.refresh_from_db()
    assert alice_org.name == "Alice Rørlegger AS"


def test_member_cannot_change_settings(client_for, bob, alice_org):
    response = client_for(bob).post(
        reverse("org-settings", args=[alice_org.slug]), {"name": "Hijacked AS"}
    )

    assert response.status_code == 403


def test_read_only_sees_settings_without_form(client_for, erin, alice_org):
    response = client_for(erin).get(reverse("org-settings", args=[alice_org.slug]))

    assert response.status_code == 200
    assert 'name="name"' not in response.content.decode()
