"""Pages of the legal steps, under /o/<org_slug>/saker/ (in the "collections" namespace)."""

from django.urls import path

from debt_collection.views import legal

urlpatterns = [
    path("til-signering/", legal.LegalAwaitingView.as_view(), name="legal-awaiting"),
    path(
        "<int:case_id>/rettslig/ny/",
        legal.LegalDraftCreateView.as_view(),
        name="legal-draft-create",
    ),
    path("rettslig/<int:document_id>/", legal.LegalDocumentView.as_view(), name="legal-document"),
    path(
        "rettslig/<int:document_id>/endre/",
        legal.LegalDocumentEditView.as_view(),
        name="legal-document-edit",
    ),
    path("rettslig/<int:document_id>/signer/", legal.LegalSignView.as_view(), name="legal-sign"),
    path("rettslig/<int:document_id>/pdf/", legal.LegalPdfView.as_view(), name="legal-pdf"),
    path(
        "rettslig/<int:document_id>/pakke.zip",
        legal.LegalPackageView.as_view(),
        name="legal-package",
    ),
]
