"""Fixtures for the register: the sandbox over real HTTP, an integration, customers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from integrations.models import Integration
from ledger.models import Customer
from sandbox.brreg import registry
from sandbox.brreg.models import RegisterFault, RegisterRequest, UnitKind
from sandbox.brreg.seeding import address, enhet_data

API_PATH = "/sandbox/brreg/enhetsregisteret/api"


@pytest.fixture
def register_url(live_server, settings) -> str:
    url = live_server.url + API_PATH
    settings.BRREG_API_URL = url
    settings.BRREG_BACKOFF = 0
    settings.BRREG_HTTP_TIMEOUT = 5
    return url


_VALID: list[str] = []


def valid_orgnr(n: int) -> str:
    """The n-th MOD11-valid organisation number from 910000000 up (deterministic)."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    base = int(_VALID[-1][:8]) + 1 if _VALID else 91000000
    while len(_VALID) <= n:
        digits = str(base)
        check = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            _VALID.append(digits + str(0 if check == 11 else check))
        base += 1
    return _VALID[n]


def bad_check_digit(number: str) -> str:
    return number[:8] + str((int(number[8]) + 1) % 10)


def unit(
    number: str,
    navn: str = "REGISTERET AS",
    *,
    street: str = "Registergata 1",
    postbox: str | None = None,
    **flags,
):
    place = ("0150", "OSLO", "OSLO", "0301")
    return registry.unit_upsert(
        organisasjonsnummer=number,
        data=enhet_data(
            navn,
            forretningsadresse=address([street], place),
            postadresse=address([postbox], place) if postbox else None,
            **flags,
        ),
    )


def sub_unit(number: str, parent: str, navn: str = "REGISTERET AS AVD BERGEN"):
    return registry.unit_upsert(
        organisasjonsnummer=number,
        kind=UnitKind.UNDERENHET,
        data={
            "navn": navn,
            "organisasjonsform": {"kode": "BEDR", "beskrivelse": "Underenhet"},
            "registreringsdatoEnhetsregisteret": "2020-01-01",
            "registrertIMvaregisteret": False,
            "harRegistrertAntallAnsatte": False,
            "overordnetEnhet": parent,
            "beliggenhetsadresse": address(["Bryggen 3"], ("5003", "BERGEN", "BERGEN", "4601")),
        },
    )


def request_count() -> int:
    return RegisterRequest.objects.count()


@pytest.fixture
def outage():
    fault = RegisterFault.objects.create(active=True, status=503)
    yield fault
    RegisterFault.objects.all().delete()


@pytest.fixture
def integration(in_alice_scope) -> Integration:
    return Integration.objects.create(
        system="business_nxt",
        status="active",
        visma_company_id=1,
        company_name="Alice Rørlegger AS",
    )


@pytest.fixture
def make_customers(integration) -> Callable[..., list[Customer]]:
    def make(rows: list[dict]) -> list[Customer]:
        customers = [
            Customer(
                organization_id=integration.organization_id,
                integration=integration,
                external_id=str(10000 + index),
                customer_no=10000 + index,
                name=row.get("name", f"Kunde {index}"),
                organization_number=row.get("organization_number", ""),
                customer_type=row.get("customer_type", "unknown"),
                address_line1=row.get("address_line1", "Ledgerveien 9"),
                post_code=row.get("post_code", "7010"),
                city=row.get("city", "TRONDHEIM"),
                ledger_data=row.get("ledger_data", {}),
            )
            for index, row in enumerate(rows)
        ]
        return Customer.objects.bulk_create(customers, batch_size=2000)

    return make


@pytest.fixture
def long_ago() -> dt.datetime:
    return dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def register_settings(**choices) -> None:
    """Set the organisation in scope's register settings (mode, fetch_addresses, ...)."""
    from brreg.models import RegisterSettings
    from kredin.tenancy import current_organization_id

    RegisterSettings.objects.update_or_create(
        organization_id=current_organization_id(), defaults=choices
    )
