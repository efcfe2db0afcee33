"""Pages of one organisation: /o/<org_slug>/..."""

from django.urls import include, path

from kredin.views import organization as views

urlpatterns = [
    path("", views.OrganizationHomeView.as_view(), name="org-home"),
    path("innstillinger/", include("kredin.urls_settings")),
    path("integrasjoner/", include("integrations.urls")),
    path("reskontro/", include("ledger.urls")),
    path("saker/", include("debt_collection.urls")),
    path("register/", include("brreg.urls")),
]
