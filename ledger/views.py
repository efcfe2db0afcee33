"""Reskontro pages: the open-item list, customers with totals, one customer, CSV, sync."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kredin import page_extensions
from kredin.charts import column_chart
from kredin.clock import today_in_norway
from kredin.csv_export import CsvLines
from kredin.tenancy import organization_scope
from kredin.views.base import OrganizationViewMixin
from ledger import selectors
from ledger.filters import (
    CUSTOMER_SORTS,
    DEFAULT_CUSTOMER_SORT,
    DEFAULT_ITEM_SORT,
    ITEM_SORTS,
    ReskontroFilter,
    ReskontroFilterForm,
)
from ledger.models import Customer
from ledger.templatetags.ledger_format import format_amount

PAGE_SIZE = 50
# The customer page lists this many items; the reskontro filtered on the customer has all.
ITEM_LIMIT = 500
VIEW_ITEMS = "items"
VIEW_CUSTOMERS = "customers"

# The aging chart's drawing area, in SVG user units.
CHART_WIDTH, CHART_HEIGHT, CHART_BAR_GAP = 600, 180, 16


def aging_chart(summary: selectors.ReskontroSummary) -> dict:
    """Bar geometry for the inline SVG: one bar per bucket, scaled to the largest."""
    chart = column_chart(
        [(bucket, [(bucket.key, bucket.outstanding)]) for bucket in summary.buckets],
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        gap=CHART_BAR_GAP,
    )
    bars = [
        {
            "bucket": column.label,
            "x": column.x,
            "width": column.width,
            "y": column.segments[0].y,
            "height": column.segments[0].height,
            "label_x": column.label_x,
        }
        for column in chart.columns
    ]
    return {"width": chart.width, "height": chart.height, "bars": bars, "axis_y": chart.axis_y}


def _filter_and_sort(form: ReskontroFilterForm, default_sort: str) -> tuple[ReskontroFilter, str]:
    """The valid part of the filter: a bad field is dropped (and flagged), not fatal."""
    if not form.is_bound:
        return ReskontroFilter(), default_sort
    form.is_valid()
    return form.to_filter(), form.sort_key(default_sort)


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


class ReskontroView(OrganizationViewMixin, TemplateView):
    template_name = "ledger/reskontro.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = today_in_norway()
        view = self.request.GET.get("view") or VIEW_ITEMS
        if view not in (VIEW_ITEMS, VIEW_CUSTOMERS):
            view = VIEW_ITEMS
        sorts = CUSTOMER_SORTS if view == VIEW_CUSTOMERS else ITEM_SORTS
        default_sort = DEFAULT_CUSTOMER_SORT if view == VIEW_CUSTOMERS else DEFAULT_ITEM_SORT
        form = ReskontroFilterForm(self.request.GET or None, sorts=sorts)
        flt, sort = _filter_and_sort(form, default_sort)

        summary = selectors.reskontro_summary(flt=flt, today=today)
        if view == VIEW_CUSTOMERS:
            count = summary.customer_count
            rows = selectors.customer_totals_list(flt=flt, sort=sort, today=today, count=count)
        else:
            rows = selectors.open_item_list(flt=flt, sort=sort, today=today)
            count = summary.item_count
        paginator = selectors.KnownCountPaginator(rows, PAGE_SIZE, count=count)
        page = paginator.get_page(_page_number(self.request))
        page_rows = list(page.object_list)

        customer_ids = sorted(
            {row["customer_id"] if isinstance(row, dict) else row.customer_id for row in page_rows}
        )
        chosen_customer = None
        if flt.customer_id is not None:
            chosen_customer = selectors.customer_list(customer_ids=[flt.customer_id]).first()

        context.update(
            today=today,
            form=form,
            view=view,
            sort=sort,
            summary=summary,
            chart=aging_chart(summary),
            page_obj=page,
            rows=page_rows,
            chosen_customer=chosen_customer,
            customer_flags=page_extensions.customer_badges.badges(customer_ids),
            item_badges=page_extensions.item_badges.badges(
                [row.pk for row in page_rows if not isinstance(row, dict)]
            ),
            extra_filter_fields=[form[extra.name] for extra in form.extra_filters],
            selection_actions=page_extensions.selection_actions.render(
                request=self.request, organization=self.organization, membership=self.membership
            ),
            top_panels=page_extensions.reskontro_panels.render(
                request=self.request, organization=self.organization, membership=self.membership
            ),
        )
        return context


class CustomerDetailView(OrganizationViewMixin, TemplateView):
    template_name = "ledger/customer_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = today_in_norway()
        customer = get_object_or_404(Customer.objects.all(), pk=kwargs["customer_id"])
        show_settled = self.request.GET.get("status") == "all"
        flt = ReskontroFilter(customer_id=customer.pk, status="all" if show_settled else "open")
        summary = selectors.reskontro_summary(
            flt=ReskontroFilter(customer_id=customer.pk), today=today
        )
        items = list(
            selectors.open_item_list(flt=flt, sort="due_date", today=today)[: ITEM_LIMIT + 1]
        )
        transactions = Paginator(selectors.customer_transactions(customer=customer), PAGE_SIZE)
        context.update(
            today=today,
            customer=customer,
            summary=summary,
            chart=aging_chart(summary),
            items=items[:ITEM_LIMIT],
            items_truncated=len(items) > ITEM_LIMIT,
            show_settled=show_settled,
            transactions=transactions.get_page(_page_number(self.request)),
            customer_flags=page_extensions.customer_badges.badges([customer.pk]),
            customer_panels=page_extensions.customer_panels.render(
                request=self.request,
                organization=self.organization,
                membership=self.membership,
                customer=customer,
            ),
        )
        return context


CSV_HEADERS = [
    "Kundenummer",
    "Kunde",
    "Organisasjonsnummer",
    "Fakturanummer",
    "Type",
    "Bilagsdato",
    "Forfallsdato",
    "Dager over forfall",
    "KID",
    "Valuta",
    "Beløp",
    "Utestående",
    "Status",
    "Tekst",
]


def _csv_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _csv_rows(organization_id: int, queryset, today: date) -> Iterator[str]:
    writer = CsvLines()
    yield writer.header(CSV_HEADERS)
    # Streaming runs after the view returns: hold the scope for the whole iteration.
    with organization_scope(organization_id):
        rows = queryset.values_list(
            "customer__customer_no",
            "customer__name",
            "customer__organization_number",
            "invoice_no",
            "kind",
            "voucher_date",
            "due_date",
            "kid",
            "currency",
            "amount",
            "outstanding",
            "status",
            "text",
        )
        kinds = {"invoice": _("Faktura"), "credit_note": _("Kreditnota")}
        statuses = {"open": _("Åpen"), "settled": _("Oppgjort")}
        for row in rows.iterator(chunk_size=2000):
            (cust_no, name, org_no, invoice, kind, voucher, due, kid, cur, amt, out, st, text) = row
            days = (today - due).days if due else None
            yield writer.line(
                [
                    cust_no if cust_no is not None else "",
                    name,
                    org_no,
                    invoice,
                    kinds.get(kind, kind),
                    _csv_date(voucher),
                    _csv_date(due),
                    days if days is not None and days > 0 else "",
                    kid,
                    cur,
                    format_amount(amt, thousands="", minus="-"),
                    format_amount(out, thousands="", minus="-"),
                    statuses.get(st, st),
                    text,
                ]
            )


class ExportCsvView(OrganizationViewMixin, View):
    def get(self, request, org_slug: str):
        today = today_in_norway()
        form = ReskontroFilterForm(request.GET or None)
        flt, sort = _filter_and_sort(form, DEFAULT_ITEM_SORT)
        queryset = selectors.open_item_list(flt=flt, sort=sort, today=today)
        response = StreamingHttpResponse(
            _csv_rows(self.organization.pk, queryset, today),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"reskontro-{self.organization.slug}-{today.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
