"""Collections' pages among the organisation settings, under /o/<org_slug>/innstillinger/."""

from django.urls import path

from debt_collection import views_settings
from debt_collection.views import rules as views

urlpatterns = [
    path("satser/", views.RulesView.as_view(), name="org-rules"),
    path(
        "inkasso/",
        views_settings.CollectionSettingsView.as_view(),
        name="org-collection-settings",
    ),
    path(
        "inkasso/logo/",
        views_settings.CollectionLogoView.as_view(),
        name="org-collection-logo",
    ),
]
