"""What a notification says, worded when it is read, in the reader's language.

Rows keep the kind and its params (codes and names), never the sentence, so a person who
reads in English sees English. Codes from higher apps (channels, statuses, register flags)
are worded here as plain words; an unknown code is shown as it came.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kredin.models import NotificationKind

_CODE_LABELS = {
    "channel": {"email": gettext_lazy("e-post"), "post": gettext_lazy("brevpost")},
    "status": {
        "failed": gettext_lazy("feilet"),
        "bounced": gettext_lazy("avvist av mottaker"),
        "returned": gettext_lazy("returnert"),
    },
    "flag": {
        "bankrupt": gettext_lazy("konkurs"),
        "under_liquidation": gettext_lazy("under avvikling"),
        "under_compulsory_dissolution": gettext_lazy("under tvangsavvikling"),
        "deleted": gettext_lazy("slettet"),
        "removed": gettext_lazy("fjernet fra registeret"),
    },
    "via": {
        "letter": gettext_lazy("brev"),
        "email": gettext_lazy("e-post"),
        "phone": gettext_lazy("telefon"),
        "api": gettext_lazy("API"),
        "other": gettext_lazy("annet"),
    },
}


class _Params(dict):
    def __missing__(self, name: str) -> str:
        return "—"


def _worded(params: dict) -> _Params:
    worded = _Params({name: value for name, value in params.items() if value is not None})
    for name, labels in _CODE_LABELS.items():
        if name in worded:
            worded[name] = labels.get(str(worded[name]), worded[name])
    # Step codes belong to debt_collection; its callers may pass the step's own name.
    if worded.get("step_label"):
        worded["step"] = worded["step_label"]
    return worded


def notification_text(*, kind: str, params: dict) -> str:
    p = _worded(params)
    text = _sentence(kind, p, raw=params)
    # Optional detail some callers add (a return reason, why access was lost).
    if p.get("error") and kind in _ERROR_OPTIONAL:
        text = _("%(text)s (%(error)s)") % {"text": text, "error": p["error"]}
    return text


_ERROR_OPTIONAL = {NotificationKind.DELIVERY_FAILED, NotificationKind.INTEGRATION_RECONNECT}


def _sentence(kind: str, p: _Params, *, raw: dict) -> str:
    match kind:
        case NotificationKind.LEGAL_STEP_POSSIBLE:
            if "step" in p:
                return _("Rettslig skritt er mulig i sak S-%(case)s (%(debtor)s): %(step)s") % p
            return _("Rettslig skritt er mulig i sak S-%(case)s (%(debtor)s)") % p
        case NotificationKind.LIMITATION_WARNING:
            return (
                _(
                    "Kravet i sak S-%(case)s (%(debtor)s) foreldes etter %(limitation_date)s, om "
                    "%(months)s måneder: bare et rettslig skritt (begjæring om utlegg eller "
                    "forliksklage) holder det i live"
                )
                % p
            )
        case NotificationKind.SIGNATURE_AWAITED:
            return _("%(document)s i sak S-%(case)s (%(debtor)s) venter på signatur") % p
        case NotificationKind.DELIVERY_FAILED if raw.get("status") == "unknown":
            return (
                _(
                    "Utsendelsen av brevet i sak S-%(case)s (%(debtor)s) som %(channel)s ble "
                    "avbrutt: sjekk om det gikk ut"
                )
                % p
            )
        case NotificationKind.DELIVERY_FAILED:
            return (
                _("Brevet i sak S-%(case)s (%(debtor)s) kom ikke fram: %(channel)s, %(status)s") % p
            )
        case NotificationKind.VOUCHER_FAILED:
            return _("Bilaget for sak S-%(case)s kunne ikke føres: %(error)s") % p
        case NotificationKind.INTEGRATION_RECONNECT:
            return _("Integrasjonen %(integration)s må kobles til på nytt") % p
        case NotificationKind.SYNC_FAILING:
            return _("Synkroniseringen av %(integration)s feiler: %(error)s") % p
        case NotificationKind.REGISTER_FLAG:
            return _("Nytt registerflagg på %(debtor)s: %(flag)s") % p
        case NotificationKind.OBJECTION_RECEIVED if "case" not in p:
            # On an invoice in no case yet.
            return _("Innsigelse mottatt fra %(debtor)s på faktura %(invoice)s via %(via)s") % p
        case NotificationKind.OBJECTION_RECEIVED:
            return _("Innsigelse mottatt i sak S-%(case)s (%(debtor)s) via %(via)s") % p
    return str(kind)
