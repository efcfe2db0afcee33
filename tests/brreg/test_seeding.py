"""The stand-in register seeded from the sandbox ledger's customers."""

from __future__ import annotations

from collections import Counter

import pytest

from sandbox.brreg.models import RegisterUnit, RegisterUpdate, UnitKind, UnitState
from sandbox.brreg.seeding import seed_register_for_customers
from tests.brreg.conftest import bad_check_digit, valid_orgnr

pytestmark = pytest.mark.django_db


def ledger_customers(count: int) -> list[dict]:
    return [
        {
            "name": f"Kunde {i} AS",
            "organization_number": valid_orgnr(i),
            "address_line": "Ledgerveien 9",
            "post_code": "7010",
            "city": "TRONDHEIM",
        }
        for i in range(count)
    ]


def test_seed_covers_every_kind_of_outcome():
    customers = ledger_customers(300)
    seed_register_for_customers(customers, seed=7)
    units = {u.organisasjonsnummer: u for u in RegisterUnit.objects.all()}
    mine = [units.get(c["organization_number"]) for c in customers]
    states = Counter(u.state for u in mine if u)
    assert states[UnitState.ACTIVE] and states[UnitState.DELETED] and states[UnitState.REMOVED]
    assert any(u is None for u in mine)  # unknown numbers: 404
    active = [u for u in mine if u and u.state == UnitState.ACTIVE and u.kind == UnitKind.ENHET]
    assert any(u.data["konkurs"] for u in active)
    assert any(u.data["underAvvikling"] for u in active)
    assert any(u.data["underTvangsavviklingEllerTvangsopplosning"] for u in active)
    assert any(u and u.kind == UnitKind.UNDERENHET for u in mine)
    assert RegisterUnit.objects.filter(kind=UnitKind.UNDERENHET).count() > sum(
        1 for u in mine if u and u.kind == UnitKind.UNDERENHET
    )  # branches of active units as well


def test_seeded_addresses_differ_from_the_ledger():
    seed_register_for_customers(ledger_customers(100), seed=7)
    for unit in RegisterUnit.objects.filter(kind=UnitKind.ENHET, state=UnitState.ACTIVE):
        assert unit.data["forretningsadresse"]["adresse"] != ["Ledgerveien 9"]


def test_seed_is_deterministic_and_idempotent():
    customers = ledger_customers(120)
    seed_register_for_customers(customers, seed=3)
    first = sorted(RegisterUnit.objects.values_list("organisasjonsnummer", "state", "data"))
    updates = RegisterUpdate.objects.count()
    seed_register_for_customers(customers, seed=3)
    assert sorted(RegisterUnit.objects.values_list("organisasjonsnummer", "state", "data")) == first
    assert RegisterUpdate.objects.count() == updates


def test_bad_check_digits_get_no_entry():
    bad = bad_check_digit(valid_orgnr(0))
    seed_register_for_customers(
        [
            {
                "name": "Feil AS",
                "organization_number": bad,
                "address_line": "",
                "post_code": "",
                "city": "",
            }
        ],
        seed=1,
    )
    assert not RegisterUnit.objects.filter(organisasjonsnummer=bad).exists()
