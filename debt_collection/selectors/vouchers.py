"""Reads of the vouchers Kredin books in Business NXT, for the Bilag page and the API."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from debt_collection.models import VoucherPosting


def voucher_list(*, status: str = "") -> QuerySet[VoucherPosting]:
    vouchers = VoucherPosting.objects.select_related("case__customer")
    if status:
        vouchers = vouchers.filter(status=status)
    return vouchers


def voucher_counts() -> dict[str, int]:
    rows = VoucherPosting.objects.values("status").annotate(count=Count("pk")).order_by()
    return {row["status"]: row["count"] for row in rows}
