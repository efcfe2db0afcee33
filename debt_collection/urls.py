"""Pages under /o/<org_slug>/saker/."""

from django.urls import path

from debt_collection import views

app_name = "collections"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case-list"),
]
