"""Pages of one organisation: /o/<org_slug>/..."""

from django.urls import include, path

from kredin.views import notifications
from kredin.views import organization as views

urlpatterns = [
    path("", views.OrganizationHomeView.as_view(), name="org-home"),
    path("innstillinger/", include("kredin.urls_settings")),
    path("integrasjoner/", include("integrations.urls")),
    path("reskontro/", include("ledger.urls")),
    path("saker/", include("debt_collection.urls")),
    path("register/", include("brreg.urls")),
    path("varsler/", notifications.NotificationListView.as_view(), name="notifications"),
    path(
        "varsler/lest/",
        notifications.NotificationReadAllView.as_view(),
        name="notifications-read-all",
    ),
    path(
        "varsler/<int:notification_id>/lest/",
        notifications.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path(
        "varsler/e-post/",
        notifications.NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
]
