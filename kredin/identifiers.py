"""Norwegian identifiers, validated with python-stdnum (MOD11 organisation numbers)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr


def normalize_organization_number(value: str) -> str:
    return orgnr.compact(value or "")


def is_valid_organization_number(value: str) -> bool:
    return orgnr.is_valid(value or "")


def validate_organization_number(value: str) -> None:
    if not is_valid_organization_number(value):
        raise ValidationError(
            _(
                "%(value)s er ikke et gyldig organisasjonsnummer "
                "(9 siffer med gyldig kontrollsiffer)."
            ),
            params={"value": value},
            code="invalid_organization_number",
        )
