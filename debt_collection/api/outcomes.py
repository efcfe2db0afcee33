"""Outcomes API: the figures of the Oversikt page, as data."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from debt_collection.api.serializers import CollectionsErrorSerializer
from debt_collection.selectors.outcomes import DSO_DAYS, MONTHS, outcomes
from kredin.api.base import OrganizationAPIView
from kredin.clock import today_in_norway

OUTCOMES_TAG = ["outcomes"]


def _money(**kwargs) -> serializers.DecimalField:
    # Strings, so no client reads an amount as a float.
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, coerce_to_string=True, **kwargs
    )


class StepTotalSerializer(serializers.Serializer):
    step = serializers.CharField(help_text='A step code, or "startet" before the first letter.')
    label = serializers.CharField()
    count = serializers.IntegerField()
    owed = _money(help_text="What the debtors owe: the sum of the cases' claim entries.")


class MonthAmountSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    amount = _money()


class RecoveredPrincipalSerializer(serializers.Serializer):
    months = MonthAmountSerializer(many=True)
    period_total = _money()
    all_time_total = _money()


class MonthIncomeSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    fees = _money(help_text="Fees and § 3a compensation.")
    interest = _money()
    total = _money()


class IncomeBookedSerializer(serializers.Serializer):
    months = MonthIncomeSerializer(many=True)
    fees_total = _money()
    interest_total = _money()
    total = _money()


class DsoPointSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="The month's last day (today for this month).")
    receivables = _money(help_text="The customer ledger's balance that day.")
    invoiced = _money(help_text=f"Invoiced less credit notes in the {DSO_DAYS} days up to it.")
    days = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        coerce_to_string=True,
        allow_null=True,
        help_text=f"receivables ÷ invoiced × {DSO_DAYS}; null when nothing was invoiced.",
    )


class ReasonTotalSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text='A close reason, or "" when none was given.')
    label = serializers.CharField()
    count = serializers.IntegerField()
    principal = _money(help_text="The invoices' principal when taken into the cases.")


class BucketAmountSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="not_due, d0_30, d31_60, d61_90 or d90_plus.")
    label = serializers.CharField()
    amount = _money()


class AgingPointSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    buckets = BucketAmountSerializer(many=True)
    total = _money()


class OutcomesSerializer(serializers.Serializer):
    on = serializers.DateField()
    period_start = serializers.DateField()
    open_by_step = StepTotalSerializer(many=True)
    recovered_principal = RecoveredPrincipalSerializer(source="recovered")
    income_booked = IncomeBookedSerializer(source="income")
    days_sales_outstanding = DsoPointSerializer(source="dso", many=True)
    closed_by_reason = ReasonTotalSerializer(source="closed", many=True)
    aging = AgingPointSerializer(many=True)


class OutcomesAPI(OrganizationAPIView):
    @extend_schema(
        operation_id="outcomes_retrieve",
        tags=OUTCOMES_TAG,
        responses={
            200: OutcomesSerializer,
            404: OpenApiResponse(CollectionsErrorSerializer, description="Not a member."),
        },
        description=f"The Oversikt page's figures over the last {MONTHS} months up to today "
        "(Europe/Oslo): open cases by step, principal recovered, fee and interest income "
        "booked, days sales outstanding and aging at each month end, cases closed by reason. "
        "Money is a decimal string in NOK.",
    )
    def get(self, request: Request, org_slug: str) -> Response:
        return Response(OutcomesSerializer(outcomes(on=today_in_norway())).data)
