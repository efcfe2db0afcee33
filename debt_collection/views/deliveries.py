"""Utsendelser (every letter's deliveries, with the message sent) and the print queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from debt_collection import delivery_forms
from debt_collection.models import Delivery, DeliveryStatus, PrintBatch
from debt_collection.rules.formatting import step_title
from debt_collection.selectors import reader_language
from debt_collection.selectors.deliveries import (
    delivery_counts,
    delivery_list,
    print_batches,
    print_queue,
)
from debt_collection.services import deliveries as services
from kredin.permissions import Permission
from kredin.views.base import OrganizationViewMixin

PAGE_SIZE = 50


class DeliveryListView(OrganizationViewMixin, View):
    template_name = "collections/deliveries.html"

    def get(self, request, org_slug):
        form = delivery_forms.DeliveryFilterForm(request.GET or None)
        page = Paginator(delivery_list(flt=form.to_filter()), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        lang = reader_language()
        counts = delivery_counts()
        return render(
            request,
            self.template_name,
            {
                "organization": self.organization,
                "form": form,
                "page_obj": page,
                "rows": [(d, step_title(d.document.step, lang=lang)) for d in page.object_list],
                "counts": [
                    (value, label, counts[value])
                    for value, label in DeliveryStatus.choices
                    if counts.get(value)
                ],
                "print_waiting": print_queue().count(),
            },
        )


class DeliveryMixin(OrganizationViewMixin):
    delivery: Delivery

    def resolve_objects(self, *, delivery_id: int, **url_kwargs) -> None:
        self.delivery = get_object_or_404(
            Delivery.objects.select_related("document__case__customer", "print_batch"),
            pk=delivery_id,
        )


class DeliveryDetailView(DeliveryMixin, View):
    """One delivery: where it went, the message as sent, its PDF, what can be done."""

    def get(self, request, org_slug, delivery_id):
        delivery = self.delivery
        may_act = self.membership.has(Permission.WORK_CASES)
        return render(
            request,
            "collections/delivery_detail.html",
            {
                "organization": self.organization,
                "delivery": delivery,
                "document": delivery.document,
                "case": delivery.document.case,
                "step": step_title(delivery.document.step, lang=reader_language()),
                "may_act": may_act,
                "may_return": may_act and delivery.status == DeliveryStatus.SENT,
                "may_confirm": may_act and delivery.status == DeliveryStatus.UNKNOWN,
                "may_send_again": may_act and delivery.status in services.SENDABLE_AGAIN,
                "return_form": delivery_forms.ReturnForm(),
            },
        )


class DeliveryActionView(DeliveryMixin, View):
    """Record a return, confirm an unknown delivery as sent, or send it again."""

    http_method_names = ["post"]
    required_permission = Permission.WORK_CASES

    def post(self, request, org_slug, delivery_id):
        action = request.POST.get("action", "")
        try:
            if action == "return":
                form = delivery_forms.ReturnForm(request.POST)
                reason = form.cleaned_data["reason"] if form.is_valid() else ""
                services.delivery_return(
                    delivery=self.delivery, membership=self.membership, reason=reason
                )
                messages.success(request, _("Returen er registrert. Saken og admin er varslet."))
            elif action == "confirm":
                services.delivery_confirm_sent(delivery=self.delivery, membership=self.membership)
                messages.success(request, _("Utsendelsen er bekreftet som sendt."))
            elif action == "send-again":
                services.delivery_send_again(delivery=self.delivery, membership=self.membership)
                messages.success(request, _("Brevet er lagt i kø for ny utsending."))
            else:
                raise Http404
        except services.DeliveryError as error:
            messages.error(request, str(error))
        return redirect("collections:delivery-detail", org_slug=org_slug, delivery_id=delivery_id)


class PrintQueueView(OrganizationViewMixin, View):
    """Brev til utskrift: make a batch (one PDF), then mark it printed."""

    template_name = "collections/print_queue.html"

    def get(self, request, org_slug):
        lang = reader_language()
        return render(
            request,
            self.template_name,
            {
                "organization": self.organization,
                "may_act": self.membership.has(Permission.WORK_CASES),
                "waiting": [(d, step_title(d.document.step, lang=lang)) for d in print_queue()],
                "batches": print_batches(),
            },
        )


class PrintBatchCreateView(OrganizationViewMixin, View):
    http_method_names = ["post"]
    required_permission = Permission.WORK_CASES

    def post(self, request, org_slug):
        try:
            batch = services.print_batch_create(membership=self.membership)
        except services.DeliveryError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Utskrift %(number)s er klar: last ned PDF-en, skriv ut og merk den som "
                    "skrevet ut."
                )
                % {"number": batch.pk},
            )
        return redirect("collections:print-queue", org_slug=org_slug)


class PrintBatchMixin(OrganizationViewMixin):
    batch: PrintBatch

    def resolve_objects(self, *, batch_id: int, **url_kwargs) -> None:
        self.batch = get_object_or_404(PrintBatch, pk=batch_id)


class PrintBatchPdfView(PrintBatchMixin, View):
    def get(self, request, org_slug, batch_id):
        try:
            stored = self.batch.pdf.open("rb")
        except FileNotFoundError as exc:
            # The row outlived its file (storage restored from an older copy): say so.
            raise Http404(_("PDF-en for denne utskriften finnes ikke lenger.")) from exc
        return FileResponse(
            stored,
            content_type="application/pdf",
            as_attachment=True,
            filename=f"utskrift-{self.batch.pk}.pdf",
        )


class PrintBatchPrintedView(PrintBatchMixin, View):
    http_method_names = ["post"]
    required_permission = Permission.WORK_CASES

    def post(self, request, org_slug, batch_id):
        try:
            count = services.print_batch_mark_printed(batch=self.batch, membership=self.membership)
        except services.DeliveryError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(count)s brev er merket som sendt i posten.") % {"count": count}
            )
        return redirect("collections:print-queue", org_slug=org_slug)
