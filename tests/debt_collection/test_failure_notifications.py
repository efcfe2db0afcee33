"""A letter that did not arrive and a voucher Business NXT refused are news for the
owners and admins: in-app, and by e-mail through a real SMTP server."""

from __future__ import annotations

import pytest
from django.urls import reverse

from debt_collection.models import (
    Channels,
    Delivery,
    DeliveryChannel,
    VoucherPosting,
    VoucherStatus,
)
from debt_collection.tasks import document_dispatch_task
from integrations.models import PostingSettings
from kredin.models import Membership, Notification, NotificationKind
from tests.debt_collection.dispatching import (
    REFUSED_DOMAIN,
    collection_settings,
    letter_waiting,
    smtp_server,
)


@pytest.fixture
def smtp(settings):
    controller, log = smtp_server(settings)
    yield log
    controller.stop()


def _told(kind) -> list[Notification]:
    rows = Notification.objects.filter(kind=kind).select_related("user").order_by("user__email")
    return list(rows)


def test_a_refused_e_mail_letter_tells_owners_and_admins_once(
    sandbox_integration, alice, bob, dave, smtp, monkeypatch, settings
):
    settings.BRREG_API_URL = "http://127.0.0.1:9/enhetsregisteret/api"
    monkeypatch.setattr(document_dispatch_task, "delay", lambda *args: None)
    organization = sandbox_integration.integration.organization
    collection_settings(organization=organization, channels=Channels.EMAIL)
    sandbox_integration.sync()
    letter = letter_waiting(
        membership=Membership.objects.get(user=alice),
        company_no=sandbox_integration.company_no,
        debtor_email=f"post@{REFUSED_DOMAIN}",
    )

    letter.dispatch()
    letter.dispatch()  # the post copy; the failed e-mail is not told again

    told = _told(NotificationKind.DELIVERY_FAILED)
    assert [n.user.email for n in told] == [alice.email, dave.email]
    email = Delivery.objects.get(document=letter.document, channel=DeliveryChannel.EMAIL)
    case = letter.document.case
    assert told[0].params["case"] == case.number
    assert told[0].params["status"] == "failed" and told[0].params["channel"] == "email"
    assert told[0].url == reverse(
        "collections:delivery-detail",
        kwargs={"org_slug": organization.slug, "delivery_id": email.pk},
    )
    [message] = smtp.to(dave.email)
    assert f"S-{case.number}" in message["Subject"]
    assert "kom ikke fram: e-post, feilet" in message.get_content()
    assert smtp.to(bob.email) == []


def test_a_refused_voucher_tells_owners_and_admins(debtor, alice, dave, bob):
    PostingSettings.objects.filter(integration=debtor.sandbox.integration).update(
        fee_income_account=3999
    )
    debtor.pays(debtor.owed_today())
    debtor.sync()
    debtor.day()  # records the payment; the voucher's first attempt runs at once

    posting = VoucherPosting.objects.get()
    assert posting.status == VoucherStatus.FAILED
    told = _told(NotificationKind.VOUCHER_FAILED)
    assert [n.user.email for n in told] == [alice.email, dave.email]
    assert told[0].params == {"case": posting.case.number, "error": posting.error}
    assert "3999" in posting.error
