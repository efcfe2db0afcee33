"""The support console: /support/... (staff with a verified second factor only)."""

from django.urls import path

from support.views import actions, health, organization, search, users, view_as

app_name = "support"

urlpatterns = [
    # View as customer
    path(
        "organisasjoner/<int:organization_id>/vis-som-kunde/",
        view_as.ViewAsStartView.as_view(),
        name="view-as-start",
    ),
    path("vis-som-kunde/avslutt/", view_as.ViewAsEndView.as_view(), name="view-as-end"),
    # Search, organisation and person pages, system health
    path("", search.SupportHomeView.as_view(), name="home"),
    path(
        "organisasjoner/<int:organization_id>/",
        organization.SupportOrganizationView.as_view(),
        name="organization",
    ),
    path("brukere/<int:user_id>/", users.SupportUserView.as_view(), name="user"),
    path("helse/", health.SupportHealthView.as_view(), name="health"),
    # Actions
    path(
        "organisasjoner/<int:organization_id>/integrasjoner/<int:integration_id>/synkroniser/",
        actions.SyncRerunView.as_view(),
        name="sync-rerun",
    ),
    path(
        "organisasjoner/<int:organization_id>/bilag/<int:posting_id>/prov-igjen/",
        actions.VoucherRetryView.as_view(),
        name="voucher-retry",
    ),
    path(
        "organisasjoner/<int:organization_id>/utsendelser/<int:delivery_id>/send-igjen/",
        actions.DeliveryRetryView.as_view(),
        name="delivery-retry",
    ),
    path(
        "organisasjoner/<int:organization_id>/autopilot/pause/",
        actions.AutopilotPauseView.as_view(),
        name="autopilot-pause",
    ),
    path(
        "organisasjoner/<int:organization_id>/autopilot/fortsett/",
        actions.AutopilotResumeView.as_view(),
        name="autopilot-resume",
    ),
    path(
        "organisasjoner/<int:organization_id>/invitasjoner/<int:invitation_id>/send-igjen/",
        actions.InvitationResendView.as_view(),
        name="invitation-resend",
    ),
    path(
        "brukere/<int:user_id>/bekreftelse/send-igjen/",
        actions.ConfirmationResendView.as_view(),
        name="confirmation-resend",
    ),
]
