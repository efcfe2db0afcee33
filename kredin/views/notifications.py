"""A person's notifications in one organisation, and their e-mail choices."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from kredin.models import NotificationKind
from kredin.notification_texts import notification_text
from kredin.selectors import notification_get, notification_preferences, notifications_for_user
from kredin.services.notifications import (
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
)
from kredin.views.base import OrganizationViewMixin

PAGE_SIZE = 50


class NotificationListView(OrganizationViewMixin, View):
    template_name = "kredin/notifications.html"

    def get(self, request, org_slug):
        notifications = notifications_for_user(
            user=request.user,
            organization=self.organization,
            unread_only=request.GET.get("ulest") == "1",
        )
        page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(n, notification_text(kind=n.kind, params=n.params)) for n in page]
        return render(
            request,
            self.template_name,
            {
                "organization": self.organization,
                "membership": self.membership,
                "page": page,
                "rows": rows,
                "unread_only": request.GET.get("ulest") == "1",
            },
        )


def _back(request, org_slug: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications", org_slug=org_slug)


class NotificationReadView(OrganizationViewMixin, View):
    def resolve_objects(self, **url_kwargs) -> None:
        self.notification = notification_get(
            user=self.request.user,
            organization=self.organization,
            notification_id=url_kwargs["notification_id"],
        )

    def post(self, request, org_slug, notification_id):
        notification_mark_read(notification=self.notification)
        return _back(request, org_slug)


class NotificationReadAllView(OrganizationViewMixin, View):
    def post(self, request, org_slug):
        count = notifications_mark_all_read(organization=self.organization, user=request.user)
        if count:
            messages.success(request, _("Alle varsler er merket som lest."))
        return _back(request, org_slug)


class NotificationPreferencesView(OrganizationViewMixin, View):
    template_name = "kredin/notification_preferences.html"

    def get(self, request, org_slug):
        return self.render()

    def post(self, request, org_slug):
        chosen = set(request.POST.getlist("email"))
        notification_preferences_set(
            user=request.user, email={kind.value: kind.value in chosen for kind in NotificationKind}
        )
        messages.success(request, _("Varslingsvalgene er lagret."))
        return redirect("notification-preferences", org_slug=org_slug)

    def render(self):
        preferences = notification_preferences(user=self.request.user)
        kinds = [(kind.value, kind.label, preferences[kind.value]) for kind in NotificationKind]
        return render(
            self.request,
            self.template_name,
            {"organization": self.organization, "membership": self.membership, "kinds": kinds},
        )
