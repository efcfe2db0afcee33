"""Forms of objections: register one on a case (or one of its invoices) or on invoices in
no case, and withdraw one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from debt_collection.models import CaseItem, ObjectionChannel
from kredin.clock import today_in_norway

WHOLE_CASE = ""


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Hva innvender skyldneren?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    raised_on = forms.DateField(label=_("Mottatt"), widget=forms.DateInput(attrs={"type": "date"}))
    received_via = forms.ChoiceField(label=_("Mottatt via"), choices=ObjectionChannel.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_on"].initial = today_in_norway()

    def clean_raised_on(self):
        raised_on = self.cleaned_data["raised_on"]
        if raised_on > today_in_norway():
            raise forms.ValidationError(_("Innsigelsen kan ikke være mottatt etter i dag."))
        return raised_on


class CaseObjectionForm(ObjectionForm):
    """On the case page: the whole case, or one of its invoices (which objects the whole
    case all the same: the rules work per case)."""

    scope = forms.ChoiceField(
        label=_("Gjelder"),
        required=False,
        help_text=_(
            "En innsigelse mot én faktura stopper hele saken, fordi reglene gjelder saken samlet."
        ),
    )

    def __init__(self, *args, links: list[CaseItem] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [
            (WHOLE_CASE, _("Hele saken")),
            *(
                (str(link.open_item_id), _("Faktura %(no)s") % {"no": link.open_item.invoice_no})
                for link in links
                if link.released_on is None
            ),
        ]

    def item_id(self) -> int | None:
        chosen = self.cleaned_data.get("scope") or WHOLE_CASE
        return int(chosen) if chosen != WHOLE_CASE else None


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Hvorfor trekkes innsigelsen tilbake?"),
        max_length=500,
        help_text=_(
            "F.eks. «Skyldneren trakk den i telefon 3. mars» eller «Avklart: kravet står»."
        ),
    )
