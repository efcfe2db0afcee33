"""Integrations API under /api/v1/orgs/<org_slug>/."""

from django.urls import path

from integrations.api import views

app_name = "integrations-api"

urlpatterns = [
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
