"""Pages under /o/<org_slug>/saker/."""

from django.urls import path

from debt_collection.views import autopilot, cases

app_name = "collections"

urlpatterns = [
    path("", cases.CaseListView.as_view(), name="case-list"),
    path("eksport.csv", cases.CaseExportView.as_view(), name="case-export"),
    path("start/", cases.CaseStartView.as_view(), name="case-start"),
    path("hva-skjer-na/", autopilot.PreviewView.as_view(), name="preview"),
    path("hva-skjer-na/forslag/", autopilot.ProposalDecideView.as_view(), name="proposals"),
    path("<int:case_id>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("<int:case_id>/handling/", cases.CaseActionView.as_view(), name="case-action"),
    path(
        "<int:case_id>/dokumenter/<int:document_id>/",
        cases.DocumentDetailView.as_view(),
        name="document-detail",
    ),
]
