"""Objections (innsigelser): register one on a case or on invoices from the reskontro,
and withdraw one after seeing what the rules would let follow."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from debt_collection.models import CaseItem, Objection
from debt_collection.objection_forms import CaseObjectionForm, ObjectionForm, WithdrawForm
from debt_collection.planning import reason_text
from debt_collection.rules.formatting import step_title
from debt_collection.selectors import reader_language
from debt_collection.services.objections import (
    ObjectionError,
    objection_register,
    objection_withdraw,
    objection_withdraw_outlook,
    state_after_withdrawal,
)
from debt_collection.views.cases import CaseMixin, _case_url, ticked_items
from kredin.clock import today_in_norway
from kredin.permissions import Permission
from kredin.views.base import OrganizationViewMixin
from ledger.models import OpenItem


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


class CaseObjectionCreateView(CaseMixin, View):
    """Registrer innsigelse on the case page."""

    http_method_names = ["post"]
    required_permission = Permission.WORK_CASES

    def post(self, request, org_slug, case_id):
        links = list(CaseItem.objects.filter(case=self.case).select_related("open_item"))
        form = CaseObjectionForm(request.POST, links=links)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return redirect(_case_url(self.case, org_slug))
        item_id = form.item_id()
        try:
            objection_register(
                membership=self.membership,
                on=today_in_norway(),
                raised_on=form.cleaned_data["raised_on"],
                received_via=form.cleaned_data["received_via"],
                text=form.cleaned_data["text"],
                case=self.case,
                open_item=OpenItem.objects.filter(pk=item_id).first() if item_id else None,
                request=request,
            )
        except ObjectionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Innsigelsen er registrert. Saken står stille: ingen purringer, varsler "
                    "eller gebyrer mens den står."
                ),
            )
        return redirect(_case_url(self.case, org_slug))


class ObjectionItemsView(OrganizationViewMixin, View):
    """Registrer innsigelse on invoices ticked on the reskontro: first the form, then the
    objections (one per invoice; an invoice in a case objects that case)."""

    http_method_names = ["post"]
    required_permission = Permission.WORK_CASES
    template_name = "collections/objection_items.html"

    def post(self, request, org_slug):
        items = ticked_items(request)
        if not items:
            messages.error(request, _("Velg minst én faktura."))
            return redirect("ledger:reskontro", org_slug=org_slug)
        form = ObjectionForm(request.POST if "text" in request.POST else None)
        if not form.is_valid():
            return self._page(request, form, items)
        on = today_in_norway()
        try:
            with transaction.atomic():  # all of the ticked invoices, or none
                for item in items:
                    objection_register(
                        membership=self.membership,
                        on=on,
                        raised_on=form.cleaned_data["raised_on"],
                        received_via=form.cleaned_data["received_via"],
                        text=form.cleaned_data["text"],
                        open_item=item,
                        request=request,
                    )
        except ObjectionError as error:
            messages.error(request, str(error))
            return self._page(request, form, items)
        messages.success(
            request,
            _("Innsigelsen er registrert på %(count)s faktura(er).") % {"count": len(items)},
        )
        return redirect("ledger:reskontro", org_slug=org_slug)

    def _page(self, request, form, items):
        cases = dict(
            CaseItem.objects.filter(open_item__in=items, released_on__isnull=True).values_list(
                "open_item_id", "case__number"
            )
        )
        return render(
            request,
            self.template_name,
            {
                "organization": self.organization,
                "membership": self.membership,
                "form": form,
                "rows": [{"item": item, "case_number": cases.get(item.pk)} for item in items],
            },
        )


class ObjectionWithdrawView(OrganizationViewMixin, View):
    """Trekk tilbake: the page shows what the guardrails would let follow, then withdraws.
    Anyone may look (the reskontro's marker leads here); only those who work cases act."""

    template_name = "collections/objection_withdraw.html"
    objection: Objection

    def resolve_objects(self, *, objection_id: int, **url_kwargs) -> None:
        self.objection = get_object_or_404(
            Objection.objects.select_related("case__customer", "open_item__customer"),
            pk=objection_id,
        )

    def get(self, request, org_slug, objection_id):
        return self._page(request, WithdrawForm())

    def post(self, request, org_slug, objection_id):
        if not self.membership.has(Permission.WORK_CASES):
            raise PermissionDenied
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return self._page(request, form)
        try:
            objection_withdraw(
                objection=self.objection,
                membership=self.membership,
                on=today_in_norway(),
                note=form.cleaned_data["note"],
                request=request,
            )
        except ObjectionError as error:
            messages.error(request, str(error))
            return self._page(request, form)
        messages.success(request, _("Innsigelsen er trukket tilbake."))
        return redirect(self._back())

    def _back(self) -> str:
        slug = self.organization.slug
        if self.objection.case_id:
            return _case_url(self.objection.case, slug)
        return reverse(
            "ledger:customer-detail",
            kwargs={"org_slug": slug, "customer_id": self.objection.open_item.customer_id},
        )

    def _page(self, request, form):
        today = today_in_norway()
        lang = reader_language()
        stands = self.objection.stands
        outlook = objection_withdraw_outlook(objection=self.objection, on=today) if stands else []
        return render(
            request,
            self.template_name,
            {
                "organization": self.organization,
                "membership": self.membership,
                "may_act": self.membership.has(Permission.WORK_CASES),
                "objection": self.objection,
                "form": form,
                "back_url": self._back(),
                "state_after": state_after_withdrawal(objection=self.objection, on=today),
                "next": [
                    {
                        "action": action,
                        "text": action.describe(lang),
                        "step": step_title(action.step, lang=lang) if action.step else "",
                        "reasons": [reason_text(r, lang=lang) for r in action.reasons],
                    }
                    for action in outlook
                ],
            },
        )
