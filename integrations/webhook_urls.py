"""Webhooks from outside systems, mounted at /hooks/ (no session, no CSRF: signed bodies)."""

from django.urls import path

from integrations.webhooks import businessnxt_webhook

urlpatterns = [
    path("businessnxt/", businessnxt_webhook, name="businessnxt-webhook"),
]
