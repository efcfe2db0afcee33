"""A new register flag on a debtor is news for the owners and admins, once per flag."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brreg.services import customers_enrich
from kredin.models import Notification, NotificationKind
from sandbox.brreg import registry
from tests.brreg.conftest import unit, valid_orgnr

pytestmark = pytest.mark.django_db


def _flags() -> list[tuple[str, str]]:
    rows = Notification.objects.filter(kind=NotificationKind.REGISTER_FLAG).order_by("id")
    return [(n.user.email, n.params["flag"]) for n in rows.select_related("user")]


def test_each_new_flag_is_told_once(
    register_url, integration, make_customers, alice, dave, bob, settings
):
    number = valid_orgnr(20)
    unit(number, konkurs=True, konkursdato="2026-01-05")
    [customer] = make_customers([{"name": "Bergen Bygg AS", "organization_number": number}])

    customers_enrich(integration_id=integration.pk)
    customers_enrich(integration_id=integration.pk)  # the next sync's enrichment

    assert _flags() == [(alice.email, "bankrupt"), (dave.email, "bankrupt")]
    row = Notification.objects.filter(user=alice).get()
    assert row.params == {"debtor": "Bergen Bygg AS", "flag": "bankrupt"}
    assert row.url == reverse(
        "ledger:customer-detail",
        kwargs={"org_slug": integration.organization.slug, "customer_id": customer.pk},
    )

    registry.unit_change(
        organisasjonsnummer=number, underAvvikling=True, underAvviklingDato="2026-02-01"
    )
    settings.BRREG_CACHE_MAX_AGE_HOURS = 0  # the cached entry is stale: asked again
    customers_enrich(integration_id=integration.pk)

    assert _flags()[2:] == [(alice.email, "under_liquidation"), (dave.email, "under_liquidation")]
