"""Writes to the stand-in register. Every change also lands in the update feed,
as it does at Brreg, so a client following oppdateringer/enheter sees it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from sandbox.brreg.models import RegisterUnit, RegisterUpdate, UnitKind, UnitState


def _record(unit: RegisterUnit, endringstype: str) -> RegisterUpdate:
    return RegisterUpdate.objects.create(
        kind=unit.kind, organisasjonsnummer=unit.organisasjonsnummer, endringstype=endringstype
    )


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    # The register leaves empty fields out rather than sending null.
    return {key: value for key, value in data.items() if value is not None}


@transaction.atomic
def unit_upsert(
    *, organisasjonsnummer: str, data: dict[str, Any], kind: str = UnitKind.ENHET
) -> RegisterUnit:
    """Create or replace an active unit; records Ny or Endring when anything changed."""
    data = _clean(data)
    unit = RegisterUnit.objects.filter(organisasjonsnummer=organisasjonsnummer).first()
    if unit is None:
        unit = RegisterUnit.objects.create(
            organisasjonsnummer=organisasjonsnummer, kind=kind, data=data
        )
        _record(unit, RegisterUpdate.Endringstype.NY)
        return unit
    if unit.data == data and unit.state == UnitState.ACTIVE and unit.kind == kind:
        return unit
    unit.data, unit.kind, unit.state, unit.slettedato = data, kind, UnitState.ACTIVE, None
    unit.save()
    _record(unit, RegisterUpdate.Endringstype.ENDRING)
    return unit


@transaction.atomic
def unit_change(*, organisasjonsnummer: str, **fields: Any) -> RegisterUnit:
    """Change some fields of an existing unit (None removes a field)."""
    unit = RegisterUnit.objects.select_for_update().get(organisasjonsnummer=organisasjonsnummer)
    data = dict(unit.data)
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    unit.data = data
    unit.save()
    _record(unit, RegisterUpdate.Endringstype.ENDRING)
    return unit


@transaction.atomic
def unit_delete(*, organisasjonsnummer: str, slettedato: dt.date) -> RegisterUnit:
    unit = RegisterUnit.objects.select_for_update().get(organisasjonsnummer=organisasjonsnummer)
    if unit.state == UnitState.DELETED and unit.slettedato == slettedato:
        return unit
    unit.state, unit.slettedato = UnitState.DELETED, slettedato
    unit.save()
    _record(unit, RegisterUpdate.Endringstype.SLETTING)
    return unit


@transaction.atomic
def unit_remove(*, organisasjonsnummer: str, slettedato: dt.date) -> RegisterUnit:
    unit = RegisterUnit.objects.select_for_update().get(organisasjonsnummer=organisasjonsnummer)
    if unit.state == UnitState.REMOVED:
        return unit
    unit.state, unit.slettedato = UnitState.REMOVED, slettedato
    unit.save()
    _record(unit, RegisterUpdate.Endringstype.FJERNET)
    return unit
