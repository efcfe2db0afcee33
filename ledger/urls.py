"""Reskontro pages under /o/<org_slug>/reskontro/."""

from django.urls import path

from ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.ReskontroView.as_view(), name="reskontro"),
    path("eksport.csv", views.ExportCsvView.as_view(), name="export-csv"),
    path("kunder/<int:customer_id>/", views.CustomerDetailView.as_view(), name="customer-detail"),
]
