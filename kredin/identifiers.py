"""Norwegian organisation numbers, validated with python-stdnum (MOD11): the one normaliser.

Ledgers carry numbers as `923 609 016`, `923.609.016`, `NO923609016MVA` (the VAT form):
`normalize_organization_number` reduces all of them to the nine digits, and
`valid_organization_number` says whether what is left is a real number.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr


def normalize_organization_number(value: str) -> str:
    """Digits only: spaces, dots and dashes go, and so do a NO prefix and an MVA suffix."""
    cleaned = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    if cleaned.startswith("NO"):
        cleaned = cleaned[2:]
    if cleaned.endswith("MVA"):
        cleaned = cleaned[:-3]
    return orgnr.compact(cleaned)


def is_valid_organization_number(value: str) -> bool:
    return orgnr.is_valid(value or "")


def valid_organization_number(value: str) -> str | None:
    """The normalised number if it is a valid one, else None."""
    number = normalize_organization_number(value)
    return number if len(number) == 9 and is_valid_organization_number(number) else None


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
