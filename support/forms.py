"""Forms of the support console."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from support.errors import SupportError
from support.reasons import REASON_MAX_LENGTH, reason_clean


class ReasonForm(forms.Form):
    """The written reason every support action needs; the customer reads it in their log.

    The rule is reason_clean's (the service checks it again), so the refusal reads the
    same whichever way the reason arrives.
    """

    reason = forms.CharField(
        label=_("Begrunnelse"),
        help_text=_("Kunden ser begrunnelsen i revisjonsloggen."),
        max_length=REASON_MAX_LENGTH * 2,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv en begrunnelse. Kunden ser den i revisjonsloggen.")},
    )

    def clean_reason(self) -> str:
        try:
            return reason_clean(self.cleaned_data["reason"])
        except SupportError as error:
            raise forms.ValidationError(str(error), code="reason") from None
