"""Collections' page among the organisation settings: /o/<org_slug>/innstillinger/satser/."""

from django.urls import path

from debt_collection import views

urlpatterns = [
    path("", views.RulesView.as_view(), name="org-rules"),
]
