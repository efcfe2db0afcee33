"""The stand-in register: units as Brreg publishes them, the update feed, a request log
and a fault switch for outage tests.

Kept free of product apps: the client under test must reach this over HTTP only.
"""

from __future__ import annotations

from django.db import models


class UnitKind(models.TextChoices):
    ENHET = "enhet", "Enhet"
    UNDERENHET = "underenhet", "Underenhet"


class UnitState(models.TextChoices):
    ACTIVE = "active", "Aktiv"
    DELETED = "deleted", "Slettet (200 med slettedato)"
    REMOVED = "removed", "Fjernet (410)"


class RegisterUnit(models.Model):
    organisasjonsnummer = models.CharField(max_length=9, unique=True)
    kind = models.CharField(max_length=10, choices=UnitKind.choices, default=UnitKind.ENHET)
    state = models.CharField(max_length=8, choices=UnitState.choices, default=UnitState.ACTIVE)
    # Every published field except organisasjonsnummer and _links, as Brreg spells them;
    # fields with no value are left out, never stored as null.
    data = models.JSONField(default=dict)
    slettedato = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisasjonsnummer"]

    def __str__(self) -> str:
        return f"{self.organisasjonsnummer} {self.data.get('navn', '')}"


class RegisterUpdate(models.Model):
    """One row of oppdateringer/enheter or /underenheter; the id is the oppdateringsid."""

    class Endringstype(models.TextChoices):
        UKJENT = "Ukjent"
        NY = "Ny"
        ENDRING = "Endring"
        SLETTING = "Sletting"
        FJERNET = "Fjernet"

    kind = models.CharField(max_length=10, choices=UnitKind.choices, default=UnitKind.ENHET)
    organisasjonsnummer = models.CharField(max_length=9, db_index=True)
    endringstype = models.CharField(max_length=10, choices=Endringstype.choices)
    dato = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} {self.endringstype} {self.organisasjonsnummer}"


class RegisterRequest(models.Model):
    """Every request the stand-in answered, so tests can count what a client sent."""

    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    query = models.TextField(blank=True)
    accept = models.CharField(max_length=255, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    status = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class RegisterFault(models.Model):
    """While an active row exists, every request is answered with `status` (an outage)."""

    active = models.BooleanField(default=True)
    status = models.PositiveSmallIntegerField(default=503)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"fault {self.status} ({'on' if self.active else 'off'})"
