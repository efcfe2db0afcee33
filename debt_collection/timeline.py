"""What a timeline event says, worded when shown (events store a kind and parameters)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from debt_collection.models import (
    CloseReason,
    DeliveryChannel,
    DeliveryStatus,
    ObjectionChannel,
    TimelineEvent,
)
from debt_collection.rules.formatting import step_title
from debt_collection.selectors.rules import reader_language

TEXTS = {
    "case_started": _("Saken ble startet med %(items)s faktura(er)."),
    "letter_planned": _("%(step)s ble laget, med frist %(deadline)s."),
    "payment_recorded": _("Innbetaling på %(amount)s kr registrert."),
    "payment_shared": _(
        "Innbetaling på %(amount)s kr: %(costs)s kr til gebyrer, %(interest)s kr til renter og "
        "%(principal)s kr til hovedstol."
    ),
    "payment_overpaid": _(
        "Skyldneren har betalt %(overpaid)s kr mer enn kravet. Beløpet står som kreditt på "
        "kunden i Business NXT."
    ),
    "credit_recorded": _("Kreditnota på %(amount)s kr trukket fra hovedstolen."),
    "paused": _("Saken ble satt på pause: %(why)s"),
    "resumed": _("Saken fortsetter."),
    "resumed_by_itself": _("Pausen var til %(until)s; saken fortsetter av seg selv."),
    "objection_registered": _(
        "Innsigelse registrert (mottatt %(raised_on)s, %(via)s)%(invoice)s. Ingen purringer, "
        "varsler eller gebyrer mens den står (%(legal_basis)s)."
    ),
    "objection_withdrawn": _(
        "Innsigelsen fra %(raised_on)s er trukket tilbake: %(note)s. %(then)s"
    ),
    "letter_stopped_objection": _(
        "%(step)s ble stoppet før utsending: skyldneren protesterte %(raised_on)s. Gebyret "
        "er trukket fra kravet."
    ),
    "closed": _("Saken ble avsluttet: %(why)s"),
    "reopened": _("Saken ble åpnet igjen."),
    "merged": _("Sak S-%(other)s ble slått sammen med denne."),
    "legal_step_possible": _("Rettslig skritt kan tas: %(step)s. Kredin lager utkastet."),
    "letter_sent": _("%(step)s er sendt (%(channels)s)."),
    "letter_stopped": _(
        "%(step)s ble ikke sendt: faktura %(invoices)s er betalt, kreditert "
        "eller endret i Business NXT. Saken planlegges på nytt."
    ),
    "letter_undelivered": _(
        "%(step)s kom ikke fram til skyldneren. Gebyret er trukket, og "
        "brevet teller ikke for fristene."
    ),
    "delivery_failed": _("%(channel)s: %(step)s ble ikke levert (%(status)s). %(error)s"),
    "delivery_unknown": _(
        "%(channel)s: det er uklart om %(step)s ble sendt. Sjekk på Utsendelser-siden."
    ),
    "acknowledged": _(
        "Skyldneren erkjente kravet %(acknowledged_on)s; en ny foreldelsesfrist løper fra den "
        "dagen."
    ),
    "legal_drafted": _("%(step)s: utkast laget (versjon %(version)s), venter på signatur."),
    "legal_redrafted": _("%(step)s: utkastet ble endret (versjon %(version)s)."),
    "legal_signed": _("%(step)s ble signert elektronisk av %(signer)s."),
    "legal_voided_edited": _("Signaturen på %(step)s er ugyldig: dokumentet ble endret."),
    "legal_voided_pdf_changed": _(
        "Signaturen på %(step)s er ugyldig: den lagrede PDF-en stemte ikke med signaturen."
    ),
}
PAUSE_REASONS = {
    "register": _(
        "Brønnøysundregisteret melder at skyldneren er konkurs, under avvikling eller slettet."
    ),
    "hold_over": _("pausen er over"),
    "time_barred": _(
        "kravet er foreldet (foreldelsesloven §§ 2–3), og det kan ikke kreves mer på det."
    ),
}
AFTER_WITHDRAWAL = {
    "active": _("Saken fortsetter."),
    "paused": _("Saken står fortsatt på pause."),
    "objected": _("Saken står fortsatt stille: en annen innsigelse står."),
}
DATE_PARAMS = ("until", "raised_on", "acknowledged_on")


def timeline_text(event: TimelineEvent) -> str:
    params = dict(event.params or {})
    lang = reader_language()
    if params.get("step"):
        params["step"] = step_title(params["step"], lang=lang)
    for name in DATE_PARAMS:
        if params.get(name):
            params[name] = _short_date(params[name])
    if event.kind == "closed":
        reason = params.get("reason", "")
        label = dict(CloseReason.choices).get(reason, reason)
        params["why"] = f"{label}{' – ' + params['note'] if params.get('note') else ''}"
    if event.kind == "paused":
        reason = params.get("reason", "")
        params["why"] = str(PAUSE_REASONS.get(reason, params.get("note") or reason))
        if reason == "time_barred" and params.get("limitation_date"):
            params["why"] += " " + str(
                _("Siste dag før foreldelse var %(date)s.")
                % {"date": _short_date(params["limitation_date"])}
            )
        if params.get("until"):
            params["why"] += " " + str(_("(til %(until)s)") % {"until": params["until"]})
    if event.kind.startswith("objection_"):
        params["via"] = str(dict(ObjectionChannel.choices).get(params.get("via"), "")).lower()
        invoice = params.get("invoice")
        params["invoice"] = (
            str(_(" mot faktura %(invoice)s") % {"invoice": invoice}) if invoice else ""
        )
        params["then"] = str(AFTER_WITHDRAWAL.get(params.get("state", ""), ""))
        params["note"] = str(params.get("note", "")).rstrip(". ")
    if params.get("channel"):
        params["channel"] = DeliveryChannel(params["channel"]).label
    if params.get("status"):
        params["status"] = DeliveryStatus(params["status"]).label.lower()
    if "channels" in params:
        params["channels"] = ", ".join(
            str(DeliveryChannel(c).label).lower() for c in params["channels"]
        )
    kind = event.kind
    if kind == "resumed" and params.get("reason") == "hold_over" and params.get("until"):
        kind = "resumed_by_itself"
    if kind == "payment_recorded" and "principal" in params:
        kind = "payment_shared"
        if params.get("overpaid") not in (None, "0", "0.00"):
            shared = str(TEXTS[kind]) % params
            return f"{shared} {TEXTS['payment_overpaid'] % params}"
    template = TEXTS.get(kind)
    if template is None:
        return event.kind
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def _short_date(value: str) -> str:
    """12.03.2026, from the ISO date an event keeps."""
    try:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    except (TypeError, ValueError):
        return str(value)
