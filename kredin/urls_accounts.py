"""Signing up, logging in and out, choosing an organisation."""

from django.contrib.auth import views as auth_views
from django.urls import path

from kredin.views import accounts as views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("bytt-organisasjon/", views.SwitchOrganizationView.as_view(), name="switch-organization"),
]
