"""The form for recording that the debtor has acknowledged the claim (erkjennelse)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from debt_collection.models import AcknowledgmentChannel
from kredin.clock import today_in_norway


class AcknowledgmentForm(forms.Form):
    acknowledged_on = forms.DateField(
        label=_("Erkjent"), widget=forms.DateInput(attrs={"type": "date"})
    )
    how = forms.ChoiceField(label=_("Hvordan"), choices=AcknowledgmentChannel.choices)
    note = forms.CharField(
        label=_("Notat"),
        max_length=500,
        required=False,
        help_text=_("F.eks. «Skyldneren bekreftet kravet i e-post 3. mars»."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledged_on"].initial = today_in_norway()
