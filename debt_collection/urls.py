"""Pages under /o/<org_slug>/saker/."""

from django.urls import path

from debt_collection.legal import urls as legal_urls
from debt_collection.views import (
    acknowledgments,
    autopilot,
    cases,
    deliveries,
    letters,
    objections,
    outcomes,
    vouchers,
)

app_name = "collections"

urlpatterns = [
    path("", cases.CaseListView.as_view(), name="case-list"),
    path("eksport.csv", cases.CaseExportView.as_view(), name="case-export"),
    path("start/", cases.CaseStartView.as_view(), name="case-start"),
    path("oversikt/", outcomes.OverviewView.as_view(), name="overview"),
    path("hva-skjer-na/", autopilot.PreviewView.as_view(), name="preview"),
    path("hva-skjer-na/forslag/", autopilot.ProposalDecideView.as_view(), name="proposals"),
    path("utsendelser/", deliveries.DeliveryListView.as_view(), name="deliveries"),
    path(
        "utsendelser/<int:delivery_id>/",
        deliveries.DeliveryDetailView.as_view(),
        name="delivery-detail",
    ),
    path(
        "utsendelser/<int:delivery_id>/handling/",
        deliveries.DeliveryActionView.as_view(),
        name="delivery-action",
    ),
    path("bilag/", vouchers.VoucherListView.as_view(), name="vouchers"),
    path(
        "bilag/<int:voucher_id>/prov-igjen/",
        vouchers.VoucherRetryView.as_view(),
        name="voucher-retry",
    ),
    path("utskrift/", deliveries.PrintQueueView.as_view(), name="print-queue"),
    path("utskrift/ny/", deliveries.PrintBatchCreateView.as_view(), name="print-batch-create"),
    path(
        "utskrift/<int:batch_id>.pdf",
        deliveries.PrintBatchPdfView.as_view(),
        name="print-batch-pdf",
    ),
    path(
        "utskrift/<int:batch_id>/skrevet-ut/",
        deliveries.PrintBatchPrintedView.as_view(),
        name="print-batch-printed",
    ),
    path("<int:case_id>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("<int:case_id>/handling/", cases.CaseActionView.as_view(), name="case-action"),
    path(
        "<int:case_id>/innsigelser/",
        objections.CaseObjectionCreateView.as_view(),
        name="case-objection-create",
    ),
    path("innsigelser/poster/", objections.ObjectionItemsView.as_view(), name="objection-items"),
    path(
        "<int:case_id>/erkjennelse/",
        acknowledgments.CaseAcknowledgmentCreateView.as_view(),
        name="case-acknowledgment-create",
    ),
    path(
        "erkjennelser/poster/",
        acknowledgments.AcknowledgmentItemsView.as_view(),
        name="acknowledgment-items",
    ),
    path(
        "innsigelser/<int:objection_id>/trekk-tilbake/",
        objections.ObjectionWithdrawView.as_view(),
        name="objection-withdraw",
    ),
    path(
        "<int:case_id>/dokumenter/<int:document_id>/",
        cases.DocumentDetailView.as_view(),
        name="document-detail",
    ),
    path(
        "<int:case_id>/dokumenter/<int:document_id>/pdf/",
        letters.DocumentPdfView.as_view(),
        name="document-pdf",
    ),
]

# Rettslige skritt: drafts, signing, packages (debt_collection/legal).
urlpatterns += legal_urls.urlpatterns
