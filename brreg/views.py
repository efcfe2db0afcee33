"""The customer page's override form: a user's value wins over ledger and register."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from brreg.selectors import customer_register_view
from brreg.services import customer_override_set
from kredin.permissions import Permission
from kredin.views.base import OrganizationViewMixin
from ledger.customer_fields import OVERRIDABLE_FIELDS
from ledger.models import Customer
from ledger.services import customer_override_remove


class CustomerOverrideView(OrganizationViewMixin, View):
    required_permission = Permission.WORK_CASES

    def _page(self, request: HttpRequest, customer: Customer, error: str = "", status=200):
        context = {
            "organization": self.organization,
            "membership": self.membership,
            "customer": customer,
            "register_panel": customer_register_view(customer=customer),
            "error": error,
        }
        template = (
            "brreg/customer_register_panel.html"
            if getattr(request, "htmx", False)
            else "brreg/customer_override.html"
        )
        return render(request, template, context, status=status)

    def get(self, request: HttpRequest, org_slug: str, customer_id: int) -> HttpResponse:
        customer = get_object_or_404(Customer, pk=customer_id)
        return self._page(request, customer)

    def post(self, request: HttpRequest, org_slug: str, customer_id: int) -> HttpResponse:
        customer = get_object_or_404(Customer, pk=customer_id)
        field = request.POST.get("field", "")
        if field not in OVERRIDABLE_FIELDS:
            return self._page(request, customer, _("Feltet kan ikke overstyres."), status=400)
        if request.POST.get("action") == "remove":
            customer_override_remove(customer=customer, field=field, user=request.user)
        else:
            try:
                customer_override_set(
                    customer=customer,
                    field=field,
                    value=request.POST.get("value", ""),
                    user=request.user,
                )
            except ValidationError as error:
                return self._page(request, customer, " ".join(error.messages), status=400)
            except ValueError:
                return self._page(request, customer, _("Ugyldig verdi."), status=400)
        if getattr(request, "htmx", False):
            return self._page(request, customer)
        try:
            target = reverse(
                "ledger:customer-detail", kwargs={"org_slug": org_slug, "customer_id": customer.pk}
            )
        except NoReverseMatch:
            target = request.path
        return redirect(target)
