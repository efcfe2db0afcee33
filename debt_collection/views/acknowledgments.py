"""Recording the debtor's acknowledgment of the claim (foreldelsesloven § 14): on the case
page, or on invoices ticked on the reskontro. A new limitation period runs from it, and a
time-barred invoice may then be put in a new case."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from debt_collection.acknowledgment_forms import AcknowledgmentForm
from debt_collection.services.acknowledgments import acknowledgment_record
from debt_collection.services.cases import CaseError
from debt_collection.views.cases import CaseMixin, _case_url, ticked_items
from debt_collection.views.objections import _form_errors
from kredin.permissions import Permission
from kredin.views.base import OrganizationViewMixin


def _recorded(form: AcknowledgmentForm) -> str:
    return _("Erkjennelsen er registrert. En ny foreldelsesfrist på tre år løper fra %(date)s.") % {
        "date": form.cleaned_data["acknowledged_on"].strftime("%d.%m.%Y")
    }


class CaseAcknowledgmentCreateView(CaseMixin, View):
    http_method_names = ["post"]
    required_permission = Permission.WORK_CASES

    def post(self, request, org_slug, case_id):
        form = AcknowledgmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return redirect(_case_url(self.case, org_slug))
        try:
            acknowledgment_record(
                membership=self.membership, case=self.case, request=request, **form.cleaned_data
            )
        except CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _recorded(form))
        return redirect(_case_url(self.case, org_slug))


class AcknowledgmentItemsView(OrganizationViewMixin, View):
    """Invoices ticked on the reskontro: first the form, then one record per invoice."""

    http_method_names = ["post"]
    required_permission = Permission.WORK_CASES
    template_name = "collections/acknowledgment_items.html"

    def post(self, request, org_slug):
        items = ticked_items(request)
        if not items:
            messages.error(request, _("Velg minst én faktura."))
            return redirect("ledger:reskontro", org_slug=org_slug)
        form = AcknowledgmentForm(request.POST if "how" in request.POST else None)
        if form.is_valid():
            try:
                with transaction.atomic():  # all of the ticked invoices, or none
                    for item in items:
                        acknowledgment_record(
                            membership=self.membership,
                            open_item=item,
                            request=request,
                            **form.cleaned_data,
                        )
            except CaseError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _recorded(form))
                return redirect("ledger:reskontro", org_slug=org_slug)
        context = {
            "organization": self.organization,
            "membership": self.membership,
            "form": form,
            "items": items,
        }
        return render(request, self.template_name, context)
