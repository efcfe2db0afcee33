"""Signing up and confirming, logging in and out, passwords, invitations, the account page,
choosing or adding an organisation."""

from django.contrib.auth import views as auth_views
from django.urls import path

from kredin.views import accounts as views
from kredin.views.second_factor import SecondFactorView

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("registrer/", views.SignupView.as_view(), name="signup"),
    path("registrer/sendt/", views.SignupSentView.as_view(), name="signup-sent"),
    path(
        "bekreft-epost/<uidb64>/<token>/",
        views.EmailConfirmView.as_view(),
        name="email-confirm",
    ),
    path("bekreft-epost/ny-lenke/", views.ConfirmationResendView.as_view(), name="email-resend"),
    path("konto/", views.AccountView.as_view(), name="account"),
    path("konto/passord/", views.PasswordChangeView.as_view(), name="password-change"),
    path("ny-organisasjon/", views.OrganizationNewView.as_view(), name="organization-new"),
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-inn/kode/", SecondFactorView.as_view(), name="login-second-factor"),
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
