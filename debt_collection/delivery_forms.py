"""Forms of the Utsendelser page: its filters and recording a returned letter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from debt_collection.models import DeliveryChannel, DeliveryStatus
from debt_collection.selectors.deliveries import DeliveryFilter


class DeliveryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Søk"),
        required=False,
        max_length=100,
        help_text=_("Skyldner, mottaker eller saksnummer (S-12)"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle")), ("attention", _("Trenger oppfølging")), *DeliveryStatus.choices],
    )
    channel = forms.ChoiceField(
        label=_("Kanal"), required=False, choices=[("", _("Alle")), *DeliveryChannel.choices]
    )

    def to_filter(self) -> DeliveryFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return DeliveryFilter(
            status=data.get("status") or "",
            channel=data.get("channel") or "",
            q=data.get("q") or "",
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Årsak"),
        max_length=300,
        help_text=_("For eksempel «Adressaten er ukjent» eller «Postkassen er full»."),
    )
