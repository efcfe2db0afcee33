"""Forms of the setup wizard and the integration settings page."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from brreg.models import RegisterMode, RegisterSettings
from brreg.services import RegisterChoice
from integrations.models import Integration, PostingSettings
from integrations.services import PostingChoice, SyncSelection
from kredin.clock import today_in_norway

# The accounts a Business NXT company on the Norwegian standard chart (NS 4102) usually
# books reminder fees and late-payment interest on, in order of preference.
USUAL_FEE_INCOME_ACCOUNTS = (3900, 3600, 8070)
USUAL_INTEREST_INCOME_ACCOUNTS = (8050, 8040, 8070)
# The series a standard company keeps for miscellaneous vouchers ("Diverse bilag").
USUAL_SERIES_NAME = "diverse"
MAX_DAYS_PAST_DUE = 365


def years_back(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def usual_account(choices: list[int], preferred: tuple[int, ...]) -> int | None:
    for account_no in preferred:
        if account_no in choices:
            return account_no
    return None


def usual_series(series: list[tuple[int, str]]) -> int | None:
    for number, name in series:
        if USUAL_SERIES_NAME in name.casefold():
            return number
    return None


class CompanyChoiceForm(forms.Form):
    company_no = forms.TypedChoiceField(
        label=_("Firma"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvilket firma Kredin skal koble til.")},
    )

    def __init__(self, *args, companies: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.companies = {c.company_no: c for c in companies}
        self.fields["company_no"].choices = [
            (c.company_no, f"{c.name} ({c.company_no})") for c in companies
        ]


class IntegrationSettingsForm(forms.Form):
    fetch_from_date = forms.DateField(
        label=_("Hent utestående poster fra og med"),
        help_text=_("For eksempel tre år tilbake i tid."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    days_past_due = forms.IntegerField(
        label=_("Antall dager over forfall før en post leses inn"),
        help_text=_("1 betyr at det som forfalt i går, leses inn i dag."),
        min_value=0,
        max_value=MAX_DAYS_PAST_DUE,
    )
    fee_income_account = forms.TypedChoiceField(label=_("Konto for gebyrinntekter"), coerce=int)
    interest_income_account = forms.TypedChoiceField(
        label=_("Konto for renteinntekter"), coerce=int
    )
    voucher_series_no = forms.TypedChoiceField(
        label=_("Bilagsserie for inntektsbilag"),
        help_text=_("Bilagene for innbetalte gebyrer og renter får nummer i denne serien."),
        coerce=int,
        error_messages={"required": _("Velg hvilken bilagsserie bilagene skal føres i.")},
    )
    register_mode = forms.ChoiceField(
        label=_("Kundeopplysninger"), choices=RegisterMode.choices, widget=forms.RadioSelect
    )
    register_fetch_addresses = forms.BooleanField(
        label=_("Hent kundeadresser fra Brønnøysundregisteret"), required=False
    )
    register_update_on_exact_match = forms.BooleanField(
        label=_("Endre kundetype og adresser ved eksakt treff i Brønnøysundregisteret"),
        required=False,
    )

    def __init__(
        self, *args, accounts: list[tuple[int, str]], series: list[tuple[int, str]], **kwargs
    ):
        super().__init__(*args, **kwargs)
        choices = [(number, f"{number} {name}") for number, name in accounts]
        self.fields["fee_income_account"].choices = choices
        self.fields["interest_income_account"].choices = choices
        if series:
            self.fields["voucher_series_no"].choices = [
                (number, f"{number} {name}") for number, name in series
            ]
        else:
            # No list of series read yet: nothing to choose from, and the saved one stays.
            del self.fields["voucher_series_no"]

    @property
    def offers_series(self) -> bool:
        return "voucher_series_no" in self.fields

    @classmethod
    def initial_for(
        cls,
        *,
        integration: Integration,
        posting: PostingSettings,
        register: RegisterSettings,
        accounts: list[tuple[int, str]],
        series: list[tuple[int, str]],
    ) -> dict:
        numbers = [number for number, _name in accounts]
        return {
            "fetch_from_date": integration.fetch_from_date or years_back(today_in_norway(), 3),
            "days_past_due": integration.days_past_due,
            "fee_income_account": posting.fee_income_account
            or usual_account(numbers, USUAL_FEE_INCOME_ACCOUNTS),
            "interest_income_account": posting.interest_income_account
            or usual_account(numbers, USUAL_INTEREST_INCOME_ACCOUNTS),
            "voucher_series_no": posting.voucher_series_no or usual_series(series),
            "register_mode": register.mode,
            "register_fetch_addresses": register.fetch_addresses,
            "register_update_on_exact_match": register.update_on_exact_match,
        }

    def clean_fetch_from_date(self) -> date:
        value = self.cleaned_data["fetch_from_date"]
        today = today_in_norway()
        if value > today:
            raise forms.ValidationError(_("Datoen kan ikke være i fremtiden."))
        if value < years_back(today, 20):
            raise forms.ValidationError(_("Kredin henter poster høyst 20 år tilbake."))
        return value

    def clean(self):
        cleaned = super().clean()
        fee, interest = cleaned.get("fee_income_account"), cleaned.get("interest_income_account")
        if fee and interest and fee == interest:
            self.add_error(
                "interest_income_account",
                _("Gebyr og renter bør føres på hver sin konto, så inntektene kan skilles."),
            )
        return cleaned

    def selection(self) -> SyncSelection:
        return SyncSelection(
            fetch_from_date=self.cleaned_data["fetch_from_date"],
            days_past_due=self.cleaned_data["days_past_due"],
        )

    def posting(self) -> PostingChoice:
        return PostingChoice(
            fee_income_account=self.cleaned_data["fee_income_account"],
            interest_income_account=self.cleaned_data["interest_income_account"],
            voucher_series_no=self.cleaned_data.get("voucher_series_no"),
        )

    def register(self) -> RegisterChoice:
        return RegisterChoice(
            mode=self.cleaned_data["register_mode"],
            fetch_addresses=self.cleaned_data["register_fetch_addresses"],
            update_on_exact_match=self.cleaned_data["register_update_on_exact_match"],
        )
