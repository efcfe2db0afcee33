"""Saker: the list, starting cases from the reskontro, one case and its actions, a letter."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from debt_collection import case_forms
from debt_collection.acknowledgment_forms import AcknowledgmentForm
from debt_collection.legal.selectors import legal_case_block
from debt_collection.markers import hold_marker
from debt_collection.models import Case, Document
from debt_collection.objection_forms import CaseObjectionForm
from debt_collection.planning import reason_text
from debt_collection.rules.formatting import step_title
from debt_collection.selectors import reader_language
from debt_collection.selectors.autopilot import autopilot_pause_state
from debt_collection.selectors.cases import case_list, case_step_counts, case_view
from debt_collection.selectors.limitation import case_limitation_date
from debt_collection.selectors.objections import case_objections
from debt_collection.services import cases as services
from debt_collection.timeline import timeline_text
from kredin.clock import today_in_norway
from kredin.csv_export import CsvLines
from kredin.permissions import Permission
from kredin.tenancy import organization_scope
from kredin.views.base import OrganizationViewMixin
from ledger.models import OpenItem

PAGE_SIZE = 50


def _case_url(case: Case, slug: str) -> str:
    return reverse("collections:case-detail", kwargs={"org_slug": slug, "case_id": case.pk})


class CaseListView(OrganizationViewMixin, View):
    template_name = "collections/case_list.html"

    def get(self, request, org_slug):
        form = case_forms.CaseFilterForm(request.GET or None)
        cases = case_list(flt=form.to_filter())
        page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
        lang = reader_language()
        counts = case_step_counts()
        return render(
            request,
            self.template_name,
            {
                "organization": self.organization,
                "membership": self.membership,
                "form": form,
                "page_obj": page,
                "rows": [_row(case, lang) for case in page.object_list],
                "step_counts": [
                    {"step": code, "label": step_title(code, lang=lang) if code else
                     _("Ingen brev ennå"), "count": count}
                    for code, count in sorted(counts.items())
                ],
                "total_open": sum(counts.values()),
                "autopilot_pause": autopilot_pause_state(organization=self.organization),
            },
        )


def _row(case: Case, lang: str) -> dict:
    return {
        "case": case,
        "step": step_title(case.current_step, lang=lang) if case.current_step else "",
        "next_step": step_title(case.next_step, lang=lang) if case.next_step else "",
        "marker": hold_marker(state=case.state, paused_until=case.paused_until),
    }


class CaseExportView(OrganizationViewMixin, View):
    def get(self, request, org_slug):
        form = case_forms.CaseFilterForm(request.GET or None)
        cases = case_list(flt=form.to_filter())
        lang = reader_language()
        organization_id = self.organization.pk

        def lines():
            writer = CsvLines()
            yield writer.header(
                ["Sak", "Skyldner", "Status", "Steg", "Restbeløp", "Neste steg", "Neste dato",
                 "Startet"]
            )
            with organization_scope(organization_id):
                for case in cases.iterator(chunk_size=2000):
                    row = _row(case, lang)
                    yield writer.line(
                        [
                            f"S-{case.number}",
                            case.customer.name,
                            case.get_state_display(),
                            row["step"],
                            str(case.remaining).replace(".", ","),
                            row["next_step"],
                            case.next_on.strftime("%d.%m.%Y") if case.next_on else "",
                            case.started_on.strftime("%d.%m.%Y"),
                        ]
                    )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        name = f"saker-{self.organization.slug}-{today_in_norway().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def ticked_item_ids(request) -> list[int]:
    """The invoices ticked on the reskontro, as its selection actions post them."""
    return [int(i) for i in request.POST.getlist("items") if i.isdigit()]


def ticked_items(request) -> list[OpenItem]:
    return list(
        OpenItem.objects.filter(pk__in=ticked_item_ids(request)).select_related("customer")
    )


class CaseStartView(OrganizationViewMixin, View):
    """Start sak from the reskontro: one case per debtor among the ticked items."""

    http_method_names = ["post"]
    required_permission = Permission.WORK_CASES

    def post(self, request, org_slug):
        try:
            started = services.cases_start(
                membership=self.membership, item_ids=ticked_item_ids(request), on=today_in_norway(),
                request=request,
            )
        except services.CaseError as error:
            messages.error(request, str(error))
            return redirect("ledger:reskontro", org_slug=org_slug)
        if len(started) == 1:
            messages.success(request, _("Sak S-%(number)s er startet.") %
                             {"number": started[0].number})
            return redirect(_case_url(started[0], org_slug))
        messages.success(request, _("%(count)s saker er startet, én per skyldner.") %
                         {"count": len(started)})
        return redirect("collections:case-list", org_slug=org_slug)


class CaseMixin(OrganizationViewMixin):
    case: Case

    def resolve_objects(self, *, case_id: int, **url_kwargs) -> None:
        self.case = get_object_or_404(Case.objects.select_related("customer"), pk=case_id)


class CaseDetailView(CaseMixin, View):
    template_name = "collections/case_detail.html"

    def get(self, request, org_slug, case_id):
        return render(request, self.template_name, self.context())

    def context(self) -> dict:
        today = today_in_norway()
        lang = reader_language()
        view = case_view(case=self.case, today=today)
        plan = services.case_plan(case=self.case, on=today) if self.case.is_open else []
        return {
            "organization": self.organization,
            "membership": self.membership,
            "may_act": self.membership.has(Permission.WORK_CASES),
            "view": view,
            "case": self.case,
            "today": today,
            "timeline": [(event, timeline_text(event)) for event in view.timeline],
            "next": [
                {
                    "action": action,
                    "text": action.describe(lang),
                    "reasons": [reason_text(r, lang=lang) for r in action.reasons],
                    "step": step_title(action.step, lang=lang) if action.step else "",
                }
                for action in plan
            ],
            "step_label": step_title(self.case.current_step, lang=lang)
            if self.case.current_step
            else "",
            "pause_form": case_forms.PauseForm(),
            "close_form": case_forms.CloseForm(),
            "payment_form": case_forms.PaymentForm(),
            "legal": legal_case_block(case=self.case, on=today, lang=lang),
            "objections": case_objections(case_id=self.case.pk),
            "objection_form": CaseObjectionForm(links=view.items),
            "limitation_date": case_limitation_date(case_id=self.case.pk, on=today),
            "acknowledgment_form": AcknowledgmentForm(),
        }


class CaseActionView(CaseMixin, View):
    """Pause, resume, close, reopen, merge, send the next letter, register a payment."""

    http_method_names = ["post"]
    required_permission = Permission.WORK_CASES

    def post(self, request, org_slug, case_id):
        action = request.POST.get("action", "")
        handler = getattr(self, f"_{action.replace('-', '_')}", None)
        if handler is None:
            raise Http404
        on = today_in_norway()
        try:
            done = handler(request, on)
        except services.CaseError as error:
            messages.error(request, str(error))
        else:
            if done:
                messages.success(request, done)
        self.case.refresh_from_db()
        if request.htmx:
            detail = CaseDetailView()
            detail.request, detail.case = request, self.case
            detail.organization, detail.membership = self.organization, self.membership
            return render(request, "collections/_case_body.html", detail.context())
        return redirect(_case_url(self.case, org_slug))

    def _pause(self, request, on):
        form = case_forms.PauseForm(request.POST)
        if not form.is_valid():
            raise services.CaseError(_("Skriv hvorfor saken settes på pause."))
        services.case_pause(case=self.case, membership=self.membership, on=on,
                            note=form.cleaned_data["note"], until=form.cleaned_data["until"])
        return _("Saken er satt på pause.")

    def _resume(self, request, on):
        services.case_resume(case=self.case, membership=self.membership, on=on)
        return _("Saken fortsetter.")

    def _close(self, request, on):
        form = case_forms.CloseForm(request.POST)
        if not form.is_valid():
            raise services.CaseError(_("Skriv hvorfor saken avsluttes."))
        services.case_close_by_user(case=self.case, membership=self.membership, on=on,
                                    note=form.cleaned_data["note"])
        return _("Saken er avsluttet.")

    def _reopen(self, request, on):
        services.case_reopen(case=self.case, membership=self.membership, on=on)
        return _("Saken er åpnet igjen.")

    def _merge(self, request, on):
        form = case_forms.MergeForm(request.POST)
        if not form.is_valid():
            raise services.CaseError(_("Velg saken den skal slås sammen med."))
        into = Case.objects.filter(pk=form.cleaned_data["into"]).first()
        if into is None:
            raise services.CaseError(_("Fant ikke den andre saken."))
        services.case_merge(case=self.case, into=into, membership=self.membership, on=on)
        self.case = into
        return _("Sakene er slått sammen i S-%(number)s.") % {"number": into.number}

    def _send_next(self, request, on):
        applied = services.case_send_next(case=self.case, membership=self.membership, on=on)
        if applied.documents:
            return _("Brevet er laget og klart til utsending.")
        return _("Saken er merket: rettslig skritt kan tas.")

    def _register_payment(self, request, on):
        form = case_forms.PaymentForm(request.POST)
        if not form.is_valid():
            raise services.CaseError(_("Skriv et beløp større enn null."))
        services.case_payment_register(case=self.case, membership=self.membership,
                                       amount=form.cleaned_data["amount"], on=on,
                                       note=form.cleaned_data["note"])
        return _("Innbetalingen er registrert.")


class DocumentDetailView(CaseMixin, View):
    """A letter's stored content, as it will be (or was) sent."""

    def get(self, request, org_slug, case_id, document_id):
        document = get_object_or_404(Document, pk=document_id, case=self.case)
        lang = reader_language()
        return render(
            request,
            "collections/document_detail.html",
            {
                "organization": self.organization,
                "case": self.case,
                "document": document,
                "content": document.content,
                "step": step_title(document.step, lang=lang),
            },
        )
