"""Forms of collections: the organisation's collection settings (Innstillinger → Inkasso)."""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from debt_collection.models import CollectionSettings
from debt_collection.services import settings as rules

_CHOICE_FIELDS = ("autopilot", "sequence", "business_route", "channels")


class _MoneyField(forms.DecimalField):
    """Kroner as Decimal; accepts 49,90 and 49.90, and spaces between thousands.

    Parsed here rather than by the locale, which reads 10.005 as ten thousand and five.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = "".join(str(value).split()).replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not amount.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


class CollectionSettingsForm(forms.ModelForm):
    """Every setting of the page; `read_only` shows the values without letting them change.

    The checks are the service's own (`debt_collection.services.settings`), so the page and
    any other caller refuse the same values with the same words.
    """

    minimum_amount = _MoneyField(
        label=_("Minste beløp for å starte sak (kr)"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Kunder som skylder mindre enn dette til sammen, får ingen sak."),
    )
    tiny_remainder = _MoneyField(
        label=_("Lukk saken når restbeløpet er under (kr)"),
        max_digits=8,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_(
            "Et lite restbeløp etter en innbetaling avskrives, og saken lukkes. Høyst 500 kr."
        ),
    )
    # Wider than the stored 11 and 9 digits: people type 1234.56.78903 and 923 609 016.
    bank_account = forms.CharField(
        label=_("Kontonummer"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Kontoen skyldneren betaler til. 11 siffer, for eksempel 1234.56.78903."),
    )
    sender_organization_number = forms.CharField(
        label=_("Organisasjonsnummer"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("9 siffer, som i Enhetsregisteret."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif"}),
    )
    remove_logo = forms.BooleanField(label=_("Fjern logoen"), required=False)

    class Meta:
        model = CollectionSettings
        fields = rules.EDITABLE_FIELDS
        widgets = {name: forms.RadioSelect for name in _CHOICE_FIELDS} | {
            "sender_post_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 4}
            ),
            "sender_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "sender_phone": forms.TextInput(attrs={"autocomplete": "tel"}),
        }
        error_messages = {
            "sender_email": {
                "invalid": _("Skriv en gyldig e-postadresse, for eksempel faktura@firma.no.")
            },
        }
        help_texts = {
            "days_after_due": _(
                "Brev med gebyr kan etter loven tidligst sendes 14 dager etter forfall. "
                "Setter du et lavere tall, venter slike brev til loven tillater dem; "
                "planen for hver sak forklarer når og hvorfor."
            ),
            "days_between_steps": _(
                "Ekstra dager etter at fristen i et brev har gått ut, før neste brev. "
                "0 betyr dagen etter fristen."
            ),
            "remainder_note_percent": _(
                "Når så mange prosent av kravet er betalt, sendes en restnota i stedet for "
                "neste steg, for eksempel 85."
            ),
            "use_final_notice": _("Et siste varsel før Kredin foreslår rettslige skritt."),
            "interest_note": _(
                "Betaler skyldneren fakturaen, men ikke renter og gebyrer, sendes en rentenota "
                "for resten. Uten rentenota går saken videre for gebyrene; er det bare renter "
                "igjen, avsluttes den og renten avskrives."
            ),
        }

    def __init__(self, *args, read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The service's range checks replace the fields' own, so a refusal is said once.
        for name, (low, high) in rules.INTEGER_RANGES.items():
            field = self.fields[name]
            field.validators = [functools.partial(_integer_valid, name)]
            field.widget.attrs.update(min=low, max=high)
        for name in rules.MONEY_RANGES:
            self.fields[name].validators = [functools.partial(_money_valid, name)]
        self.fields["logo"].help_text = _(
            "PNG, JPEG eller GIF, høyst %(kib)s KiB og %(side)s×%(side)s piksler. Vises på brevene."
        ) % {"kib": settings.KREDIN_LOGO_MAX_BYTES // 1024, "side": rules.LOGO_MAX_SIDE}
        if self.instance.bank_account and not self.is_bound:
            self.initial["bank_account"] = rules.bank_account_format(self.instance.bank_account)
        if read_only:
            for field in self.fields.values():
                field.disabled = True
            del self.fields["logo"], self.fields["remove_logo"]

    def clean_bank_account(self) -> str:
        return rules.bank_account_normalize(self.cleaned_data["bank_account"])

    def clean_sender_organization_number(self) -> str:
        return rules.organization_number_normalize(self.cleaned_data["sender_organization_number"])

    def clean_sender_post_code(self) -> str:
        return rules.post_code_normalize(self.cleaned_data["sender_post_code"])

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            rules.logo_check(logo)
        return logo or None

    def settings_data(self) -> dict:
        """What the service takes as `data`: the cleaned values of the settings themselves."""
        return {name: self.cleaned_data[name] for name in rules.EDITABLE_FIELDS}


def _integer_valid(name: str, value: int) -> None:
    rules.integer_check(name=name, value=value)


def _money_valid(name: str, value) -> None:
    rules.money_check(name=name, value=value)
