"""Organisation settings, members and audit log: /o/<org_slug>/innstillinger/..."""

from django.urls import include, path

from kredin.views import api_access, members, settings

urlpatterns = [
    path("", settings.OrganizationSettingsView.as_view(), name="org-settings"),
    path("logg/", settings.AuditLogView.as_view(), name="org-audit-log"),
    path("api/", api_access.ApiAccessView.as_view(), name="org-api-access"),
    # Owned by collections, which sits above kredin: included by name, not imported.
    path("", include("debt_collection.settings_urls")),
    path("medlemmer/", members.MembersView.as_view(), name="org-members"),
    path("medlemmer/inviter/", members.InviteView.as_view(), name="org-member-invite"),
    path(
        "medlemmer/invitasjoner/<int:invitation_id>/trekk-tilbake/",
        members.InvitationRevokeView.as_view(),
        name="org-invitation-revoke",
    ),
    path(
        "medlemmer/<int:membership_id>/rolle/",
        members.MemberRoleView.as_view(),
        name="org-member-role",
    ),
    path(
        "medlemmer/<int:membership_id>/fjern/",
        members.MemberRemoveView.as_view(),
        name="org-member-remove",
    ),
    path(
        "medlemmer/<int:membership_id>/signering/",
        members.MemberSigningView.as_view(),
        name="org-member-signing",
    ),
]
