"""API shapes of integrations: nothing leaves unless it is listed here."""

from __future__ import annotations

from rest_framework import serializers

from integrations.models import SyncRun


class SyncRunSerializer(serializers.ModelSerializer):
    integration = serializers.IntegerField(source="integration_id", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    is_finished = serializers.BooleanField(read_only=True)
    error = serializers.CharField(read_only=True, help_text="Why the run failed, in words.")

    class Meta:
        model = SyncRun
        fields = [
            "id",
            "integration",
            "kind",
            "trigger",
            "status",
            "phase",
            "percent",
            "is_finished",
            "total_steps",
            "done_steps",
            "customers_seen",
            "items_seen",
            "transactions_seen",
            "items_created",
            "items_updated",
            "items_settled",
            "error_code",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
