"""Reskontro API under /api/v1/orgs/<org_slug>/."""

from django.urls import path

from ledger.api import views

app_name = "ledger-api"

urlpatterns = [
    path("customers/", views.CustomerViewSet.as_view({"get": "list"}), name="customer-list"),
    path(
        "customers/<int:customer_id>/",
        views.CustomerViewSet.as_view({"get": "retrieve"}),
        name="customer-detail",
    ),
    path("open-items/", views.OpenItemViewSet.as_view({"get": "list"}), name="open-item-list"),
    path("reskontro/summary/", views.ReskontroSummaryAPI.as_view(), name="reskontro-summary"),
]
