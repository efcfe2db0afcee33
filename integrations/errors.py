"""Why a sync or a connection failed, as codes (see kredin/error_codes.py)."""

from django.utils.translation import gettext_lazy as _

from kredin.error_codes import ErrorCatalogue

INTEGRATION_ERRORS = ErrorCatalogue(
    {
        # Sync runs
        "reconnect": _(
            "Business NXT godtar ikke lenger tilgangen. Koble til integrasjonen på nytt under "
            "Integrasjoner."
        ),
        "no_company_access": _(
            "Brukeren har ikke lenger tilgang til firmaet i Business NXT. Sjekk tilgangen, eller "
            "koble til på nytt."
        ),
        "inactive": _("Integrasjonen er ikke aktiv, så den ble ikke synkronisert."),
        "unexpected": _("Synkroniseringen stoppet på grunn av en uventet feil. Prøv igjen senere."),
        "unreachable": _(
            "Kunne ikke nå Business NXT etter %(attempts)s forsøk. Vi prøver igjen ved neste "
            "synkronisering."
        ),
        "refused": _("Business NXT avviste forespørselen: %(detail)s"),
        # The OAuth grant
        "grant_removed": _("Lagret tilgang er fjernet."),
        "grant_unreadable": _("Lagret tilgang kan ikke leses (ukjent krypteringsnøkkel)."),
        "no_refresh_token": _("Visma Connect ga ingen fornyelsesnøkkel."),
        "grant_refused": _(
            "Visma Connect godtar ikke lenger tilgangen (tilbakekalt eller utløpt)."
        ),
        "no_credentials": _("Integrasjonen har ingen lagret tilgang."),
    }
)
