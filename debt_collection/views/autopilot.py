"""Hva skjer nå: what the autopilot would do today and in the next 30 days, and the
proposals waiting for approval in the suggest mode."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from debt_collection.autopilot.preview import HORIZON_DAYS, preview_rows
from debt_collection.models import Proposal, ProposalStatus
from debt_collection.selectors import collection_settings_get, reader_language
from debt_collection.services.proposals import proposal_approve, proposal_dismiss
from kredin.clock import today_in_norway
from kredin.permissions import Permission
from kredin.views.base import OrganizationViewMixin


class PreviewView(OrganizationViewMixin, View):
    template_name = "collections/preview.html"

    def get(self, request, org_slug):
        on = today_in_norway()
        today, coming = preview_rows(on=on, lang=reader_language())
        return render(
            request,
            self.template_name,
            {
                "organization": self.organization,
                "membership": self.membership,
                "on": on,
                "horizon": on + timedelta(days=HORIZON_DAYS),
                "today": today,
                "coming": coming,
                "settings": collection_settings_get(),
                "proposals": Proposal.objects.filter(status=ProposalStatus.OPEN)
                .select_related("case", "customer")
                .order_by("planned_for", "pk"),
                "may_act": self.membership.has(Permission.WORK_CASES),
            },
        )


class ProposalDecideView(OrganizationViewMixin, View):
    http_method_names = ["post"]
    required_permission = Permission.WORK_CASES

    def post(self, request, org_slug):
        on = today_in_norway()
        chosen = Proposal.objects.filter(status=ProposalStatus.OPEN)
        if request.POST.get("proposal"):
            chosen = chosen.filter(pk=request.POST["proposal"])
            get_object_or_404(chosen)
        done = 0
        for proposal in chosen.order_by("planned_for", "pk"):
            if request.POST.get("decision") == "dismiss":
                proposal_dismiss(proposal=proposal, membership=self.membership)
            elif proposal_approve(proposal=proposal, membership=self.membership, on=on):
                done += 1
        if request.POST.get("decision") == "dismiss":
            messages.success(request, _("Forslaget er avvist."))
        else:
            messages.success(request, _("%(count)s forslag er utført.") % {"count": done})
        return redirect("collections:preview", org_slug=org_slug)
