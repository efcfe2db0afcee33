"""Support actions: one POST-only view each, every one with a written reason.

Objects are looked up across organisations (`.unscoped()`) but only under the
organisation in the URL, so another organisation's id gives 404. The services enter the
organisation's scope themselves. Success and refusal both answer with a redirect (302) to the
organisation's (or the person's) support page, with a message saying what happened or why not.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from debt_collection.models import Delivery, VoucherPosting
from debt_collection.services.deliveries import DeliveryError
from debt_collection.services.settings import AutopilotPauseError
from debt_collection.services.vouchers import VoucherError
from integrations.models import Integration, SyncKind
from integrations.services.errors import IntegrationError
from kredin.models import Invitation, Organization, User
from kredin.services.common import AccountsError
from support.access import StaffRequiredMixin
from support.errors import SupportError
from support.forms import ReasonForm
from support.services import actions as services

# Refusals whose message is for the agent; anything else is a bug and goes to the log.
REFUSALS = (
    SupportError,
    IntegrationError,
    VoucherError,
    DeliveryError,
    AutopilotPauseError,
    AccountsError,
)


class SupportActionView(StaffRequiredMixin, View):
    http_method_names = ["post"]

    def run(self, request: HttpRequest, action: Callable[[str], str]) -> HttpResponse:
        """Check the reason, do `action(reason)` (which returns the success message), and
        go back with the message either way."""
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["reason"]))
            return self.back(request)
        try:
            done = action(form.cleaned_data["reason"])
        except REFUSALS as exc:
            messages.error(request, str(exc))
            return self.back(request)
        messages.success(request, done)
        return self.back(request)

    def back(self, request: HttpRequest) -> HttpResponse:
        """Where the agent goes afterwards; each kind of action names its own page."""
        return redirect("support:home")


class OrganizationActionView(SupportActionView):
    organization: Organization

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.organization_id = kwargs["organization_id"]

    def get_organization(self) -> Organization:
        # Called from post(), so after StaffRequiredMixin: a customer learns nothing.
        self.organization = get_object_or_404(Organization, pk=self.organization_id)
        return self.organization

    def back(self, request: HttpRequest) -> HttpResponse:
        return redirect("support:organization", organization_id=self.organization_id)


class SyncRerunView(OrganizationActionView):
    def post(self, request: HttpRequest, organization_id: int, integration_id: int):
        organization = self.get_organization()
        integration = get_object_or_404(
            Integration.objects.unscoped(), pk=integration_id, organization_id=organization.pk
        )
        kind = request.POST.get("kind", SyncKind.INCREMENTAL)

        def action(reason: str) -> str:
            run = services.support_sync_rerun(
                staff=request.user,
                integration=integration,
                kind=kind,
                reason=reason,
                request=request,
            )
            text = (
                _("Full synkronisering av %(name)s er bestilt (kjøring %(run)s).")
                if run.kind == SyncKind.FULL
                else _("Synkronisering av endringer for %(name)s er bestilt (kjøring %(run)s).")
            )
            return text % {"name": integration.company_name or organization.name, "run": run.pk}

        return self.run(request, action)


class VoucherRetryView(OrganizationActionView):
    def post(self, request: HttpRequest, organization_id: int, posting_id: int):
        organization = self.get_organization()
        posting = get_object_or_404(
            VoucherPosting.objects.unscoped(), pk=posting_id, organization_id=organization.pk
        )

        def action(reason: str) -> str:
            services.support_voucher_retry(
                staff=request.user, posting=posting, reason=reason, request=request
            )
            return _("Bilaget %(key)s prøves på nytt.") % {"key": posting.key}

        return self.run(request, action)


class DeliveryRetryView(OrganizationActionView):
    def post(self, request: HttpRequest, organization_id: int, delivery_id: int):
        organization = self.get_organization()
        delivery = get_object_or_404(
            Delivery.objects.unscoped(), pk=delivery_id, organization_id=organization.pk
        )

        def action(reason: str) -> str:
            services.support_delivery_retry(
                staff=request.user, delivery=delivery, reason=reason, request=request
            )
            return _("Utsendelsen til %(recipient)s er lagt i kø for å sendes på nytt.") % {
                "recipient": delivery.recipient
            }

        return self.run(request, action)


class AutopilotPauseView(OrganizationActionView):
    def post(self, request: HttpRequest, organization_id: int):
        organization = self.get_organization()

        def action(reason: str) -> str:
            services.support_autopilot_pause(
                staff=request.user, organization=organization, reason=reason, request=request
            )
            return _(
                "Autopiloten for %(name)s er satt på pause: ingen brev, nye saker eller "
                "forslag før den fortsetter."
            ) % {"name": organization.name}

        return self.run(request, action)


class AutopilotResumeView(OrganizationActionView):
    def post(self, request: HttpRequest, organization_id: int):
        organization = self.get_organization()

        def action(reason: str) -> str:
            services.support_autopilot_resume(
                staff=request.user, organization=organization, reason=reason, request=request
            )
            return _("Autopiloten for %(name)s fortsetter som innstilt.") % {
                "name": organization.name
            }

        return self.run(request, action)


class InvitationResendView(OrganizationActionView):
    def post(self, request: HttpRequest, organization_id: int, invitation_id: int):
        organization = self.get_organization()
        invitation = get_object_or_404(
            Invitation.objects.select_related("organization"),
            pk=invitation_id,
            organization_id=organization.pk,
        )

        def action(reason: str) -> str:
            services.support_invitation_resend(
                staff=request.user, invitation=invitation, reason=reason, request=request
            )
            return _("Invitasjonen til %(email)s er sendt på nytt med en ny lenke.") % {
                "email": invitation.email
            }

        return self.run(request, action)


class ConfirmationResendView(SupportActionView):
    def post(self, request: HttpRequest, user_id: int):
        person = get_object_or_404(User, pk=user_id)

        def action(reason: str) -> str:
            services.support_confirmation_resend(
                staff=request.user, user=person, reason=reason, request=request
            )
            return _("En ny bekreftelseslenke er sendt til %(email)s.") % {"email": person.email}

        return self.run(request, action)

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.user_id = kwargs["user_id"]

    def back(self, request: HttpRequest) -> HttpResponse:
        return redirect("support:user", user_id=self.user_id)
