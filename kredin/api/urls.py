"""/api/v1/: every app adds its routes under orgs/<org_slug>/."""

from django.urls import include, path

from kredin.api import notifications
from kredin.api.views import OrganizationDetailAPI

org_patterns = [
    path("", OrganizationDetailAPI.as_view(), name="organization-detail"),
    path(
        "notifications/",
        notifications.NotificationListAPI.as_view(),
        name="notification-list-api",
    ),
    path(
        "notifications/read/",
        notifications.NotificationReadAllAPI.as_view(),
        name="notification-read-all-api",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.NotificationReadAPI.as_view(),
        name="notification-read-api",
    ),
    path("", include("integrations.api.urls")),
    path("", include("ledger.api.urls")),
    path("", include("debt_collection.api.urls")),
]

urlpatterns = [
    path("orgs/<slug:org_slug>/", include(org_patterns)),
]
