"""Forms of the case pages: the list's filters and the actions on one case."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from debt_collection.models import CaseState
from debt_collection.planning import ORDER
from debt_collection.rules.formatting import step_title
from debt_collection.selectors.cases import CaseFilter


def step_choices() -> list[tuple[str, str]]:
    return [("", _("Alle steg")), *((str(code), step_title(code, lang="nb")) for code in ORDER)]


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Søk"),
        required=False,
        max_length=100,
        help_text=_("Skyldner, saksnummer (S-12) eller fakturanummer"),
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Åpne")), ("", _("Alle")), *CaseState.choices],
    )
    step = forms.ChoiceField(label=_("Steg"), required=False)
    amount_min = forms.DecimalField(
        label=_("Restbeløp fra"), required=False, max_digits=14, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("Restbeløp til"), required=False, max_digits=14, decimal_places=2
    )
    next_by = forms.DateField(
        label=_("Neste steg senest"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = step_choices()

    def to_filter(self) -> CaseFilter:
        data = self.cleaned_data if self.is_valid() else {"state": "open"}
        return CaseFilter(
            state=data.get("state", "open") if self.is_bound else "open",
            step=data.get("step") or "",
            q=data.get("q") or "",
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            next_by=data.get("next_by"),
        )


class PauseForm(forms.Form):
    note = forms.CharField(label=_("Hvorfor"), max_length=500)
    until = forms.DateField(
        label=_("Fortsett automatisk"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("La stå tom for å fortsette selv."),
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Hvorfor"), max_length=500)


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Slå sammen med sak"), min_value=1)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Beløp"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    note = forms.CharField(label=_("Merknad"), max_length=200, required=False)
