"""Bilag: every voucher Kredin books in Business NXT, its numbers there, and retry."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from debt_collection.models import VoucherPosting, VoucherStatus
from debt_collection.selectors.vouchers import voucher_counts, voucher_list
from debt_collection.services import vouchers as services
from kredin.permissions import Permission
from kredin.views.base import OrganizationViewMixin

PAGE_SIZE = 50


class VoucherListView(OrganizationViewMixin, View):
    template_name = "collections/vouchers.html"

    def get(self, request, org_slug):
        status = request.GET.get("status", "")
        if status not in VoucherStatus.values:
            status = ""
        page = Paginator(voucher_list(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
        counts = voucher_counts()
        return render(
            request,
            self.template_name,
            {
                "organization": self.organization,
                "page_obj": page,
                "status": status,
                "counts": [
                    (value, label, counts[value])
                    for value, label in VoucherStatus.choices
                    if counts.get(value)
                ],
                "may_retry": self.membership.has(Permission.MANAGE_SETTINGS),
            },
        )


class VoucherRetryView(OrganizationViewMixin, View):
    http_method_names = ["post"]
    required_permission = Permission.MANAGE_SETTINGS

    def post(self, request, org_slug, voucher_id):
        posting = get_object_or_404(VoucherPosting, pk=voucher_id)
        try:
            services.voucher_retry(posting=posting, membership=self.membership)
        except services.VoucherError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Bilaget er sendt til Business NXT på nytt."))
        return redirect("collections:vouchers", org_slug=org_slug)
