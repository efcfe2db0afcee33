"""Words for the rules page: what each table, field and key of the rates file is called."""

from django.utils.translation import gettext_lazy as _

TABLES = {
    "late_interest": (
        _("Forsinkelsesrente"),
        _("Prosent per år, fastsatt for hvert halvår (forsinkelsesrenteloven § 3)."),
    ),
    "b2b_compensation": (
        _("Kompensasjon mellom næringsdrivende"),
        _("Fast beløp per krav når begge parter er næringsdrivende (forsinkelsesrenteloven § 3a)."),
    ),
    "inkassosats": (
        _("Inkassosatsen"),
        _("Grunnlaget for gebyrene kreditor kan kreve (inkassoforskriften § 1-2)."),
    ),
    "fee_fractions": (
        _("Gebyrer som andel av inkassosatsen"),
        _("Etter kravets forfallsdato: eldre krav har andre brøker."),
    ),
    "court_fee_unit": (_("Rettsgebyret (R)"), _("Fastsatt for hvert kalenderår.")),
    "court_fee_multipliers": (
        _("Rettsgebyr for rettslige skritt"),
        _("Antall R for hvert skritt (rettsgebyrloven)."),
    ),
    "minimum_deadlines": (_("Minste betalingsfrister"), _("Dager fra brevet er sendt.")),
    "periods": (_("Lovbestemte perioder"), ""),
    "payment_allocation_order": (_("Rekkefølge for innbetalinger"), ""),
    "demand_letter_fee": (_("Gebyr for kravbrev (ny inkassolov)"), ""),
    "new_debt_collection_act": (
        _("Ny inkassolov"),
        _("Fra datoen loven trer i kraft, planlegges sakene etter de nye reglene."),
    ),
}

FIELDS = {
    "rate_percent": _("Rente (% per år)"),
    "amount_nok": _("Beløp (kr)"),
    "fee_rounding": _("Avrunding"),
    "reminder": _("Purring / inkassovarsel"),
    "payment_demand": _("Betalingsoppfordring"),
    "multiplier": _("Antall R"),
    "days": _("Dager"),
    "value": _("Lengde"),
    "unit": _("Enhet"),
    "order": _("Rekkefølge"),
    "law": _("Lov"),
    "in_force": _("Trer i kraft"),
}

KEYS = {
    # minimum_deadlines
    "friendly_reminder": _("Betalingspåminnelse"),
    "reminder": _("Purring"),
    "collection_notice": _("Inkassovarsel"),
    "payment_demand": _("Betalingsoppfordring"),
    "enforcement_notice": _("Sistevarsel før utlegg"),
    "bankruptcy_warning": _("Purring før konkursvarsel"),
    "pre_suit_notice": _("Prosessvarsel"),
    "bankruptcy_notice": _("Konkursvarsel"),
    "demand_letter": _("Kravbrev"),
    "remainder_note": _("Restnota"),
    "interest_note": _("Rentenota"),
    # court_fee_multipliers
    "enforcement_request": _("Begjæring om utlegg"),
    "conciliation_complaint": _("Forliksklage"),
    "bankruptcy_service": _("Forkynnelse av konkursbegjæring"),
    "bankruptcy_opening": _("Åpning av konkurs"),
    # periods
    "fee_earliest_after_due": _("Tidligste gebyr etter forfall"),
    "second_fee_minimum_deadline": _("Frist før gebyr nummer to"),
    "fee_reset_after_last_fee": _("Nye gebyrer etter siste gebyrbrev"),
    "enforcement_after_notice": _("Utlegg tidligst etter varsel"),
    "enforcement_notice_validity": _("Varselet gjelder for utlegg i"),
    "bankruptcy_notice_after_first_demand": _("Konkursvarsel etter første krav"),
    "bankruptcy_petition_after_notice": _("Konkursbegjæring etter varsel"),
    "limitation": _("Foreldelsesfrist"),
}

VALUE_WORDS = {
    "nearest_krone": _("til nærmeste hele krone"),
    "nearest_ore": _("til nærmeste øre"),
    "days": _("dager"),
    "months": _("måneder"),
    "years": _("år"),
    "costs": _("kostnader"),
    "interest": _("renter"),
    "principal": _("hovedstol"),
}
