"""Every support action carries a written reason, which the customer reads in their log."""

from __future__ import annotations

from django.utils.translation import gettext as _

from support.errors import SupportError

REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 1000


def reason_clean(reason: str | None) -> str:
    """The reason, trimmed; refused when it is missing or too short to tell anyone why."""
    text = " ".join((reason or "").split())
    if len(text) < REASON_MIN_LENGTH:
        raise SupportError(
            _("Skriv en begrunnelse på minst %(n)d tegn. Kunden ser den i revisjonsloggen.")
            % {"n": REASON_MIN_LENGTH}
        )
    return text[:REASON_MAX_LENGTH]
