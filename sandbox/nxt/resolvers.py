"""Query resolvers: company tables as pages, joins, and the available customers/companies."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum
from graphql import GraphQLError

from sandbox.models import Associate, Fault, Voucher
from sandbox.nxt import faults
from sandbox.nxt.access import CompanyScope, RequestContext
from sandbox.nxt.filters import order_fields, to_q
from sandbox.nxt.paging import Page, PageRequest
from sandbox.nxt.tables import DECIMAL, INT, VOUCHER, Table


def _page(table: Table, queryset, args: dict, company_no: int, info=None) -> Page:
    request = PageRequest.from_args(args)
    queryset = (
        queryset.filter(table.base_filter)
        .filter(to_q(table, args.get("filter")))
        .order_by(*order_fields(table, args.get("orderBy"), args.get("sortOrder")))
    )
    if table.model is Voucher:
        queryset = queryset.select_related("batch")
    if args.get("groupBy"):
        queryset = _grouped(table, queryset, args["groupBy"])
    continuing = bool(request.after or request.skip)
    targets = getattr(getattr(info, "context", None), "targets", None)
    rewind = (
        continuing and faults.consume(company_no, Fault.Kind.DUPLICATE_PAGE, targets) is not None
    )
    return Page(queryset, request, rewind=rewind)


class GroupRow(dict):
    """One group of a ``groupBy`` query: its group columns, and the aggregates under keys."""

    def __getattr__(self, name: str):
        if name.startswith("_"):  # keep protocol probes (__await__ ...) from matching
            raise AttributeError(name)
        return self.get(name)


def _grouped(table: Table, queryset, group_by: list[dict]):
    attrs = [table.column(name).attr for item in group_by for name in item]
    sums = {f"sum__{c.attr}": Sum(c.attr) for c in table.columns if c.kind in (INT, DECIMAL)}
    grouped = queryset.order_by().values(*attrs).annotate(count__=Count("pk"), **sums)
    return _GroupQuerySet(grouped.order_by(*attrs))


class _GroupQuerySet:
    """Wraps a values() queryset so pages yield GroupRow objects."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window):
        return [GroupRow(row) for row in self.queryset[window]]


def resolve_aggregates(row, _info):
    return row if isinstance(row, GroupRow) else None


def table_resolver(table: Table):
    def resolve(scope: CompanyScope, info, **args) -> Page:
        company = scope.require()
        value = company.pk if table.company_lookup == "pk" else company
        queryset = table.model.objects.filter(**{table.company_lookup: value})
        return _page(table, queryset, args, company.company_no, info)

    return resolve


def joindown_vouchers(batch, info, **args) -> Page:
    # A batch returned by batch_delete no longer has rows (nor, once deleted, a key).
    queryset = Voucher.objects.filter(batch=batch) if batch.pk else Voucher.objects.none()
    return _page(VOUCHER, queryset, args, batch.company.company_no, info)


def joinup_associate(row, _info):
    """Loads the associates of a whole page at once, on the first row that asks."""
    if not hasattr(row, "_sbx_associate"):
        siblings = getattr(row, "_sbx_siblings", None) or [row]
        numbers = {s.customer_no for s in siblings}
        found = {
            a.customer_no: a
            for a in Associate.objects.filter(company_id=row.company_id, customer_no__in=numbers)
        }
        for sibling in siblings:
            sibling._sbx_associate = found.get(sibling.customer_no)
    return row._sbx_associate


@dataclass
class Listing:
    totalCount: int
    items: list


def _listing(rows: list[dict], args: dict) -> Listing:
    entries = []
    for item in args.get("orderBy") or []:
        entries.extend(item.items())
    entries.extend((args.get("sortOrder") or {}).items())
    for name, direction in reversed(entries):
        rows.sort(key=lambda r, n=name: (r[n] is None, r[n]), reverse=direction == "DESC")
    first, last = args.get("first"), args.get("last")
    if (first is not None and first < 0) or (last is not None and last < 0):
        raise GraphQLError("The values for 'first' and 'last' must be positive integers.")
    total = len(rows)
    if first is not None:
        rows = rows[:first]
    elif last is not None:
        rows = rows[max(0, total - last) :]
    return Listing(totalCount=total, items=rows)


def available_customers(_root, info, **args) -> Listing:
    context: RequestContext = info.context
    rows = [
        {"name": c.name, "vismaNetCustomerId": c.customer_no}
        for c in context.principal.customers().order_by("customer_no")
    ]
    return _listing(rows, args)


def available_companies(_root, info, customerNo: int | None = None, **args) -> Listing:
    context: RequestContext = info.context
    companies = context.principal.companies().select_related("customer").order_by("company_no")
    if customerNo is not None:
        companies = companies.filter(customer__customer_no=customerNo)
    rows = [
        {
            "name": c.name,
            "vismaNetCompanyId": c.company_no,
            "vismaNetCustomerId": c.customer.customer_no,
        }
        for c in companies
    ]
    return _listing(rows, args)
