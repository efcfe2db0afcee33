"""Pages under /o/<org_slug>/integrasjoner/."""

from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("", views.IntegrationListView.as_view(), name="list"),
    path("ny/", views.ChooseSystemView.as_view(), name="new"),
    path("ny/business-nxt/", views.ConnectStartView.as_view(), name="connect-start"),
    path("ny/venter/", views.ConnectWaitingView.as_view(), name="connect-waiting"),
    path("<int:integration_id>/", views.IntegrationDetailView.as_view(), name="detail"),
    path("<int:integration_id>/firma/", views.ChooseCompanyView.as_view(), name="choose-company"),
    path("<int:integration_id>/innstillinger/", views.IntegrationSettingsView.as_view(),
         name="settings"),
    path("<int:integration_id>/synkroniser/", views.SyncNowView.as_view(), name="sync-now"),
    path("<int:integration_id>/synkronisering/<int:run_id>/", views.SyncRunView.as_view(),
         name="sync-run"),
    path("<int:integration_id>/del-med-kundeservice/", views.DiagnosticsShareView.as_view(),
         name="diagnostics-share"),
    path("<int:integration_id>/koble-fra/", views.DisconnectView.as_view(), name="disconnect"),
    path("<int:integration_id>/slett/", views.DeleteView.as_view(), name="delete"),
]
