"""Explicit API shapes for the reskontro: nothing leaves unless it is listed here."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ledger.aging import bucket_for, days_past_due
from ledger.models import Customer, OpenItem


class CustomerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "customer_no", "organization_number"]


class OpenItemSerializer(serializers.ModelSerializer):
    customer = CustomerRefSerializer(read_only=True)
    days_past_due = serializers.SerializerMethodField()
    aging_bucket = serializers.SerializerMethodField()

    class Meta:
        model = OpenItem
        fields = [
            "id",
            "external_id",
            "customer",
            "kind",
            "invoice_no",
            "voucher_no",
            "voucher_date",
            "due_date",
            "days_past_due",
            "aging_bucket",
            "kid",
            "currency",
            "amount",
            "outstanding",
            "status",
            "settled_at",
            "text",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_past_due(self, item: OpenItem) -> int | None:
        return days_past_due(item.due_date, self.context["today"])

    @extend_schema_field(
        serializers.ChoiceField(choices=["not_due", "d0_30", "d31_60", "d61_90", "d90_plus"])
    )
    def get_aging_bucket(self, item: OpenItem) -> str:
        return str(bucket_for(item.due_date, self.context["today"]))


class CustomerTotalsSerializer(serializers.Serializer):
    """One customer with the totals of its items matching the filter."""

    id = serializers.IntegerField(source="customer_id")
    name = serializers.CharField(source="customer__name")
    customer_no = serializers.IntegerField(source="customer__customer_no", allow_null=True)
    organization_number = serializers.CharField(source="customer__organization_number")
    outstanding_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    overdue_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    item_count = serializers.IntegerField()
    oldest_due_date = serializers.DateField(allow_null=True)


class BucketTotalSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="One of the aging buckets, as in `aging_bucket`.")
    label = serializers.CharField()
    count = serializers.IntegerField()
    outstanding = serializers.DecimalField(max_digits=16, decimal_places=2)


class ReskontroSummarySerializer(serializers.Serializer):
    as_of = serializers.DateField()
    item_count = serializers.IntegerField()
    customer_count = serializers.IntegerField()
    total_outstanding = serializers.DecimalField(max_digits=16, decimal_places=2)
    overdue_outstanding = serializers.DecimalField(max_digits=16, decimal_places=2)
    overdue_count = serializers.IntegerField()
    buckets = BucketTotalSerializer(many=True)


class CustomerDetailSerializer(serializers.ModelSerializer):
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [
            "id",
            "external_id",
            "customer_no",
            "name",
            "organization_number",
            "customer_type",
            "address_line1",
            "address_line2",
            "post_code",
            "city",
            "country",
            "email",
            "phone",
            "summary",
        ]

    @extend_schema_field(ReskontroSummarySerializer)
    def get_summary(self, customer: Customer) -> dict:
        return ReskontroSummarySerializer(self.context["summary"]).data
