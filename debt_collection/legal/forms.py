"""The draft form (what a legal step needs from a person) and the sign form."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer

from debt_collection.legal.content import PERSON_FROM_FORM
from debt_collection.rules import StepCode

S = StepCode
YES_NO = [("yes", _("Ja")), ("no", _("Nei"))]


def national_id_clean(value: str) -> str:
    """The 11 digits of a valid fødselsnummer (or D-number), or a ValidationError."""
    try:
        return fodselsnummer.validate(value)
    except StdnumError:
        raise forms.ValidationError(
            _("Fødselsnummeret er ikke gyldig (11 siffer med riktige kontrollsifre)."),
            code="invalid_national_id",
        ) from None


class LegalDraftForm(forms.Form):
    """The fields depend on the step and the debtor: a person's identity number and address
    are asked for, never filled in from elsewhere; a request for enforcement must say yes or
    no to the conciliation board."""

    def __init__(
        self,
        *args,
        step: StepCode,
        is_business: bool,
        on: date,
        minimum_days: int = 14,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.step, self.on, self.minimum_days = step, on, minimum_days
        if step == S.ENFORCEMENT_REQUEST:
            self.fields["conciliation_if_objected"] = forms.ChoiceField(
                label=_(
                    "Skal saken behandles i forliksrådet hvis skyldneren kommer med innsigelser?"
                ),
                choices=YES_NO,
                widget=forms.RadioSelect,
            )
        if not is_business and step in PERSON_FROM_FORM:
            self.fields["national_id"] = forms.CharField(
                label=_("Skyldnerens fødselsnummer (11 siffer)"),
                max_length=20,
                required=step == S.ENFORCEMENT_REQUEST,
                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
            )
            self.fields["address_line1"] = forms.CharField(
                label=_("Skyldnerens adresse"), max_length=200
            )
            self.fields["address_line2"] = forms.CharField(
                label=_("Adresselinje 2"), max_length=200, required=False
            )
            self.fields["post_code"] = forms.CharField(label=_("Postnummer"), max_length=10)
            self.fields["city"] = forms.CharField(label=_("Poststed"), max_length=100)
        if step == S.PRE_SUIT_NOTICE:
            self.fields["deadline"] = forms.DateField(
                label=_("Svarfrist"),
                initial=on + timedelta(days=minimum_days),
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields["note"] = forms.CharField(
                label=_("Vårt syn på innsigelsen (valgfritt, står i varselet)"),
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        if step == S.CONCILIATION_COMPLAINT:
            self.fields["board"] = forms.CharField(
                label=_("Forliksrådet (skyldnerens kommune)"), max_length=100
            )
            self.fields["statement"] = forms.CharField(
                label=_("Begrunnelse: hvorfor kravet er riktig"),
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def clean_national_id(self) -> str:
        value = self.cleaned_data.get("national_id", "").strip()
        return national_id_clean(value) if value else ""

    def clean_deadline(self) -> date:
        deadline = self.cleaned_data["deadline"]
        if deadline < self.on + timedelta(days=self.minimum_days):
            raise forms.ValidationError(
                _("Fristen må være minst %(days)s dager fra i dag."),
                params={"days": self.minimum_days},
                code="deadline_too_short",
            )
        return deadline

    def details(self) -> dict[str, Any]:
        """What was entered, as JSON for the document's details."""
        found: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name == "conciliation_if_objected":
                found[name] = value == "yes"
            elif isinstance(value, date):
                found[name] = value.isoformat()
            else:
                found[name] = str(value).strip()
        return found


def draft_initial(details: dict[str, Any]) -> dict[str, Any]:
    """A document's stored details back as the form's initial values (for editing)."""
    initial = dict(details)
    if "conciliation_if_objected" in details:
        initial["conciliation_if_objected"] = "yes" if details["conciliation_if_objected"] else "no"
    if details.get("deadline"):
        initial["deadline"] = date.fromisoformat(details["deadline"])
    return initial


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Passordet ditt"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label=_("Engangskode fra autentiseringsappen"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
