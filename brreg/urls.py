"""Mounted under /o/<org_slug>/register/ (kredin/urls_org.py)."""

from django.urls import path

from brreg import views

app_name = "brreg"

urlpatterns = [
    path(
        "kunder/<int:customer_id>/overstyr/",
        views.CustomerOverrideView.as_view(),
        name="customer-override",
    ),
]
