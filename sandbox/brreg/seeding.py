"""Fill the stand-in register so it agrees with the sandbox ledger.

`seed_register_for_customers` is called by `sandbox_seed` with every ledger customer that
has an organisation number. The outcome per customer depends only on (seed, number), so
running it twice changes nothing and records nothing new in the update feed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from stdnum.no import orgnr as stdnum_orgnr

from sandbox.brreg import registry
from sandbox.brreg.models import RegisterUnit, UnitKind, UnitState

# Fixed, so the same seed gives the same dates on any day.
ANCHOR = dt.date(2026, 6, 1)

PLACES = [
    ("0150", "OSLO", "OSLO", "0301"),
    ("0585", "OSLO", "OSLO", "0301"),
    ("5003", "BERGEN", "BERGEN", "4601"),
    ("7010", "TRONDHEIM", "TRONDHEIM", "5001"),
    ("4006", "STAVANGER", "STAVANGER", "1103"),
    ("9008", "TROMSØ", "TROMSØ", "5501"),
    ("8006", "BODØ", "BODØ", "1804"),
    ("3015", "DRAMMEN", "DRAMMEN", "3301"),
    ("2317", "HAMAR", "HAMAR", "3403"),
    ("4612", "KRISTIANSAND S", "KRISTIANSAND", "4204"),
]
STREETS = [
    "Storgata",
    "Kongens gate",
    "Industriveien",
    "Havnegata",
    "Sjøgata",
    "Strandveien",
    "Fjordveien",
    "Nedre Slottsgate",
    "Øvre Vollgate",
    "Bryggen",
]
FORMS = {
    "AS": "Aksjeselskap",
    "ENK": "Enkeltpersonforetak",
    "ANS": "Ansvarlig selskap",
    "BEDR": "Underenhet til næringsdrivende og offentlig forvaltning",
}
NACE = [
    ("43.221", "Rørleggerarbeid"),
    ("41.200", "Oppføring av bygninger"),
    ("47.190", "Butikkhandel med bredt vareutvalg"),
    ("62.010", "Programmeringstjenester"),
    ("56.101", "Drift av restauranter og kafeer"),
]

# Shares of customers with a valid number, in order; the rest get no entry (404).
OUTCOMES = [
    ("active", 0.60),
    ("bankrupt", 0.08),
    ("liquidation", 0.05),
    ("compulsory", 0.03),
    ("deleted", 0.06),
    ("removed", 0.04),
    ("sub_unit", 0.05),
    ("unknown", 0.09),
]


def normalize(value: str) -> str:
    value = (value or "").upper().replace("MVA", "").replace("NO", "", 1)
    return stdnum_orgnr.compact(value)


def address(lines: list[str], place: tuple[str, str, str, str]) -> dict[str, Any]:
    postnummer, poststed, kommune, kommunenummer = place
    return {
        "land": "Norge",
        "landkode": "NO",
        "postnummer": postnummer,
        "poststed": poststed,
        "adresse": lines,
        "kommune": kommune,
        "kommunenummer": kommunenummer,
    }


def enhet_data(
    navn: str,
    *,
    forretningsadresse: dict[str, Any],
    postadresse: dict[str, Any] | None = None,
    form: str = "AS",
    registered: dt.date = dt.date(2015, 3, 2),
    employees: int = 0,
    nace: tuple[str, str] = NACE[0],
    **flags: Any,
) -> dict[str, Any]:
    """A full Enhet as the register publishes it; absent fields stay out."""
    data: dict[str, Any] = {
        "navn": navn,
        "organisasjonsform": {"kode": form, "beskrivelse": FORMS.get(form, form)},
        "postadresse": postadresse,
        "registreringsdatoEnhetsregisteret": registered.isoformat(),
        "registrertIMvaregisteret": form != "ENK" or employees > 0,
        "naeringskode1": {"kode": nace[0], "beskrivelse": nace[1]},
        "antallAnsatte": employees if employees > 4 else None,
        "harRegistrertAntallAnsatte": employees > 0,
        "forretningsadresse": forretningsadresse,
        "institusjonellSektorkode": (
            {"kode": "8200", "beskrivelse": "Personlig næringsdrivende"}
            if form == "ENK"
            else {"kode": "2100", "beskrivelse": "Private aksjeselskaper mv."}
        ),
        "registrertIForetaksregisteret": form != "ENK",
        "registrertIStiftelsesregisteret": False,
        "registrertIFrivillighetsregisteret": False,
        "stiftelsesdato": registered.isoformat() if form == "AS" else None,
        "konkurs": False,
        "underAvvikling": False,
        "underTvangsavviklingEllerTvangsopplosning": False,
        "maalform": "Bokmål",
    }
    data.update(flags)
    return {key: value for key, value in data.items() if value is not None}


def _register_name(name: str, form: str) -> str:
    spelled = " ".join(name.split()).upper()
    if form == "AS" and not spelled.endswith((" AS", " ASA")):
        spelled += " AS"
    return spelled


def _outcome(rng: random.Random) -> str:
    roll, edge = rng.random(), 0.0
    for name, share in OUTCOMES:
        edge += share
        if roll < edge:
            return name
    return "unknown"


def _other_street(rng: random.Random, ledger_line: str) -> str:
    while True:
        street = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
        if street.lower() != (ledger_line or "").strip().lower():
            return street


def _new_orgnr(rng: random.Random, taken: set[str]) -> str:
    while True:
        base = "9" + "".join(str(rng.randint(0, 9)) for _ in range(7))
        weights = (3, 2, 7, 6, 5, 4, 3, 2)
        check = 11 - sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
        if check == 10:
            continue
        number = base + str(0 if check == 11 else check)
        # No database check: that would make a second run pick other numbers.
        if number not in taken:
            taken.add(number)
            return number


def _days_ago(rng: random.Random, low: int, high: int) -> dt.date:
    return ANCHOR - dt.timedelta(days=rng.randint(low, high))


def _ensure(
    number: str,
    data: dict[str, Any],
    *,
    kind: str = UnitKind.ENHET,
    state: str = UnitState.ACTIVE,
    slettedato: dt.date | None = None,
) -> None:
    existing = RegisterUnit.objects.filter(organisasjonsnummer=number).first()
    if (
        existing is not None
        and existing.state == state
        and existing.kind == kind
        and existing.data == data
        and existing.slettedato == slettedato
    ):
        return
    registry.unit_upsert(organisasjonsnummer=number, data=data, kind=kind)
    if state == UnitState.DELETED:
        registry.unit_delete(organisasjonsnummer=number, slettedato=slettedato or ANCHOR)
    elif state == UnitState.REMOVED:
        registry.unit_remove(organisasjonsnummer=number, slettedato=slettedato or ANCHOR)


def seed_register_for_customers(customers: list[dict], seed: int) -> None:
    """One register entry (or deliberately none) per customer with a valid number.

    Numbers with a bad check digit get nothing: a correct client never asks for them.
    """
    taken = {normalize(c.get("organization_number", "")) for c in customers}
    for customer in customers:
        number = normalize(customer.get("organization_number", ""))
        if not stdnum_orgnr.is_valid(number):
            continue
        rng = random.Random(f"{seed}:{number}")  # noqa: S311 (test data, not secrets)
        outcome = _outcome(rng)
        if outcome == "unknown":
            continue
        form = "ENK" if rng.random() < 0.1 else "AS"
        navn = _register_name(customer.get("name") or f"Kunde {number}", form)
        place = rng.choice(PLACES)
        business = address([_other_street(rng, customer.get("address_line", ""))], place)
        postal = (
            address([f"Postboks {rng.randint(1, 9999)}"], place) if rng.random() < 0.5 else None
        )
        common = {
            "forretningsadresse": business,
            "postadresse": postal,
            "form": form,
            "registered": _days_ago(rng, 400, 9000),
            "employees": rng.choice([0, 2, 6, 14, 40]),
            "nace": rng.choice(NACE),
        }
        if outcome == "sub_unit":
            parent = _new_orgnr(rng, taken)
            _ensure(parent, enhet_data(navn, **common))
            _ensure(number, _underenhet_data(navn, parent, business, rng), kind=UnitKind.UNDERENHET)
            continue
        flags: dict[str, Any] = {}
        state, slettedato = UnitState.ACTIVE, None
        if outcome == "bankrupt":
            flags = {"konkurs": True, "konkursdato": _days_ago(rng, 10, 600).isoformat()}
        elif outcome == "liquidation":
            flags = {
                "underAvvikling": True,
                "underAvviklingDato": _days_ago(rng, 10, 300).isoformat(),
            }
        elif outcome == "compulsory":
            flags = {
                "underTvangsavviklingEllerTvangsopplosning": True,
                "tvangsopplostPgaManglendeRevisorDato": _days_ago(rng, 10, 300).isoformat(),
            }
        elif outcome == "deleted":
            state, slettedato = UnitState.DELETED, _days_ago(rng, 10, 700)
        elif outcome == "removed":
            state, slettedato = UnitState.REMOVED, _days_ago(rng, 10, 700)
        _ensure(number, enhet_data(navn, **common, **flags), state=state, slettedato=slettedato)
        if outcome == "active" and rng.random() < 0.25:
            branch = _new_orgnr(rng, taken)
            branch_place = address([_other_street(rng, "")], rng.choice(PLACES))
            _ensure(
                branch,
                _underenhet_data(
                    f"{navn} AVD {branch_place['poststed']}", number, branch_place, rng
                ),
                kind=UnitKind.UNDERENHET,
            )


def _underenhet_data(
    navn: str, parent: str, location: dict[str, Any], rng: random.Random
) -> dict[str, Any]:
    return {
        "navn": navn,
        "organisasjonsform": {"kode": "BEDR", "beskrivelse": FORMS["BEDR"]},
        "registreringsdatoEnhetsregisteret": _days_ago(rng, 400, 5000).isoformat(),
        "registrertIMvaregisteret": False,
        "harRegistrertAntallAnsatte": True,
        "antallAnsatte": rng.randint(5, 30),
        "overordnetEnhet": parent,
        "oppstartsdato": _days_ago(rng, 400, 5000).isoformat(),
        "beliggenhetsadresse": location,
    }
