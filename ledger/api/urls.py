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
    path("sync-runs/", views.SyncRunViewSet.as_view({"get": "list"}), name="sync-run-list"),
    path(
        "sync-runs/<int:run_id>/",
        views.SyncRunViewSet.as_view({"get": "retrieve"}),
        name="sync-run-detail",
    ),
    path(
        "integrations/<int:integration_id>/sync/",
        views.IntegrationSyncAPI.as_view(),
        name="integration-sync",
    ),
]
