"""Starting and ending "view as customer"."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from kredin.models import Organization
from kredin.view_as import view_as_for
from support.access import StaffRequiredMixin
from support.errors import SupportError
from support.models import ViewAsEnd, ViewAsSession
from support.services.view_as import view_as_end, view_as_start


class ViewAsStartView(StaffRequiredMixin, View):
    def post(self, request, organization_id: int):
        organization = get_object_or_404(Organization, pk=organization_id)
        try:
            view_as_start(
                staff=request.user,
                organization=organization,
                reason=request.POST.get("reason", ""),
                request=request,
            )
        except SupportError as exc:
            messages.error(request, str(exc))
            return redirect("support:organization", organization_id=organization.pk)
        return redirect("org-home", org_slug=organization.slug)


class ViewAsEndView(StaffRequiredMixin, View):
    def post(self, request):
        current = view_as_for(request)
        if current is None:
            return redirect("support:home")
        session = ViewAsSession.objects.select_related("organization", "staff").get(
            pk=current.session_id
        )
        view_as_end(session=session, how=ViewAsEnd.ENDED, request=request)
        messages.success(request, _("Visningen som kunde er avsluttet."))
        return redirect("support:organization", organization_id=session.organization_id)
