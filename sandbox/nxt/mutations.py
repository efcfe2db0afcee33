"""Mutation_UseCompany: batch_create with nested vouchers, and batch_processings.updateBatch."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLError,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
)

from sandbox.models import Batch, Voucher, VoucherSeries
from sandbox.nxt import ledger
from sandbox.nxt.access import CompanyScope, RequestContext
from sandbox.nxt.filters import to_q
from sandbox.nxt.scalars import DecimalScalar
from sandbox.nxt.tables import BATCH

VOUCHER_INPUT_FIELDS = {
    "voucherNo": ("voucher_no", GraphQLInt),
    "voucherDate": ("voucher_date", GraphQLInt),
    "valueDate": ("value_date", GraphQLInt),
    "dueDate": ("due_date", GraphQLInt),
    "voucherType": ("voucher_type", GraphQLInt),
    "debitAccountNo": ("debit_account_no", GraphQLInt),
    "debitAccountType": ("debit_account_type", GraphQLInt),
    "creditAccountNo": ("credit_account_no", GraphQLInt),
    "creditAccountType": ("credit_account_type", GraphQLInt),
    "amountDomestic": ("amount_domestic", DecimalScalar),
    "customerNo": ("customer_no", GraphQLInt),
    "invoiceNo": ("invoice_no", GraphQLString),
    "text": ("text", GraphQLString),
    "cid": ("cid", GraphQLString),
}

VoucherInput = GraphQLInputObjectType(
    "Voucher_Input",
    {name: GraphQLInputField(kind) for name, (_, kind) in VOUCHER_INPUT_FIELDS.items()},
)
BatchInput = GraphQLInputObjectType(
    "Batch_Input",
    {
        "voucherSeriesNo": GraphQLInputField(GraphQLInt),
        "valueDate": GraphQLInputField(GraphQLInt),
        "vouchers": GraphQLInputField(GraphQLList(GraphQLNonNull(VoucherInput))),
    },
)


@dataclass
class MutationResult:
    affectedRows: int
    items: list


@dataclass
class ProcessingResult:
    succeeded: bool
    voucherJournalNo: int | None


def _writable(scope: CompanyScope, info):
    company = scope.require()
    context: RequestContext = info.context
    if context.readonly:
        raise GraphQLError(
            "Access denied: the token grants read-only access.",
            extensions={"code": "ACCESS_DENIED"},
        )
    return company


def _next_voucher_no(company, series_no: int) -> int:
    series = (
        VoucherSeries.objects.select_for_update()
        .filter(company=company, voucher_series_no=series_no)
        .first()
    )
    return series.next_voucher_no if series else 1


@transaction.atomic
def resolve_batch_create(scope: CompanyScope, info, values: list[dict]) -> MutationResult:
    company = _writable(scope, info)
    now = timezone.now()
    created = []
    for value in values:
        series_no = value.get("voucherSeriesNo") or 0
        batch = Batch.objects.create(
            company=company,
            batch_no=ledger.take_numbers(company, "next_batch_no"),
            voucher_series_no=series_no,
            value_date=value.get("valueDate") or ledger.date_int(timezone.localdate()),
            created_timestamp=now,
            changed_timestamp=now,
        )
        vouchers = []
        default_no = _next_voucher_no(company, series_no)
        for line_no, data in enumerate(value.get("vouchers") or [], start=1):
            fields = {
                attr: data[name]
                for name, (attr, _) in VOUCHER_INPUT_FIELDS.items()
                if data.get(name) is not None
            }
            fields.setdefault("voucher_no", default_no)
            fields.setdefault("value_date", batch.value_date)
            fields.setdefault("voucher_date", fields["value_date"])
            vouchers.append(
                Voucher(
                    company=company,
                    batch=batch,
                    line_no=line_no,
                    created_timestamp=now,
                    changed_timestamp=now,
                    **fields,
                )
            )
        Voucher.objects.bulk_create(vouchers)
        if vouchers:
            highest = max(v.voucher_no for v in vouchers)
            VoucherSeries.objects.filter(
                company=company, voucher_series_no=series_no, next_voucher_no__lte=highest
            ).update(next_voucher_no=highest + 1, changed_timestamp=now)
        created.append(batch)
    return MutationResult(affectedRows=len(created), items=created)


def resolve_batch_processings(scope: CompanyScope, info) -> CompanyScope:
    return scope


def resolve_update_batch(scope: CompanyScope, info, filter=None, args=None) -> ProcessingResult:
    company = _writable(scope, info)
    batches = Batch.objects.filter(company=company, posted=False).filter(to_q(BATCH, filter))
    journal = None
    with transaction.atomic():
        found = list(batches.select_for_update().order_by("batch_no"))
        for batch in found:
            journal = ledger.post_batch(batch)
    return ProcessingResult(succeeded=bool(found), voucherJournalNo=journal)


def mutation_use_company_type(*, batch_type, batch_filter) -> GraphQLObjectType:
    batch_result = GraphQLObjectType(
        "Mutation_UseCompany_Batch_Result",
        {
            "affectedRows": GraphQLField(GraphQLNonNull(GraphQLInt)),
            "items": GraphQLField(GraphQLList(batch_type)),
        },
    )
    update_result = GraphQLObjectType(
        "BatchProcessings_UpdateBatch_Result",
        {
            "succeeded": GraphQLField(GraphQLNonNull(GraphQLBoolean)),
            "voucherJournalNo": GraphQLField(GraphQLInt),
        },
    )
    processings = GraphQLObjectType(
        "BatchProcessings",
        {
            "updateBatch": GraphQLField(
                update_result,
                args={
                    "filter": GraphQLArgument(batch_filter),
                    "args": GraphQLArgument(
                        GraphQLInputObjectType(
                            "BatchProcessings_UpdateBatch_Args",
                            {"dummy": GraphQLInputField(GraphQLInt)},
                        )
                    ),
                },
                resolve=resolve_update_batch,
            )
        },
    )
    return GraphQLObjectType(
        "Mutation_UseCompany",
        {
            "batch_create": GraphQLField(
                batch_result,
                args={
                    "values": GraphQLArgument(
                        GraphQLNonNull(GraphQLList(GraphQLNonNull(BatchInput)))
                    )
                },
                resolve=resolve_batch_create,
            ),
            "batch_processings": GraphQLField(processings, resolve=resolve_batch_processings),
        },
    )
