"""Support actions: each needs a written reason, calls the owning app's service and leaves
an event with the reason in the organisation's audit log, which the owners can read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from debt_collection.models import (
    CollectionSettings,
    Delivery,
    DeliveryStatus,
    VoucherPosting,
    VoucherStatus,
)
from debt_collection.selectors.autopilot import autopilot_pause_state
from debt_collection.services.cases import cases_start
from debt_collection.services.settings import autopilot_pause
from integrations.models import Integration, IntegrationStatus, SyncRun
from kredin.clock import today_in_norway
from kredin.models import AuditEvent, Invitation, Membership, Organization, PendingSignup, User
from kredin.tenancy import organization_scope
from ledger.models import Customer, OpenItem
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

REASON = "Kunden ringte og ba oss om hjelp med dette"


@dataclass
class World:
    organization: Organization
    integration: Integration
    posting: VoucherPosting
    delivery: Delivery
    invitation: Invitation
    newcomer: User
    queued: list


@pytest.fixture
def world(alice, alice_org, monkeypatch) -> World:
    """Alice's organisation with an active integration, a case whose letter failed to go
    out, a failed voucher, an open invitation, and someone who never confirmed a sign-up."""
    from debt_collection.tasks import document_dispatch_task, voucher_post_task
    from integrations.tasks import sync_run_execute_task

    queued: list = []
    monkeypatch.setattr(sync_run_execute_task, "delay", lambda *a: queued.append(("sync", *a)))
    monkeypatch.setattr(voucher_post_task, "delay", lambda *a: queued.append(("voucher", *a)))
    monkeypatch.setattr(document_dispatch_task, "delay", lambda *a: queued.append(("dispatch", *a)))
    with organization_scope(alice_org):
        integration = Integration.objects.create(
            status=IntegrationStatus.ACTIVE, visma_company_id=123, company_name="Alice Firma"
        )
        customer = Customer.objects.create(
            integration=integration, external_id="10001", name="Kunde AS"
        )
        item = OpenItem.objects.create(
            integration=integration,
            customer=customer,
            external_id="1:1",
            amount="1000.00",
            outstanding="1000.00",
            due_date=today_in_norway() - timedelta(days=30),
        )
        [case] = cases_start(
            membership=Membership.objects.get(user=alice),
            item_ids=[item.pk],
            on=today_in_norway(),
        )
        delivery = Delivery.objects.create(
            document=case.documents.first(),
            channel="post",
            provider="print_queue",
            recipient="Kunde AS",
            status=DeliveryStatus.FAILED,
            error="Ukjent adresse",
        )
        posting = VoucherPosting.objects.create(
            case=case,
            integration=integration,
            key="KRDTEST000001",
            customer_no=10001,
            voucher_date=today_in_norway(),
            costs="38.00",
            interest="120.00",
            status=VoucherStatus.FAILED,
            attempts=3,
            error="Kontoen finnes ikke",
        )
    invitation = Invitation.objects.create(
        organization=alice_org, email="new@example.no", role="member", invited_by=alice
    )
    newcomer = User.objects.create_user(
        email="ny@example.no", password=PASSWORD, is_active=False, email_confirmed_at=None
    )
    PendingSignup.objects.create(
        user=newcomer, organization_name="Ny Bedrift AS", organization_number="914994780"
    )
    queued.clear()  # starting the case may have queued its letter
    return World(alice_org, integration, posting, delivery, invitation, newcomer, queued)


def _kwargs(name: str, w: World, organization_id: int | None = None) -> dict:
    org = {"organization_id": organization_id or w.organization.pk}
    return {
        "sync-rerun": {**org, "integration_id": w.integration.pk},
        "voucher-retry": {**org, "posting_id": w.posting.pk},
        "delivery-retry": {**org, "delivery_id": w.delivery.pk},
        "autopilot-pause": org,
        "autopilot-resume": org,
        "invitation-resend": {**org, "invitation_id": w.invitation.pk},
        "confirmation-resend": {"user_id": w.newcomer.pk},
    }[name]


ROUTES = [
    "sync-rerun",
    "voucher-retry",
    "delivery-retry",
    "autopilot-pause",
    "autopilot-resume",
    "invitation-resend",
    "confirmation-resend",
]
ORGANIZATION_OBJECT_ROUTES = ["sync-rerun", "voucher-retry", "delivery-retry", "invitation-resend"]


def _url(name: str, w: World, organization_id: int | None = None) -> str:
    return reverse(f"support:{name}", kwargs=_kwargs(name, w, organization_id))


def _prepare(name: str, w: World, agent: User) -> None:
    """What the action needs to be possible: resuming needs a pause."""
    if name == "autopilot-resume":
        with organization_scope(w.organization):
            autopilot_pause(organization=w.organization, actor=agent, reason="Satt på pause før")


def _state(w: World) -> dict:
    """Everything any action could change."""
    with organization_scope(w.organization):
        posting = VoucherPosting.objects.get(pk=w.posting.pk)
        delivery = Delivery.objects.get(pk=w.delivery.pk)
        runs = SyncRun.objects.count()
    invitation = Invitation.objects.get(pk=w.invitation.pk)
    return {
        "runs": runs,
        "posting": (posting.status, posting.attempts),
        "delivery": (delivery.status, delivery.error),
        "pause": autopilot_pause_state(organization=w.organization),
        "invitation": (invitation.token, invitation.expires_at),
        "events": list(AuditEvent.objects.filter(action__startswith="support.").values("pk")),
        "queued": list(w.queued),
    }


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _post(client, url, **data):
    return client.post(url, {"reason": REASON, **data})


def _event(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def _assert_in_owners_log(client_for, alice, org, label: str) -> None:
    page = client_for(alice).get(reverse("org-audit-log", kwargs={"org_slug": org.slug}))
    html = page.content.decode()
    assert page.status_code == 200
    assert label in html
    assert f"Begrunnelse: {REASON}" in html
    assert "agent@kredin.no" in html


def _assert_event(action: str, w: World, agent: User) -> AuditEvent:
    event = _event(action)
    assert event.organization == w.organization
    assert event.actor == agent
    assert event.details["reason"] == REASON
    return event


# -- each action, with a reason ------------------------------------------------------------


def test_sync_rerun(world, agent, agent_client, alice, client_for):
    response = _post(agent_client, _url("sync-rerun", world), kind="full")

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "support:organization", kwargs={"organization_id": world.organization.pk}
    )
    assert _messages(response)[0][0] == "success"
    with organization_scope(world.organization):
        run = SyncRun.objects.get()
    assert (run.kind, run.trigger, run.requested_by) == ("full", "support", agent)
    event = _assert_event("support.sync_requested", world, agent)
    assert event.details["sync_run_id"] == run.pk
    _assert_in_owners_log(client_for, alice, world.organization, "Kundeservice startet en synk")


def test_sync_rerun_refuses_an_unknown_kind(world, agent_client):
    before = _state(world)

    response = _post(agent_client, _url("sync-rerun", world), kind="everything")

    assert response.status_code == 302
    assert _messages(response)[0][0] == "error"
    assert _state(world) == before


def test_voucher_retry(
    world, agent, agent_client, alice, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(agent_client, _url("voucher-retry", world))

    assert response.status_code == 302
    assert _messages(response)[0][0] == "success"
    with organization_scope(world.organization):
        posting = VoucherPosting.objects.get(pk=world.posting.pk)
    assert (posting.status, posting.attempts) == (VoucherStatus.PENDING, 0)
    assert world.queued == [("voucher", world.organization.pk, posting.pk)]
    _assert_event("support.voucher_retried", world, agent)
    assert not AuditEvent.objects.filter(action="voucher.retry").exists(), "one event, not two"
    _assert_in_owners_log(client_for, alice, world.organization, "Kundeservice prøvde et bilag")


def test_voucher_retry_of_a_voucher_that_did_not_fail_is_refused(world, agent_client):
    with organization_scope(world.organization):
        VoucherPosting.objects.filter(pk=world.posting.pk).update(status=VoucherStatus.POSTED)
    before = _state(world)

    response = _post(agent_client, _url("voucher-retry", world))

    assert response.status_code == 302
    assert _messages(response) == [("error", "Bare et bilag som har feilet, kan prøves på nytt.")]
    assert _state(world) == before


def test_delivery_retry(
    world, agent, agent_client, alice, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(agent_client, _url("delivery-retry", world))

    assert response.status_code == 302
    assert _messages(response)[0][0] == "success"
    with organization_scope(world.organization):
        delivery = Delivery.objects.get(pk=world.delivery.pk)
    assert (delivery.status, delivery.error) == (DeliveryStatus.QUEUED, "")
    assert world.queued == [("dispatch", world.organization.pk, delivery.document_id)]
    _assert_event("support.delivery_retried", world, agent)
    assert not AuditEvent.objects.filter(action="delivery.send_again").exists()
    _assert_in_owners_log(client_for, alice, world.organization, "Kundeservice sendte en utsend")


def test_autopilot_pause_and_resume(world, agent, agent_client, alice, client_for):
    response = _post(agent_client, _url("autopilot-pause", world))

    assert response.status_code == 302
    assert _messages(response)[0][0] == "success"
    pause = autopilot_pause_state(organization=world.organization)
    assert (pause.reason, pause.paused_by) == (REASON, agent.email)
    _assert_event("support.autopilot_paused", world, agent)
    _assert_in_owners_log(client_for, alice, world.organization, "Kundeservice satte autopilot")
    # The owners see the pause, its date and reason, where they work with collections.
    owner = client_for(alice)
    slug = world.organization.slug
    for url in (
        reverse("collections:case-list", kwargs={"org_slug": slug}),
        reverse("collections:overview", kwargs={"org_slug": slug}),
        reverse("org-collection-settings", kwargs={"org_slug": slug}),
    ):
        html = owner.get(url).content.decode()
        assert "Autopiloten ble satt på pause av Kredin kundeservice" in html, url
        assert REASON in html, url

    response = _post(agent_client, _url("autopilot-resume", world))

    assert _messages(response)[-1][0] == "success"
    assert autopilot_pause_state(organization=world.organization) is None
    with organization_scope(world.organization):
        assert CollectionSettings.objects.get().autopilot_paused_by is None
    _assert_event("support.autopilot_resumed", world, agent)
    _assert_in_owners_log(client_for, alice, world.organization, "Kundeservice lot autopilot")
    html = owner.get(reverse("collections:case-list", kwargs={"org_slug": slug})).content.decode()
    assert "Autopiloten er satt på pause" not in html


def test_resuming_an_autopilot_that_is_not_paused_is_refused(world, agent_client):
    before = _state(world)

    response = _post(agent_client, _url("autopilot-resume", world))

    assert _messages(response) == [("error", "Autopiloten er ikke satt på pause.")]
    assert _state(world) == before


def test_invitation_resend(
    world, agent, agent_client, alice, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    old = Invitation.objects.get(pk=world.invitation.pk)
    Invitation.objects.filter(pk=old.pk).update(expires_at=old.created_at + timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(agent_client, _url("invitation-resend", world))

    assert response.status_code == 302
    assert _messages(response)[0][0] == "success"
    renewed = Invitation.objects.get(pk=old.pk)
    assert renewed.token != old.token
    assert renewed.expires_at > old.created_at + timedelta(days=1)
    assert [m.to for m in mailoutbox] == [["new@example.no"]]
    assert renewed.token in mailoutbox[0].body
    assert old.token not in mailoutbox[0].body
    event = _assert_event("support.invitation_resent", world, agent)
    assert event.details["email"] == "new@example.no"
    _assert_in_owners_log(client_for, alice, world.organization, "Kundeservice sendte en invit")


def test_an_accepted_invitation_is_not_resent(world, agent_client, mailoutbox):
    Invitation.objects.filter(pk=world.invitation.pk).update(
        accepted_at=world.invitation.created_at
    )
    before = _state(world)

    response = _post(agent_client, _url("invitation-resend", world))

    assert _messages(response) == [("error", "Invitasjonen er allerede brukt.")]
    assert _state(world) == before
    assert not mailoutbox


def test_confirmation_resend(
    world, agent, agent_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(agent_client, _url("confirmation-resend", world))

    assert response.status_code == 302
    assert response["Location"] == reverse("support:user", kwargs={"user_id": world.newcomer.pk})
    assert _messages(response)[0][0] == "success"
    assert [m.to for m in mailoutbox] == [["ny@example.no"]]
    # No organisation exists yet (the sign-up's is created on confirmation), so the event
    # is in Kredin's own log, naming the person.
    event = _event("support.confirmation_resent")
    assert event.organization is None
    assert (event.actor, event.object_id) == (agent, str(world.newcomer.pk))
    assert event.details["reason"] == REASON


def test_a_confirmed_account_gets_no_confirmation(world, alice, agent_client, mailoutbox):
    url = reverse("support:confirmation-resend", kwargs={"user_id": alice.pk})

    response = _post(agent_client, url)

    assert _messages(response)[0][0] == "error"
    assert not mailoutbox
    assert not AuditEvent.objects.filter(action="support.confirmation_resent").exists()


# -- refusals: no reason, not staff, not verified, the wrong organisation -------------------


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize("reason", [None, "", "    ", "for kort"])
def test_without_a_reason_nothing_happens(
    name, reason, world, agent, agent_client, mailoutbox, django_capture_on_commit_callbacks
):
    _prepare(name, world, agent)
    before = _state(world)
    data = {} if reason is None else {"reason": reason}

    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(_url(name, world), data)

    assert response.status_code == 302
    [(level, text)] = _messages(response)
    assert level == "error"
    assert "begrunnelse" in text.lower()
    assert _state(world) == before
    assert not mailoutbox


@pytest.mark.parametrize("name", ROUTES)
def test_a_customer_gets_404(name, world, alice, client_for):
    before = _state(world)
    client = client_for(alice)

    assert _post(client, _url(name, world)).status_code == 404
    assert client.get(_url(name, world)).status_code == 404
    assert _state(world) == before


@pytest.mark.parametrize("name", ROUTES)
def test_an_agent_without_the_second_factor_goes_to_the_code_step(
    name, world, unverified_agent_client
):
    before = _state(world)

    response = _post(unverified_agent_client, _url(name, world))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login-second-factor"))
    assert _state(world) == before


@pytest.mark.parametrize("name", ROUTES)
def test_only_post(name, world, agent_client):
    assert agent_client.get(_url(name, world)).status_code == 405


@pytest.mark.parametrize("name", ORGANIZATION_OBJECT_ROUTES)
def test_an_object_under_another_organisations_id_gives_404(name, world, charlie_org, agent_client):
    before = _state(world)

    response = _post(agent_client, _url(name, world, organization_id=charlie_org.pk))

    assert response.status_code == 404
    assert _state(world) == before


@pytest.mark.parametrize("name", ["autopilot-pause", "autopilot-resume"])
def test_an_unknown_organisation_gives_404(name, world, agent_client):
    assert _post(agent_client, _url(name, world, organization_id=999999)).status_code == 404


# -- the partials the organisation and person pages include ---------------------------------


@pytest.fixture
def agent_request(rf, agent):
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/support/")
    request.user, request.session = agent, SessionStore()
    return request


@pytest.mark.parametrize(
    ("template", "context", "testid", "name"),
    [
        ("_integration_actions.html", "integration", "sync-rerun", "sync-rerun"),
        ("_voucher_actions.html", "posting", "voucher-retry", "voucher-retry"),
        ("_delivery_actions.html", "delivery", "delivery-retry", "delivery-retry"),
        ("_invitation_actions.html", "invitation", "invitation-resend", "invitation-resend"),
        ("_organization_actions.html", "organization", "autopilot-pause", "autopilot-pause"),
        ("_user_actions.html", "person", "confirmation-resend", "confirmation-resend"),
    ],
)
def test_the_action_forms(template, context, testid, name, world, agent_request):
    from django.template.loader import render_to_string

    objects = {
        "integration": world.integration,
        "posting": world.posting,
        "delivery": world.delivery,
        "invitation": world.invitation,
        "organization": world.organization,
        "person": world.newcomer,
    }
    html = render_to_string(
        f"support/{template}",
        {context: objects[context], "organization": world.organization},
        request=agent_request,
    )

    assert f'action="{_url(name, world)}"' in html
    assert 'method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="reason"' in html and "required" in html
    assert f'data-testid="{testid}"' in html


def test_the_organisation_form_offers_resume_when_paused(world, agent, agent_request):
    from django.template.loader import render_to_string

    _prepare("autopilot-resume", world, agent)

    html = render_to_string(
        "support/_organization_actions.html",
        {"organization": world.organization},
        request=agent_request,
    )

    assert 'data-testid="autopilot-resume"' in html
    assert 'data-testid="autopilot-pause"' not in html
    assert "Satt på pause før" in html
