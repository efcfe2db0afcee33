"""Innstillinger → Inkasso: how the organisation collects, and the logo its letters carry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from debt_collection.forms import CollectionSettingsForm
from debt_collection.models import CollectionSettings
from debt_collection.selectors import collection_settings_get
from debt_collection.selectors.autopilot import autopilot_pause_state
from debt_collection.services.settings import (
    bank_account_format,
    collection_settings_update,
    logo_content_type,
)
from kredin.permissions import Permission
from kredin.views.base import OrganizationViewMixin


class CollectionSettingsView(OrganizationViewMixin, View):
    """Every member sees the settings in force; owners and admins may change them."""

    template_name = "collections/settings.html"

    def _may_edit(self) -> bool:
        return self.membership.has(Permission.MANAGE_SETTINGS)

    def _render(
        self,
        request: HttpRequest,
        form: CollectionSettingsForm,
        current: CollectionSettings,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "organization": self.organization,
            "membership": self.membership,
            "form": form,
            "current": current,
            "bank_account_shown": bank_account_format(current.bank_account),
            "may_edit": self._may_edit(),
            "autopilot_pause": autopilot_pause_state(organization=self.organization),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, org_slug: str) -> HttpResponse:
        current = collection_settings_get()
        form = CollectionSettingsForm(instance=current, read_only=not self._may_edit())
        return self._render(request, form, current)

    def post(self, request: HttpRequest, org_slug: str) -> HttpResponse:
        if not self._may_edit():
            raise PermissionDenied
        current = collection_settings_get()
        # The form validates a copy, so the page still shows what is in force if it fails.
        form = CollectionSettingsForm(
            request.POST, request.FILES, instance=collection_settings_get()
        )
        if not form.is_valid():
            return self._render(request, form, current, status=400)
        try:
            collection_settings_update(
                organization=self.organization,
                membership=self.membership,
                data=form.settings_data(),
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(request, form, current, status=400)
        messages.success(request, _("Innstillingene er lagret."))
        return redirect("org-collection-settings", org_slug=self.organization.slug)


class CollectionLogoView(OrganizationViewMixin, View):
    """The organisation's logo, to members only; media files are never served directly."""

    def get(self, request: HttpRequest, org_slug: str) -> HttpResponse:
        logo = collection_settings_get().logo
        content_type = logo_content_type(logo.name) if logo else None
        if content_type is None:
            raise Http404
        try:
            handle = logo.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
        response["Cache-Control"] = "private, max-age=300"
        # Served as an image and nothing else, even if a browser is told to open it alone.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        return response
