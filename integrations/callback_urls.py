"""Visma Connect's redirect back: one fixed URL for every organisation (see the view)."""

from django.urls import path

from integrations.views import ConnectCallbackView

urlpatterns = [
    path("tilbake/", ConnectCallbackView.as_view(), name="visma-connect-callback"),
]
