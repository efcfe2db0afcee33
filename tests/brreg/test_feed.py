"""The nightly update feed keeps the cache and customers current without re-reading all."""

from __future__ import annotations

import datetime as dt

import pytest

from brreg.maintenance import register_feed_follow
from brreg.models import CustomerEnrichment, FeedCursor, MatchStatus, RegisterEntry
from brreg.services import customers_enrich
from brreg.tasks import customers_enrich_task, register_feed_follow_task
from integrations.models import Integration
from kredin.tenancy import organization_scope
from ledger.models import Customer
from sandbox.brreg import registry
from sandbox.brreg.models import RegisterRequest
from tests.brreg.conftest import request_count, unit, valid_orgnr

pytestmark = pytest.mark.django_db


def _customer(integration: Integration, number: str, external_id: str = "1") -> Customer:
    return Customer.objects.create(
        integration=integration,
        external_id=external_id,
        name="Kunde",
        organization_number=number,
        address_line1="Ledgerveien 9",
    )


def test_feed_refreshes_changed_entries_and_reenriches_customers_in_every_organisation(
    register_url, alice_org, charlie_org
):
    unit(valid_orgnr(0), "ENDRES AS")
    unit(valid_orgnr(1), "UENDRET AS")
    enriched = []
    for org in (alice_org, charlie_org):
        with organization_scope(org):
            integration = Integration.objects.create(status="active", visma_company_id=1)
            customer = _customer(integration, valid_orgnr(0))
            _customer(integration, valid_orgnr(1), external_id="2")
            customers_enrich(integration_id=integration.pk)
            enriched.append(customer)
    register_feed_follow()  # first run: catches up from before the cache was filled
    registry.unit_change(organisasjonsnummer=valid_orgnr(0), konkurs=True, konkursdato="2026-11-01")
    before = request_count()
    last_seen = RegisterRequest.objects.order_by("-id").values_list("id", flat=True).first()

    outcome = register_feed_follow()

    assert outcome["refreshed"] == 1
    assert RegisterEntry.objects.get(orgnr=valid_orgnr(0)).bankrupt
    # One feed page, one batch lookup; the unchanged unit is not asked for again.
    assert request_count() - before == 2
    assert not RegisterRequest.objects.filter(
        query__contains=valid_orgnr(1), id__gt=last_seen
    ).exists()
    for org, customer in zip((alice_org, charlie_org), enriched, strict=True):
        with organization_scope(org):
            assert CustomerEnrichment.objects.get(customer=customer).bankrupt


def test_feed_marks_deleted_units(register_url, integration):
    unit(valid_orgnr(2))
    customer = _customer(integration, valid_orgnr(2))
    customers_enrich(integration_id=integration.pk)
    register_feed_follow()
    registry.unit_delete(organisasjonsnummer=valid_orgnr(2), slettedato=dt.date(2026, 11, 1))
    register_feed_follow()
    assert CustomerEnrichment.objects.get(customer=customer).match == MatchStatus.DELETED


def test_feed_advances_its_cursor(register_url, integration):
    unit(valid_orgnr(3))
    customers_enrich(integration_id=integration.pk)
    register_feed_follow()
    first = FeedCursor.objects.get().last_update_id
    unit(valid_orgnr(4))
    register_feed_follow()
    assert FeedCursor.objects.get().last_update_id > first


def test_feed_outage_keeps_the_cursor_and_says_why(register_url, integration, outage):
    result = register_feed_follow_task()
    assert result["ok"] is False
    cursor = FeedCursor.objects.get()
    assert cursor.last_update_id is None
    assert cursor.last_error


def test_enrich_task_runs_in_the_organisation_scope(register_url, integration):
    unit(valid_orgnr(5))
    customer = _customer(integration, valid_orgnr(5))
    outcome = customers_enrich_task.delay(integration.organization_id, integration.pk).get()
    assert outcome["matches"] == {"exact": 1}
    assert CustomerEnrichment.objects.get(customer=customer).match == MatchStatus.EXACT


def test_first_feed_run_skips_updates_already_in_the_cache(register_url, integration):
    from django.utils import timezone

    from sandbox.brreg.models import RegisterUpdate

    unit(valid_orgnr(6))
    RegisterUpdate.objects.update(dato=timezone.now() - dt.timedelta(hours=2))
    _customer(integration, valid_orgnr(6))
    customers_enrich(integration_id=integration.pk)
    before = request_count()
    outcome = register_feed_follow()
    assert outcome["refreshed"] == 0
    assert request_count() - before == 1  # the feed page, no lookups
