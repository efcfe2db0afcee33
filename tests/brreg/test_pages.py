"""The register panel, the override form and the reskontro badges."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brreg.selectors import customer_dunning_blocks, customer_flags_map, customer_register_view
from brreg.services import customers_enrich
from kredin.tenancy import organization_scope
from ledger.models import Customer, CustomerOverride
from tests.brreg.conftest import bad_check_digit, unit, valid_orgnr

pytestmark = pytest.mark.django_db


@pytest.fixture
def bankrupt_customer(register_url, integration, make_customers) -> Customer:
    unit(
        valid_orgnr(0),
        "KONKURS AS",
        street="Konkursveien 1",
        konkurs=True,
        konkursdato="2026-05-05",
    )
    [customer] = make_customers([{"name": "Konkurs", "organization_number": valid_orgnr(0)}])
    customers_enrich(integration_id=integration.pk)
    customer.refresh_from_db()
    return customer


def override_url(customer: Customer, slug: str = "alice-ror") -> str:
    return reverse("brreg:customer-override", kwargs={"org_slug": slug, "customer_id": customer.pk})


def test_flags_map_gives_reskontro_badges(bankrupt_customer):
    flags = customer_flags_map(customer_ids=[bankrupt_customer.pk])[bankrupt_customer.pk]
    assert [b.code for b in flags.badges] == ["bankrupt", "exact"]
    assert [b.code for b in flags.warnings] == ["bankrupt"]
    assert flags.dunning_blocked


def test_dunning_blocks_name_the_reason(bankrupt_customer):
    assert customer_dunning_blocks(customer_ids=[bankrupt_customer.pk]) == {
        bankrupt_customer.pk: ["bankrupt"]
    }


def test_invalid_number_gets_a_warning_badge(register_url, integration, make_customers):
    [customer] = make_customers([{"organization_number": bad_check_digit(valid_orgnr(1))}])
    customers_enrich(integration_id=integration.pk)
    flags = customer_flags_map(customer_ids=[customer.pk])[customer.pk]
    assert [b.code for b in flags.warnings] == ["invalid_orgnr"]


def test_register_view_shows_ledger_and_register_side_by_side(bankrupt_customer):
    view = customer_register_view(customer=bankrupt_customer)
    rows = {row.field: row for row in view.rows}
    assert rows["address_line1"].ledger == "Ledgerveien 9"
    assert rows["address_line1"].register == "Konkursveien 1"
    assert rows["address_line1"].current == "Konkursveien 1"
    assert ("Konkursdato", "2026-05-05") in view.register_facts


def test_override_page_shows_the_panel_with_flags(bankrupt_customer, alice, client_for):
    response = client_for(alice).get(override_url(bankrupt_customer))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="register-panel"' in body
    assert 'data-flag="bankrupt"' in body
    assert "Ledgerveien 9" in body and "Konkursveien 1" in body


def test_override_form_sets_the_value(bankrupt_customer, bob, client_for):
    response = client_for(bob).post(
        override_url(bankrupt_customer), {"action": "set", "field": "city", "value": "Lillestrøm"}
    )
    assert response.status_code == 302
    bankrupt_customer.refresh_from_db()
    assert bankrupt_customer.city == "Lillestrøm"
    assert CustomerOverride.objects.get(customer=bankrupt_customer).set_by == bob


def test_override_form_rejects_unknown_fields(bankrupt_customer, alice, client_for):
    response = client_for(alice).post(
        override_url(bankrupt_customer), {"action": "set", "field": "email", "value": "x"}
    )
    assert response.status_code == 400
    assert not CustomerOverride.objects.exists()


def test_override_form_with_htmx_returns_the_panel(bankrupt_customer, alice, client_for):
    response = client_for(alice).post(
        override_url(bankrupt_customer),
        {"action": "set", "field": "customer_type", "value": "person"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section class="card register-panel"')


def test_override_can_be_removed(bankrupt_customer, alice, client_for):
    client = client_for(alice)
    client.post(override_url(bankrupt_customer), {"field": "city", "value": "Lillestrøm"})
    client.post(override_url(bankrupt_customer), {"action": "remove", "field": "city"})
    assert not CustomerOverride.objects.exists()


def test_other_organisations_get_404(bankrupt_customer, charlie, client_for):
    client = client_for(charlie)
    assert client.get(override_url(bankrupt_customer)).status_code == 404
    assert client.get(override_url(bankrupt_customer, "charlie-bygg")).status_code == 404
    response = client.post(
        override_url(bankrupt_customer, "charlie-bygg"), {"field": "city", "value": "X"}
    )
    assert response.status_code == 404


def test_change_history_names_fields_and_values_in_words(bankrupt_customer):
    view = customer_register_view(customer=bankrupt_customer)
    by_label = {change.label: change for change in view.changes}
    assert by_label["Kundetype"].new == "Bedrift"
    assert by_label["Kundetype"].source == "Brønnøysundregisteret"
    assert "customer_type" not in by_label


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("city", "x" * 101, "100 eller færre tegn"),
        ("country", "Norge", "2 eller færre tegn"),
        ("name", "", "Feltet kan ikke være blankt"),
        ("organization_number", "923609017", "ikke et gyldig organisasjonsnummer"),
        ("customer_type", "alien", "ikke et gyldig valg"),
    ],
)
def test_override_values_are_held_to_the_model_fields_rules(
    bankrupt_customer, alice, client_for, field, value, message
):
    response = client_for(alice).post(
        override_url(bankrupt_customer), {"action": "set", "field": field, "value": value}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    with organization_scope(bankrupt_customer.organization_id):
        assert not CustomerOverride.objects.filter(field=field).exists()
