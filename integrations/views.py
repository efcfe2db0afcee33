"""Integration pages: the setup wizard, settings, sync progress, disconnect and delete.

Wizard: Ny integrasjon → Velg regnskapssystem → Business Nxt → (Visma Connect: Ok,
Accept) → back → pick the company → Lagre → settings → Lagre og aktiver → progress →
Gå til Reskontro-siden. Visma Connect may open in this window or in a new one; the
callback works for both (see `ConnectCallbackView`).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from brreg.selectors import register_settings_get
from integrations import oauth, selectors, services
from integrations.businessnxt.client import BusinessNxtError, TransientFailure
from integrations.diagnostics import integration_diagnostics
from integrations.forms import CompanyChoiceForm, IntegrationSettingsForm
from integrations.models import Integration, IntegrationStatus, SyncKind, SyncRun, SyncTrigger
from kredin.models import Organization
from kredin.permissions import Permission
from kredin.selectors import membership_get
from kredin.services.support_notes import support_note_create
from kredin.tenancy import organization_scope
from kredin.views.base import OrganizationViewMixin

logger = logging.getLogger(__name__)

# Where a finished consent is left for the Kredin tab that waits for it.
CONNECTED_SESSION_KEY = "visma_connect_connected"

REMOTE_FAILURE_MESSAGE = gettext_lazy(
    "Kredin fikk ikke kontakt med Business NXT akkurat nå. Prøv igjen om litt."
)


def _url(name: str, organization, **kwargs) -> str:
    return reverse(f"integrations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


class IntegrationMixin(OrganizationViewMixin):
    """Loads the integration named in the URL once, inside the organisation scope (else 404)."""

    integration: Integration

    def resolve_objects(self, *, integration_id: int, **url_kwargs) -> None:
        try:
            self.integration = selectors.integration_get(integration_id=integration_id)
        except Integration.DoesNotExist as exc:
            raise Http404 from exc


class IntegrationListView(OrganizationViewMixin, View):
    def get(self, request, org_slug):
        return render(
            request,
            "integrations/list.html",
            {
                "organization": self.organization,
                "integrations": selectors.integration_list(),
                "can_manage": self.membership.has(Permission.MANAGE_INTEGRATIONS),
            },
        )


class ChooseSystemView(OrganizationViewMixin, View):
    required_permission = Permission.MANAGE_INTEGRATIONS

    def get(self, request, org_slug):
        return render(
            request, "integrations/choose_system.html", {"organization": self.organization}
        )


class ConnectStartView(OrganizationViewMixin, View):
    """Send the browser to Visma Connect (here, or in a window of its own with ?vindu=nytt)."""

    required_permission = Permission.MANAGE_INTEGRATIONS

    def get(self, request, org_slug):
        reconnect_id = request.GET.get("integrasjon")
        if reconnect_id:
            self.setup_reconnect(reconnect_id)
        url = oauth.authorization_start(
            session=request.session,
            organization_id=self.organization.pk,
            redirect_uri=request.build_absolute_uri(reverse("visma-connect-callback")),
            new_window=request.GET.get("vindu") == "nytt",
            reconnect_integration_id=int(reconnect_id) if reconnect_id else None,
        )
        return redirect(url)

    def setup_reconnect(self, reconnect_id: str) -> None:
        if not reconnect_id.isdigit() or not Integration.objects.filter(pk=reconnect_id).exists():
            raise Http404


class ConnectWaitingView(OrganizationViewMixin, View):
    """The Kredin tab while Visma Connect is open in another: Lagre, or wait for the poll."""

    required_permission = Permission.MANAGE_INTEGRATIONS

    def connected_integration_id(self) -> int | None:
        connected = self.request.session.get(CONNECTED_SESSION_KEY) or {}
        return connected.get(str(self.organization.pk))

    def get(self, request, org_slug):
        if request.htmx:
            integration_id = self.connected_integration_id()
            if integration_id:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = self.next_url(integration_id)
                return response
            return HttpResponse(status=204)
        return render(
            request, "integrations/connect_waiting.html", {"organization": self.organization}
        )

    def post(self, request, org_slug):
        integration_id = self.connected_integration_id()
        if integration_id:
            return redirect(self.next_url(integration_id))
        messages.warning(
            request,
            _(
                "Vi har ikke fått svar fra Visma Connect ennå. Klikk Ok og Accept i Visma "
                "Connect-vinduet først, og kom så tilbake hit."
            ),
        )
        return redirect(_url("connect-waiting", self.organization))

    def next_url(self, integration_id: int) -> str:
        connected = dict(self.request.session.get(CONNECTED_SESSION_KEY) or {})
        connected.pop(str(self.organization.pk), None)
        self.request.session[CONNECTED_SESSION_KEY] = connected
        return _next_step_url(self.organization, integration_id)


def _next_step_url(organization, integration_id: int) -> str:
    integration = Integration.objects.get(pk=integration_id)
    if integration.status == IntegrationStatus.ACTIVE:
        return _url("detail", organization, integration_id=integration_id)
    return _url("choose-company", organization, integration_id=integration_id)


class ConnectCallbackView(LoginRequiredMixin, View):
    """Visma Connect's redirect back. One fixed URL for every organisation (it is registered
    with Visma), so the organisation comes from the pending authorization, and membership
    is checked again here."""

    def get(self, request):
        state = request.GET.get("state", "")
        try:
            pending = oauth.authorization_pending(session=request.session, state=state)
        except oauth.ConsentFailed:
            logger.warning("Visma Connect callback with an unknown state was refused.")
            messages.error(
                request,
                _(
                    "Svaret fra Visma Connect hørte ikke til en tilkobling startet her, så "
                    "ingenting er lagret. Start på nytt."
                ),
            )
            return redirect("home")
        organization = Organization.objects.filter(pk=pending.organization_id).first()
        if organization is None:
            raise Http404
        membership = membership_get(user=request.user, organization_slug=organization.slug)
        if not membership.has(Permission.MANAGE_INTEGRATIONS):
            raise Http404
        with organization_scope(organization):
            return self.finish(request, organization, pending)

    def finish(self, request, organization, pending):
        try:
            token = oauth.authorization_finish(
                session=request.session, query=request.GET.dict(), pending=pending
            )
        except oauth.ConsentFailed as exc:
            if exc.reason == "denied":
                messages.warning(
                    request,
                    _(
                        "Tilkoblingen ble avbrutt i Visma Connect. Ingenting er lagret; du kan "
                        "prøve igjen når du vil."
                    ),
                )
            else:
                messages.error(
                    request,
                    _(
                        "Visma Connect godtok ikke tilkoblingen, så ingenting er lagret. "
                        "Prøv igjen."
                    ),
                )
            return redirect(_url("new", organization))
        reconnect = None
        if pending.reconnect_integration_id:
            reconnect = Integration.objects.filter(pk=pending.reconnect_integration_id).first()
        profile = oauth.userinfo(access_token=token["access_token"])
        integration = services.integration_connect(
            organization=organization,
            user=request.user,
            token=token,
            external_user=profile.get("email", ""),
            reconnect=reconnect,
            request=request,
        )
        if pending.opened_in_new_window:
            connected = dict(request.session.get(CONNECTED_SESSION_KEY) or {})
            connected[str(organization.pk)] = integration.pk
            request.session[CONNECTED_SESSION_KEY] = connected
            return render(
                request, "integrations/connect_done_window.html", {"organization": organization}
            )
        if reconnect is not None:
            messages.success(request, _("Integrasjonen er koblet til igjen."))
        return redirect(_next_step_url(organization, integration.pk))


class ChooseCompanyView(IntegrationMixin, View):
    required_permission = Permission.MANAGE_INTEGRATIONS

    def get(self, request, org_slug, integration_id):
        integration = self.integration
        companies = self.companies()
        if companies is None:
            return self.render(form=None)
        initial = (
            {"company_no": integration.visma_company_id} if integration.visma_company_id else None
        )
        if initial is None and len(companies) == 1:
            initial = {"company_no": companies[0].company_no}
        return self.render(form=CompanyChoiceForm(companies=companies, initial=initial))

    def post(self, request, org_slug, integration_id):
        integration = self.integration
        companies = self.companies()
        if companies is None:
            return self.render(form=None)
        form = CompanyChoiceForm(request.POST, companies=companies)
        if not form.is_valid():
            return self.render(form=form)
        company = form.companies[form.cleaned_data["company_no"]]
        try:
            services.integration_choose_company(
                integration=integration,
                visma_company_id=company.company_no,
                company_name=company.name,
                user=request.user,
                request=request,
            )
        except services.IntegrationError as exc:
            form.add_error("company_no", str(exc))
            return self.render(form=form)
        return redirect(_url("settings", self.organization, integration_id=integration.pk))

    def companies(self) -> list | None:
        try:
            return selectors.remote_companies(integration=self.integration)
        except oauth.ReconnectRequired:
            messages.error(self.request, _("Tilgangen til Visma er borte. Koble til på nytt."))
        except (TransientFailure, BusinessNxtError):
            logger.exception("availableCompanies failed for integration %s", self.integration.pk)
            messages.error(self.request, REMOTE_FAILURE_MESSAGE)
        return None

    def render(self, *, form):
        return render(
            self.request,
            "integrations/choose_company.html",
            {
                "organization": self.organization,
                "integration": self.integration,
                "form": form,
            },
        )


class IntegrationSettingsView(IntegrationMixin, View):
    """The wizard's settings step (then "Lagre og aktiver") and the later settings page.

    Showing the page reads the company's accounts from Business NXT and keeps them; saving
    uses the kept list, so a Business NXT that does not answer never stops a save.
    """

    required_permission = Permission.MANAGE_INTEGRATIONS
    accounts_problem = ""

    def get(self, request, org_slug, integration_id):
        integration = self.integration
        if integration.visma_company_id is None:
            return redirect(
                _url("choose-company", self.organization, integration_id=integration.pk)
            )
        self.refresh_accounts()
        accounts = self.accounts()
        if not accounts:
            return self.render(form=None)
        series = self.series()
        initial = IntegrationSettingsForm.initial_for(
            integration=integration,
            posting=self.posting,
            register=register_settings_get(),
            accounts=accounts,
            series=series,
        )
        return self.render(
            form=IntegrationSettingsForm(accounts=accounts, series=series, initial=initial)
        )

    def post(self, request, org_slug, integration_id):
        integration = self.integration
        accounts = self.accounts()
        if not accounts:
            self.refresh_accounts()
            accounts = self.accounts()
            if not accounts:
                return self.render(form=None)
        form = IntegrationSettingsForm(request.POST, accounts=accounts, series=self.series())
        if not form.is_valid():
            return self.render(form=form)
        save = (
            services.integration_activate
            if integration.awaits_activation
            else services.integration_settings_update
        )
        try:
            run = save(
                integration=integration,
                selection=form.selection(),
                posting=form.posting(),
                register=form.register(),
                user=request.user,
                request=request,
            )
        except services.IntegrationError as exc:
            form.add_error(None, str(exc))
            return self.render(form=form)
        if run is not None:
            return redirect(
                _url("sync-run", self.organization, integration_id=integration.pk, run_id=run.pk)
            )
        messages.success(request, _("Innstillingene er lagret."))
        return redirect(_url("detail", self.organization, integration_id=integration.pk))

    @cached_property
    def posting(self):
        return services.posting_settings_get(integration=self.integration)

    def accounts(self) -> list[tuple[int, str]]:
        return [(number, name) for number, name in self.posting.account_choices]

    def series(self) -> list[tuple[int, str]]:
        return [(number, name) for number, name in self.posting.series_choices]

    def refresh_accounts(self) -> None:
        """Read the chart of accounts and the voucher series now; on failure keep the last
        lists and say so."""
        try:
            remote = selectors.remote_ledger_accounts(integration=self.integration)
            series = selectors.remote_voucher_series(integration=self.integration)
        except oauth.ReconnectRequired:
            self.accounts_problem = _("Tilgangen til Visma er borte. Koble til på nytt.")
        except (TransientFailure, BusinessNxtError):
            logger.warning(
                "chart of accounts failed for integration %s", self.integration.pk, exc_info=True
            )
            self.accounts_problem = str(REMOTE_FAILURE_MESSAGE)
        else:
            services.posting_accounts_remember(
                integration=self.integration, accounts=remote, series=series
            )
            self.posting.refresh_from_db()
            return
        if self.posting.accounts_read_at is not None:
            self.accounts_problem += " " + _(
                "Kontolisten under er fra %(when)s, og innstillingene kan lagres som vanlig."
            ) % {"when": date_format(timezone.localtime(self.posting.accounts_read_at), "j. F H:i")}
        messages.warning(self.request, self.accounts_problem)

    def render(self, *, form):
        return render(
            self.request,
            "integrations/settings.html",
            {
                "organization": self.organization,
                "integration": self.integration,
                "form": form,
                "in_wizard": self.integration.awaits_activation,
            },
        )


class IntegrationDetailView(IntegrationMixin, View):
    def get(self, request, org_slug, integration_id):
        integration = self.integration
        return render(
            request,
            "integrations/detail.html",
            {
                "organization": self.organization,
                "integration": integration,
                "runs": selectors.sync_run_list(integration_id=integration.pk)[:10],
                "posting": selectors.posting_settings_for(integration=integration),
                "can_manage": self.membership.has(Permission.MANAGE_INTEGRATIONS),
            },
        )


class DiagnosticsShareView(IntegrationMixin, View):
    """Any member may send support the integration's state and last error in one click."""

    def post(self, request, org_slug, integration_id):
        support_note_create(
            membership=self.membership,
            topic="integration_diagnostics",
            subject=str(self.integration),
            details=integration_diagnostics(integration=self.integration),
            request=request,
        )
        messages.success(
            request,
            _(
                "Takk! Kundeservice har fått feilinformasjonen for integrasjonen (uten passord "
                "eller nøkler). Ring 620 22320 eller skriv til support@kredin.no og si at du "
                "har delt den."
            ),
        )
        return redirect(_url("detail", self.organization, integration_id=self.integration.pk))


class SyncNowView(IntegrationMixin, View):
    """Start a sync. From HTMX (the reskontro page) the answer is the live progress fragment."""

    required_permission = Permission.MANAGE_INTEGRATIONS

    def post(self, request, org_slug, integration_id):
        integration = self.integration
        kind = SyncKind.FULL if request.POST.get("full") else SyncKind.INCREMENTAL
        try:
            run = services.sync_request(
                integration=integration,
                kind=kind,
                trigger=SyncTrigger.MANUAL,
                requested_by=request.user,
            )
        except services.IntegrationError as exc:
            if request.htmx:
                return render(
                    request,
                    "integrations/_sync_run_progress.html",
                    {"organization": self.organization, "error": str(exc)},
                )
            messages.error(request, str(exc))
            return redirect(_url("detail", self.organization, integration_id=integration.pk))
        if request.htmx:
            return render(
                request,
                "integrations/_sync_run_progress.html",
                {"organization": self.organization, "run": run},
            )
        return redirect(
            _url("sync-run", self.organization, integration_id=integration.pk, run_id=run.pk)
        )


class SyncRunView(IntegrationMixin, View):
    """Progress of one sync run; the fragment polls itself until the run is finished."""

    def get(self, request, org_slug, integration_id, run_id):
        integration = self.integration
        run = SyncRun.objects.filter(integration=integration, pk=run_id).first()
        if run is None:
            raise Http404
        context = {"organization": self.organization, "integration": integration, "run": run}
        if request.htmx:
            return render(request, "integrations/_sync_run_progress.html", context)
        return render(request, "integrations/sync_run.html", context)


class DisconnectView(IntegrationMixin, View):
    required_permission = Permission.MANAGE_INTEGRATIONS

    def get(self, request, org_slug, integration_id):
        integration = self.integration
        return render(
            request,
            "integrations/confirm_disconnect.html",
            {"organization": self.organization, "integration": integration},
        )

    def post(self, request, org_slug, integration_id):
        integration = self.integration
        services.integration_disconnect(integration=integration, user=request.user, request=request)
        messages.success(
            request, _("Integrasjonen er koblet fra. Reskontroen og historikken er beholdt.")
        )
        return redirect(_url("detail", self.organization, integration_id=integration.pk))


class DeleteView(IntegrationMixin, View):
    required_permission = Permission.MANAGE_INTEGRATIONS

    def get(self, request, org_slug, integration_id):
        integration = self.integration
        return render(
            request,
            "integrations/confirm_delete.html",
            {"organization": self.organization, "integration": integration},
        )

    def post(self, request, org_slug, integration_id):
        integration = self.integration
        if request.POST.get("confirm") != integration.company_name and integration.company_name:
            messages.error(request, _("Skriv firmanavnet nøyaktig for å bekrefte slettingen."))
            return redirect(_url("delete", self.organization, integration_id=integration.pk))
        services.integration_delete(integration=integration, user=request.user, request=request)
        messages.success(
            request,
            _("Integrasjonen er slettet. Kunder og poster som allerede er lest inn, er beholdt."),
        )
        return redirect(_url("list", self.organization))
