"""Signing up, logging in and out, password reset, invitations, choosing an organisation."""

from django.contrib.auth import views as auth_views
from django.urls import path

from kredin.views import accounts as views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("registrer/", views.SignupView.as_view(), name="signup"),
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("glemt-passord/", views.PasswordResetView.as_view(), name="password_reset"),
    path("glemt-passord/sendt/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "nytt-passord/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nytt-passord/ferdig/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitasjon/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("bytt-organisasjon/", views.SwitchOrganizationView.as_view(), name="switch-organization"),
]
