"""Enrichment of customers from the register stand-in, counted at the stand-in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from brreg.maintenance import enrichment_retry_due
from brreg.models import CustomerEnrichment, MatchStatus, RegisterEntry
from brreg.services import customer_override_set, customers_enrich
from ledger.models import Customer, CustomerFieldChange
from sandbox.brreg import registry
from sandbox.brreg.models import RegisterFault, RegisterRequest
from tests.brreg.conftest import (
    bad_check_digit,
    register_settings,
    request_count,
    sub_unit,
    unit,
    valid_orgnr,
)

pytestmark = pytest.mark.django_db


def enrichment(customer: Customer) -> CustomerEnrichment:
    return CustomerEnrichment.objects.get(customer=customer)


def test_exact_match_makes_a_business_with_the_register_postal_address(
    register_url, integration, make_customers
):
    unit(valid_orgnr(0), "RØRFIKS AS", street="Storgata 1", postbox="Postboks 77")
    [customer] = make_customers([{"name": "Rørfiks", "organization_number": valid_orgnr(0)}])
    result = customers_enrich(integration_id=integration.pk)
    customer.refresh_from_db()
    assert result.matches[MatchStatus.EXACT] == 1
    assert customer.customer_type == "business"
    assert (customer.address_line1, customer.post_code, customer.city) == (
        "Postboks 77",
        "0150",
        "OSLO",
    )
    assert customer.name == "Rørfiks"  # the ledger's name stays; letters get the register's
    assert enrichment(customer).letter_name == "RØRFIKS AS"


def test_business_address_is_used_when_no_postal_address_is_registered(
    register_url, integration, make_customers
):
    unit(valid_orgnr(1), street="Kongens gate 5")
    [customer] = make_customers([{"organization_number": valid_orgnr(1)}])
    customers_enrich(integration_id=integration.pk)
    customer.refresh_from_db()
    assert customer.address_line1 == "Kongens gate 5"


def test_number_with_spaces_and_mva_is_normalised(register_url, integration, make_customers):
    unit(valid_orgnr(2))
    number = valid_orgnr(2)
    [customer] = make_customers(
        [{"organization_number": f"NO {number[:3]} {number[3:6]} {number[6:]} MVA"}]
    )
    customers_enrich(integration_id=integration.pk)
    assert enrichment(customer).match == MatchStatus.EXACT


def test_bad_check_digit_is_never_sent_and_is_flagged(register_url, integration, make_customers):
    bad = bad_check_digit(valid_orgnr(3))
    [customer, _valid] = make_customers(
        [{"organization_number": bad}, {"organization_number": valid_orgnr(4)}]
    )
    customers_enrich(integration_id=integration.pk)
    customer.refresh_from_db()
    assert enrichment(customer).match == MatchStatus.NO_VALID_ORGNR
    assert customer.customer_type == "person"
    assert RegisterRequest.objects.filter(query__contains=valid_orgnr(4)).exists()
    assert not RegisterRequest.objects.filter(query__contains=bad).exists()
    assert not RegisterRequest.objects.filter(path__contains=bad).exists()


def test_no_number_means_a_person_unless_the_ledger_says_otherwise(
    register_url, integration, make_customers
):
    person, business = make_customers(
        [
            {"organization_number": ""},
            {
                "organization_number": "",
                "customer_type": "business",
                "ledger_data": {"customer_type": "business"},
            },
        ]
    )
    customers_enrich(integration_id=integration.pk)
    person.refresh_from_db()
    business.refresh_from_db()
    assert (person.customer_type, business.customer_type) == ("person", "business")
    assert request_count() == 0


def test_register_off_changes_nothing_and_asks_nothing(register_url, integration, make_customers):
    unit(valid_orgnr(5), "KONKURS AS", konkurs=True, konkursdato="2026-01-02")
    register_settings(mode="ledger_only")
    customers = make_customers(
        [{"organization_number": valid_orgnr(5)}, {"organization_number": ""}]
    )
    before = list(Customer.objects.order_by("pk").values())
    result = customers_enrich(integration_id=integration.pk)
    assert result.disabled
    assert list(Customer.objects.order_by("pk").values()) == before
    assert request_count() == 0
    assert not CustomerFieldChange.objects.exists()
    assert not any(enrichment(c).has_flags for c in customers)


def test_update_on_exact_match_off_keeps_type_and_address(
    register_url, integration, make_customers
):
    unit(valid_orgnr(6), "FLAGG AS", konkurs=True, konkursdato="2026-02-03")
    register_settings(update_on_exact_match=False)
    [customer] = make_customers([{"organization_number": valid_orgnr(6)}])
    customers_enrich(integration_id=integration.pk)
    customer.refresh_from_db()
    assert (customer.customer_type, customer.address_line1) == ("unknown", "Ledgerveien 9")
    assert enrichment(customer).bankrupt  # flags still come from the register


def test_fetch_addresses_off_sets_type_but_keeps_the_ledger_address(
    register_url, integration, make_customers
):
    unit(valid_orgnr(7))
    register_settings(fetch_addresses=False)
    [customer] = make_customers([{"organization_number": valid_orgnr(7)}])
    customers_enrich(integration_id=integration.pk)
    customer.refresh_from_db()
    assert (customer.customer_type, customer.address_line1) == ("business", "Ledgerveien 9")


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"konkurs": True, "konkursdato": "2026-01-05"}, "bankrupt"),
        ({"underAvvikling": True, "underAvviklingDato": "2026-01-05"}, "under_liquidation"),
        (
            {
                "underTvangsavviklingEllerTvangsopplosning": True,
                "tvangsopplostPgaManglendeRevisorDato": "2026-01-05",
            },
            "under_compulsory_dissolution",
        ),
    ],
)
def test_distress_flags_are_kept(register_url, integration, make_customers, flags, expected):
    unit(valid_orgnr(8), **flags)
    [customer] = make_customers([{"organization_number": valid_orgnr(8)}])
    customers_enrich(integration_id=integration.pk)
    found = enrichment(customer)
    assert found.match == MatchStatus.EXACT
    assert getattr(found, expected)
    assert found.flags_notified_at is not None


def test_deleted_unit_is_flagged_and_not_used(register_url, integration, make_customers):
    unit(valid_orgnr(9), street="Gammelveien 1")
    registry.unit_delete(organisasjonsnummer=valid_orgnr(9), slettedato=dt.date(2025, 1, 1))
    [customer] = make_customers([{"organization_number": valid_orgnr(9)}])
    customers_enrich(integration_id=integration.pk)
    customer.refresh_from_db()
    assert enrichment(customer).match == MatchStatus.DELETED
    assert enrichment(customer).deleted
    assert customer.address_line1 == "Ledgerveien 9"


def test_removed_unit_is_flagged_and_purged_from_the_cache(
    register_url, integration, make_customers
):
    unit(valid_orgnr(10))
    registry.unit_remove(organisasjonsnummer=valid_orgnr(10), slettedato=dt.date(2025, 1, 1))
    [customer] = make_customers([{"organization_number": valid_orgnr(10)}])
    customers_enrich(integration_id=integration.pk)
    assert enrichment(customer).removed
    assert RegisterEntry.objects.get(orgnr=valid_orgnr(10)).payload == {}


def test_unknown_number_is_not_found(register_url, integration, make_customers):
    [customer] = make_customers([{"organization_number": valid_orgnr(11)}])
    customers_enrich(integration_id=integration.pk)
    assert enrichment(customer).match == MatchStatus.NOT_FOUND
    # Batch searches of enheter and underenheter, then single lookups of both to tell
    # unknown (404) from a deleted or removed unit.
    assert request_count() == 4


def test_sub_unit_takes_flags_from_its_main_unit(register_url, integration, make_customers):
    unit(valid_orgnr(12), "MOR AS", konkurs=True, konkursdato="2026-03-01")
    sub_unit(valid_orgnr(13), valid_orgnr(12))
    [customer] = make_customers([{"organization_number": valid_orgnr(13)}])
    customers_enrich(integration_id=integration.pk)
    customer.refresh_from_db()
    found = enrichment(customer)
    assert (found.match, found.is_sub_unit, found.bankrupt) == (MatchStatus.EXACT, True, True)
    assert found.letter_name == "MOR AS"
    assert customer.city == "BERGEN"


def test_outage_leaves_customers_pending_retry_without_raising(
    register_url, integration, make_customers, outage
):
    [customer] = make_customers([{"organization_number": valid_orgnr(14)}])
    result = customers_enrich(integration_id=integration.pk)
    customer.refresh_from_db()
    assert result.outage
    assert "prøves igjen" in result.message
    found = enrichment(customer)
    assert found.match == MatchStatus.PENDING_RETRY
    assert found.retry_after > timezone.now()
    assert timezone.now() - found.last_failed_at < dt.timedelta(minutes=1)
    assert customer.customer_type == "unknown"


def test_pending_customers_are_retried_once_the_register_is_back(
    register_url, integration, make_customers, outage
):
    unit(valid_orgnr(15), "TILBAKE AS")
    [customer] = make_customers([{"organization_number": valid_orgnr(15)}])
    customers_enrich(integration_id=integration.pk)
    RegisterFault.objects.all().delete()
    assert enrichment_retry_due() == 0  # not before its time
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        assert enrichment_retry_due() == 1
    found = enrichment(customer)
    assert (found.match, found.attempts, found.retry_after) == (MatchStatus.EXACT, 0, None)
    assert found.last_failed_at is not None  # the day's failure still counts on support's page


def test_manual_override_survives_the_next_sync_and_enrichment(
    register_url, integration, make_customers, alice
):
    unit(valid_orgnr(16), street="Registergata 2")
    [customer] = make_customers([{"organization_number": valid_orgnr(16)}])
    customers_enrich(integration_id=integration.pk)
    customer_override_set(
        customer=customer, field="address_line1", value="C/O Regnskap", user=alice
    )
    # The next ledger sync writes what the ledger says ...
    Customer.objects.filter(pk=customer.pk).update(address_line1="Ledgerveien 9")
    # ... and the enrichment that follows puts the user's value back.
    customers_enrich(integration_id=integration.pk)
    customer.refresh_from_db()
    assert customer.address_line1 == "C/O Regnskap"
    assert customer.post_code == "0150"  # the fields not overridden still follow the register


def test_every_change_records_old_new_and_source(register_url, integration, make_customers, alice):
    unit(valid_orgnr(17), street="Registergata 3")
    [customer] = make_customers([{"organization_number": valid_orgnr(17)}])
    customers_enrich(integration_id=integration.pk)
    customer_override_set(customer=customer, field="city", value="Oslo", user=alice)
    changes = {
        (c.field, c.old_value, c.new_value, c.source)
        for c in CustomerFieldChange.objects.filter(customer=customer)
    }
    assert ("address_line1", "Ledgerveien 9", "Registergata 3", "register") in changes
    assert ("customer_type", "unknown", "business", "register") in changes
    assert ("city", "OSLO", "Oslo", "user") in changes


def test_second_run_uses_the_cache(register_url, integration, make_customers):
    unit(valid_orgnr(18))
    make_customers([{"organization_number": valid_orgnr(18)}])
    customers_enrich(integration_id=integration.pk)
    first = request_count()
    customers_enrich(integration_id=integration.pk)
    assert request_count() == first == 1


def test_enriching_10000_customers_takes_at_most_10_requests(
    register_url, integration, make_customers
):
    from sandbox.brreg.models import RegisterUnit
    from sandbox.brreg.seeding import address, enhet_data

    place = ("0150", "OSLO", "OSLO", "0301")
    numbers = [valid_orgnr(i) for i in range(10_000)]
    RegisterUnit.objects.bulk_create(
        RegisterUnit(
            organisasjonsnummer=number,
            data=enhet_data(f"KUNDE {i} AS", forretningsadresse=address([f"Gate {i}"], place)),
        )
        for i, number in enumerate(numbers)
    )
    make_customers([{"organization_number": number} for number in numbers])
    result = customers_enrich(integration_id=integration.pk)
    assert result.matches[MatchStatus.EXACT] == 10_000
    assert request_count() <= 10
    assert Customer.objects.filter(customer_type="business").count() == 10_000


def test_fetch_addresses_without_update_only_fills_missing_addresses(
    register_url, integration, make_customers
):
    unit(valid_orgnr(19), street="Registergata 4")
    unit(valid_orgnr(20), street="Registergata 5")
    register_settings(update_on_exact_match=False)
    with_address, without = make_customers(
        [
            {"organization_number": valid_orgnr(19)},
            {
                "organization_number": valid_orgnr(20),
                "address_line1": "",
                "post_code": "",
                "city": "",
            },
        ]
    )
    customers_enrich(integration_id=integration.pk)
    with_address.refresh_from_db()
    without.refresh_from_db()
    assert with_address.address_line1 == "Ledgerveien 9"
    assert (without.address_line1, without.city) == ("Registergata 5", "OSLO")
    assert without.customer_type == "unknown"


def test_corrected_organisation_number_is_looked_up_at_once(
    register_url, integration, make_customers, alice
):
    unit(valid_orgnr(21), "RETTET AS")
    [customer] = make_customers([{"organization_number": bad_check_digit(valid_orgnr(21))}])
    customers_enrich(integration_id=integration.pk)
    customer_override_set(
        customer=customer, field="organization_number", value=valid_orgnr(21), user=alice
    )
    assert enrichment(customer).match == MatchStatus.EXACT
