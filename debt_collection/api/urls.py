"""Collections API under /api/v1/orgs/<org_slug>/."""

from django.urls import path

from debt_collection.api import legal, objections, outcomes, pdf, views, vouchers

app_name = "collections-api"

urlpatterns = [
    path(
        "cases/",
        views.CaseViewSet.as_view({"get": "list", "post": "create"}),
        name="case-list",
    ),
    path(
        "cases/<int:case_id>/",
        views.CaseViewSet.as_view({"get": "retrieve"}),
        name="case-detail",
    ),
    path("cases/<int:case_id>/pause/", views.CasePauseAPI.as_view(), name="case-pause"),
    path("cases/<int:case_id>/resume/", views.CaseResumeAPI.as_view(), name="case-resume"),
    path("cases/<int:case_id>/close/", views.CaseCloseAPI.as_view(), name="case-close"),
    path("cases/<int:case_id>/reopen/", views.CaseReopenAPI.as_view(), name="case-reopen"),
    path(
        "cases/<int:case_id>/objections/",
        objections.CaseObjectionListAPI.as_view(),
        name="case-objection-list",
    ),
    path("objections/", objections.ObjectionListAPI.as_view(), name="objection-list"),
    path(
        "objections/<int:objection_id>/",
        objections.ObjectionDetailAPI.as_view(),
        name="objection-detail",
    ),
    path(
        "objections/<int:objection_id>/withdraw/",
        objections.ObjectionWithdrawAPI.as_view(),
        name="objection-withdraw",
    ),
    path(
        "cases/<int:case_id>/documents/",
        views.CaseDocumentListAPI.as_view(),
        name="case-document-list",
    ),
    path(
        "cases/<int:case_id>/documents/<int:document_id>/",
        views.CaseDocumentDetailAPI.as_view(),
        name="case-document-detail",
    ),
    path("documents/<int:document_id>/pdf/", pdf.DocumentPdfAPI.as_view(), name="document-pdf"),
    path("vouchers/", vouchers.VoucherListAPI.as_view(), name="voucher-list"),
    path(
        "vouchers/<int:voucher_id>/retry/",
        vouchers.VoucherRetryAPI.as_view(),
        name="voucher-retry",
    ),
    path("autopilot/preview/", views.AutopilotPreviewAPI.as_view(), name="autopilot-preview"),
    path("outcomes/", outcomes.OutcomesAPI.as_view(), name="outcomes"),
    path("legal-documents/awaiting/", legal.LegalAwaitingAPI.as_view(), name="legal-awaiting"),
    path(
        "legal-documents/<int:document_id>/",
        legal.LegalDocumentAPI.as_view(),
        name="legal-document",
    ),
    path(
        "legal-documents/<int:document_id>/sign/",
        legal.LegalSignAPI.as_view(),
        name="legal-sign",
    ),
    path(
        "legal-documents/<int:document_id>/package/",
        legal.LegalPackageAPI.as_view(),
        name="legal-package",
    ),
]
