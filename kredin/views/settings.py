"""Organisation settings and the audit log: /o/<org_slug>/innstillinger/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from kredin import services
from kredin.forms import OrganizationForm, role_label
from kredin.models import AuditEvent
from kredin.permissions import Permission
from kredin.selectors import audit_events_for_organization
from kredin.views.base import OrganizationViewMixin

ACTION_LABELS = {
    "auth.login": gettext_lazy("Logget inn"),
    "auth.logout": gettext_lazy("Logget ut"),
    "auth.login_failed": gettext_lazy("Mislykket innlogging"),
    "auth.password_reset": gettext_lazy("Passord tilbakestilt"),
    "auth.password_changed": gettext_lazy("Passord byttet"),
    "auth.signup_started": gettext_lazy("Registrering startet"),
    "auth.email_confirmed": gettext_lazy("E-postadresse bekreftet"),
    "auth.confirmation_failed": gettext_lazy("Mislykket bekreftelse (feil passord)"),
    "auth.second_factor_set_up": gettext_lazy("Autentiseringsapp satt opp"),
    "auth.second_factor_failed": gettext_lazy("Feil engangskode ved innlogging"),
    "security.rate_limited": gettext_lazy("Stoppet etter for mange forsøk"),
    "organization.created": gettext_lazy("Organisasjon opprettet"),
    "organization.updated": gettext_lazy("Organisasjonsinnstillinger endret"),
    "membership.invited": gettext_lazy("Invitasjon sendt"),
    "membership.invitation_revoked": gettext_lazy("Invitasjon trukket tilbake"),
    "membership.joined": gettext_lazy("Ble medlem"),
    "membership.role_changed": gettext_lazy("Rolle endret"),
    "membership.removed": gettext_lazy("Medlem fjernet"),
    "membership.signing_granted": gettext_lazy("Fikk rett til å signere rettslige dokumenter"),
    "membership.signing_revoked": gettext_lazy("Mistet retten til å signere rettslige dokumenter"),
    "api_token.created": gettext_lazy("API-nøkkel laget"),
    "api_token.revoked": gettext_lazy("API-nøkkel slettet"),
    "integration.connected": gettext_lazy("Regnskapssystem koblet til"),
    "integration.reconnected": gettext_lazy("Regnskapssystem koblet til igjen"),
    "integration.company_chosen": gettext_lazy("Firma valgt i regnskapssystemet"),
    "integration.activated": gettext_lazy("Integrasjon aktivert"),
    "integration.settings_changed": gettext_lazy("Integrasjonsinnstillinger endret"),
    "integration.disconnected": gettext_lazy("Integrasjon koblet fra"),
    "integration.deleted": gettext_lazy("Integrasjon slettet"),
    "integration.must_reconnect": gettext_lazy("Integrasjonen mistet tilgangen"),
    "brreg.settings_changed": gettext_lazy("Innstillinger for Brønnøysundregisteret endret"),
    "brreg.customer_flagged": gettext_lazy("Kunde flagget i Brønnøysundregisteret"),
    "ledger.customer_override_set": gettext_lazy("Kundeopplysning overstyrt"),
    "ledger.customer_override_removed": gettext_lazy("Overstyring av kundeopplysning fjernet"),
    "collections.settings_changed": gettext_lazy("Inkassoinnstillinger endret"),
    "collections.case_started": gettext_lazy("Sak startet"),
    "collections.legal_drafted": gettext_lazy("Utkast til rettslig dokument laget"),
    "collections.legal_redrafted": gettext_lazy("Utkast til rettslig dokument endret"),
    "collections.legal_signed": gettext_lazy("Rettslig dokument signert"),
    "collections.legal_sign_refused": gettext_lazy("Signering avvist (feil passord eller kode)"),
    "collections.legal_signature_voided": gettext_lazy("Signatur ugyldig"),
    "collections.legal_package_downloaded": gettext_lazy("Signert pakke lastet ned"),
    # Kredin's support staff acting for the organisation; each carries a written reason.
    "support.view_as_started": gettext_lazy("Kundeservice startet visning som kunde"),
    "support.view_as_ended": gettext_lazy("Kundeservice avsluttet visning som kunde"),
    "support.sync_requested": gettext_lazy("Kundeservice startet en synkronisering"),
    "support.voucher_retried": gettext_lazy("Kundeservice prøvde et bilag på nytt"),
    "support.delivery_retried": gettext_lazy("Kundeservice sendte en utsendelse på nytt"),
    "support.autopilot_paused": gettext_lazy("Kundeservice satte autopiloten på pause"),
    "support.autopilot_resumed": gettext_lazy("Kundeservice lot autopiloten fortsette"),
    "support.invitation_resent": gettext_lazy("Kundeservice sendte en invitasjon på nytt"),
    "support.confirmation_resent": gettext_lazy("Kundeservice sendte bekreftelseslenken på nytt"),
    "support.note_shared": gettext_lazy("Feilinformasjon delt med kundeservice"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


class OrganizationSettingsView(OrganizationViewMixin, View):
    template_name = "kredin/settings.html"

    def _render(self, form, status: int = 200):
        context = {
            "organization": self.organization,
            "membership": self.membership,
            "form": form,
            "may_edit": self.membership.has(Permission.MANAGE_SETTINGS),
            "may_view_audit_log": self.membership.has(Permission.VIEW_AUDIT_LOG),
            "role_label": role_label(self.membership.role),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, org_slug: str):
        return self._render(OrganizationForm(initial={"name": self.organization.name}))

    def post(self, request, org_slug: str):
        if not self.membership.has(Permission.MANAGE_SETTINGS):
            raise PermissionDenied
        form = OrganizationForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        services.organization_update(
            organization=self.organization,
            actor_membership=self.membership,
            name=form.cleaned_data["name"],
            request=request,
        )
        messages.success(request, _("Innstillingene er lagret."))
        return redirect("org-settings", org_slug=self.organization.slug)


class AuditLogView(OrganizationViewMixin, ListView):
    required_permission = Permission.VIEW_AUDIT_LOG
    template_name = "kredin/audit_log.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        return audit_events_for_organization(organization=self.organization)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [_audit_row(event) for event in context["events"]]
        return context


PERSON_NAMED_ACTIONS = ("membership.", "support.invitation_resent")


def _audit_row(event: AuditEvent) -> dict:
    details = event.details or {}
    # Membership and invitation events name the person concerned; the label is a fallback.
    obj = details.get("email") if event.action.startswith(PERSON_NAMED_ACTIONS) else None
    change = ""
    if event.action == "membership.role_changed":
        change = f"{role_label(details.get('old', ''))} → {role_label(details.get('new', ''))}"
    elif event.action in (
        "membership.invited",
        "membership.invitation_revoked",
        "membership.joined",
    ) and details.get("role"):
        change = role_label(details["role"])
    elif event.action == "organization.updated" and isinstance(details.get("name"), dict):
        change = f"{details['name'].get('old', '')} → {details['name'].get('new', '')}"
    return {
        "event": event,
        "label": action_label(event.action),
        "object": obj or event.object_label,
        "change": change,
        # Kredin's support writes why it acted; the owners read it here.
        "reason": str(details.get("reason") or "") if event.action.startswith("support.") else "",
    }
