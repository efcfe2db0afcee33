"""Reads over the mirrored reskontro. Every function runs inside an organisation scope.

Totals are aggregated in SQL, one query per summary, so the cost of a page does not grow
with the number of items shown; the summary's counts double as the paginator's count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    Min,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.functional import cached_property

from ledger.aging import BUCKETS, Bucket, due_date_range
from ledger.filters import (
    BUCKET_LABELS,
    CUSTOMER_SORTS,
    ITEM_SORTS,
    ReskontroFilter,
    open_items_filtered,
    overdue_q,
)
from ledger.models import Customer, LedgerTransaction, OpenItem

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BucketTotal:
    key: str
    label: str
    count: int
    outstanding: Decimal

    @property
    def is_overdue(self) -> bool:
        return self.key != Bucket.NOT_DUE


@dataclass(frozen=True)
class ReskontroSummary:
    as_of: date
    item_count: int
    customer_count: int
    total_outstanding: Decimal
    overdue_outstanding: Decimal
    overdue_count: int
    buckets: list[BucketTotal] = field(default_factory=list)


class KnownCountPaginator(Paginator):
    """A paginator told its count up front, so it never runs its own COUNT(*)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def open_item_list(*, flt: ReskontroFilter, sort: str, today: date) -> QuerySet[OpenItem]:
    qs = OpenItem.objects.select_related("customer").only(
        "id",
        "customer_id",
        "customer__id",
        "customer__name",
        "customer__customer_no",
        "customer__organization_number",
        "external_id",
        "kind",
        "invoice_no",
        "voucher_no",
        "voucher_date",
        "due_date",
        "kid",
        "currency",
        "amount",
        "outstanding",
        "status",
        "settled_at",
        "text",
    )
    ordering = ITEM_SORTS.get(sort) or ITEM_SORTS["due_date"]
    return open_items_filtered(qs, flt, today=today).order_by(*ordering)


def bucket_expression(today: date) -> Case:
    """SQL CASE giving each item its aging bucket key on `today`."""
    whens = [When(due_date__isnull=True, then=Value(str(Bucket.NOT_DUE)))]
    for bucket in BUCKETS[:-1]:
        whens.append(
            When(due_date__gte=due_date_range(bucket, today).earliest, then=Value(str(bucket)))
        )
    return Case(*whens, default=Value(str(BUCKETS[-1])), output_field=CharField())


def reskontro_summary(*, flt: ReskontroFilter, today: date) -> ReskontroSummary:
    """Totals and aging buckets of the items matching `flt`: two aggregate queries.

    One pass groups the items by bucket (totals follow from the buckets); the distinct
    customer count is its own query because COUNT(DISTINCT) in the same pass would force
    a sort of every row.
    """
    items = open_items_filtered(OpenItem.objects.all(), flt, today=today)
    per_bucket = {
        row["bucket"]: row
        for row in items.annotate(bucket=bucket_expression(today))
        .values("bucket")
        .annotate(count=Count("id"), outstanding=Sum("outstanding", default=ZERO))
        .order_by()
    }
    buckets = [
        BucketTotal(
            key=str(bucket),
            label=str(BUCKET_LABELS[bucket]),
            count=per_bucket.get(bucket, {}).get("count", 0),
            outstanding=per_bucket.get(bucket, {}).get("outstanding", ZERO),
        )
        for bucket in BUCKETS
    ]
    overdue = [b for b in buckets if b.is_overdue]
    item_count = sum(b.count for b in buckets)
    customer_count = items.values("customer_id").distinct().count() if item_count else 0
    return ReskontroSummary(
        as_of=today,
        item_count=item_count,
        customer_count=customer_count,
        total_outstanding=sum((b.outstanding for b in buckets), ZERO),
        overdue_outstanding=sum((b.outstanding for b in overdue), ZERO),
        overdue_count=sum(b.count for b in overdue),
        buckets=buckets,
    )


class CustomerTotals:
    """Customers with items matching a filter, each with its totals, in a chosen order.

    A lazy sequence for paginators: slicing runs a grouped query over the items (by
    customer id alone, so no join per item) and one query for the page's customers.
    Sorting by name goes the other way round: customers by name first, then the
    totals of just that page. `count` may be passed in when already known.
    """

    def __init__(self, *, flt: ReskontroFilter, sort: str, today: date, count: int | None = None):
        self.items = open_items_filtered(OpenItem.objects.all(), flt, today=today)
        self.sort = sort if sort in CUSTOMER_SORTS else "-outstanding"
        self.today = today
        self._count = count

    def count(self) -> int:
        if self._count is None:
            self._count = self.items.values("customer_id").distinct().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _grouped(self) -> QuerySet:
        return (
            self.items.values("customer_id")
            .annotate(
                outstanding_total=Sum("outstanding", default=ZERO),
                overdue_total=Sum("outstanding", filter=overdue_q(self.today), default=ZERO),
                item_count=Count("id"),
                oldest_due_date=Min("due_date"),
            )
            .order_by()
        )

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ordering = CUSTOMER_SORTS[self.sort]
        if self.sort.lstrip("-") == "name":
            customer_ids = list(
                Customer.objects.filter(pk__in=self.items.values("customer_id"))
                .order_by(*ordering)
                .values_list("pk", flat=True)[index]
            )
            totals = {
                row["customer_id"]: row
                for row in self._grouped().filter(customer_id__in=customer_ids)
            }
            rows = [totals[pk] for pk in customer_ids if pk in totals]
        else:
            rows = list(self._grouped().order_by(*ordering)[index])
        customers = Customer.objects.only(
            "id", "name", "customer_no", "organization_number"
        ).in_bulk([row["customer_id"] for row in rows])
        for row in rows:
            customer = customers[row["customer_id"]]
            row["customer__name"] = customer.name
            row["customer__customer_no"] = customer.customer_no
            row["customer__organization_number"] = customer.organization_number
        return rows


def customer_totals_list(
    *, flt: ReskontroFilter, sort: str, today: date, count: int | None = None
) -> CustomerTotals:
    """One row (a dict) per customer with matching items, with that customer's totals.

    The number of rows equals `reskontro_summary(...).customer_count` for the same filter.
    """
    return CustomerTotals(flt=flt, sort=sort, today=today, count=count)


def customer_list(*, customer_ids: list[int] | None = None) -> QuerySet[Customer]:
    qs = Customer.objects.all()
    if customer_ids is not None:
        qs = qs.filter(pk__in=customer_ids)
    return qs


def customer_transactions(*, customer: Customer) -> QuerySet[LedgerTransaction]:
    return LedgerTransaction.objects.filter(customer=customer).order_by(
        "-voucher_date", "-voucher_no", "-id"
    )
