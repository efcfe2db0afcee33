"""The person's own notifications in one organisation: list, mark one read, mark all read.

Everyone who may see the organisation may read and mark their own notifications, a
read-only member too; nobody sees or marks anyone else's.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from kredin.api.base import OrganizationAPIView
from kredin.api.pagination import StandardPagination
from kredin.models import Notification, NotificationKind
from kredin.notification_texts import notification_text
from kredin.permissions import Permission
from kredin.selectors import notification_get, notifications_for_user
from kredin.services.notifications import notification_mark_read, notifications_mark_all_read

NOTIFICATIONS_TAG = ["notifications"]
_NOT_FOUND = OpenApiResponse(description="Not in this organisation, or not yours.")


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    text = serializers.SerializerMethodField(help_text="Worded in the request's language.")
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "params", "text", "url", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_text(self, notification: Notification) -> str:
        return notification_text(kind=notification.kind, params=notification.params)

    def get_unread(self, notification: Notification) -> bool:
        return notification.read_at is None


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread until now.")


class _NotificationAPI(OrganizationAPIView):
    required_permission = Permission.VIEW
    write_permission = Permission.VIEW


class NotificationListAPI(_NotificationAPI):
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="notifications_list",
        tags=NOTIFICATIONS_TAG,
        parameters=[OpenApiParameter("unread", bool, required=False)],
        responses={200: NotificationSerializer(many=True), 404: _NOT_FOUND},
        description="Your notifications in this organisation, newest first; "
        "`unread=true` for the unread ones only.",
    )
    def get(self, request: Request, org_slug: str) -> Response:
        unread = request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        queryset = notifications_for_user(
            user=request.user, organization=self.organization, unread_only=unread
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationReadAPI(_NotificationAPI):
    @extend_schema(
        operation_id="notifications_read",
        tags=NOTIFICATIONS_TAG,
        request=None,
        responses={200: NotificationSerializer, 404: _NOT_FOUND},
        description="Mark one of your notifications as read (again is harmless).",
    )
    def post(self, request: Request, org_slug: str, notification_id: int) -> Response:
        notification = notification_get(
            user=request.user, organization=self.organization, notification_id=notification_id
        )
        notification = notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllAPI(_NotificationAPI):
    @extend_schema(
        operation_id="notifications_read_all",
        tags=NOTIFICATIONS_TAG,
        request=None,
        responses={200: MarkedReadSerializer, 404: _NOT_FOUND},
        description="Mark all your notifications in this organisation as read.",
    )
    def post(self, request: Request, org_slug: str) -> Response:
        marked = notifications_mark_all_read(organization=self.organization, user=request.user)
        return Response(MarkedReadSerializer({"marked": marked}).data)
