"""Mutation_UseCompany: batch_create (with nested vouchers), voucher_create, batch_delete and
batch_processings.updateBatch.

Documented by Visma: the ``<table>_create(values:)`` / ``<table>_delete(filter:)`` conventions
and their ``{affectedRows items}`` result, ``batch_create`` with nested ``vouchers``, and the
older flow "create the batch, store its batchNo, then create the vouchers" (reference §3.2-3.5).
Not confirmed by the public docs: the processing name ``updateBatch`` and its
``voucherJournalNo`` result, the exact ``voucher_create`` / ``batch_delete`` bodies, and every
validation message and ``extensions.code`` below (Business NXT's own wording is not public; the
stand-in answers them the documented way, HTTP 200 with ``errors`` and the field null).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
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

from sandbox.models import Associate, Batch, GeneralLedgerAccount, Voucher, VoucherSeries
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
    {
        # batchNo: which batch voucher_create adds the line to (ignored when nested in
        # batch_create, where the parent batch decides).
        "batchNo": GraphQLInputField(GraphQLInt),
        **{name: GraphQLInputField(kind) for name, (_, kind) in VOUCHER_INPUT_FIELDS.items()},
    },
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


def refusal(message: str, code: str, **extra) -> GraphQLError:
    """A validation error as Business NXT reports it: in ``errors``, the field's data null."""
    return GraphQLError(f"Error: {message}", extensions={"code": code, "codes": [code], **extra})


def _writable(scope: CompanyScope, info):
    company = scope.require()
    context: RequestContext = info.context
    if context.readonly:
        raise GraphQLError(
            "Access denied: the token grants read-only access.",
            extensions={"code": "ACCESS_DENIED"},
        )
    return company


class _Rules:
    """Checks voucher lines against the company's accounts and voucher series."""

    def __init__(self, company):
        self.company = company
        self._accounts: set[int] | None = None
        self._customers: set[int] | None = None

    def accounts(self) -> set[int]:
        if self._accounts is None:
            rows = GeneralLedgerAccount.objects.filter(company=self.company)
            self._accounts = set(rows.values_list("account_no", flat=True))
        return self._accounts

    def customers(self) -> set[int]:
        if self._customers is None:
            rows = Associate.objects.filter(company=self.company, customer_no__gt=0)
            self._customers = set(rows.values_list("customer_no", flat=True))
        return self._customers

    def series(self, series_no: int) -> VoucherSeries | None:
        """The batch's voucher series, locked for numbering; 0 = none given (no checks)."""
        if not series_no:
            return None
        series = (
            VoucherSeries.objects.select_for_update()
            .filter(company=self.company, voucher_series_no=series_no)
            .first()
        )
        if series is None:
            raise refusal(
                f"Voucher series {series_no} does not exist.",
                "UNKNOWN_VOUCHER_SERIES",
                field="voucherSeriesNo",
                value=series_no,
            )
        return series

    def line(self, data: dict, where: str) -> None:
        amount = data.get("amountDomestic")
        if amount is None or amount == 0:
            raise refusal(
                f"The amount must not be 0 ({where}.amountDomestic).",
                "INVALID_AMOUNT",
                field="amountDomestic",
                input=where,
            )
        if not data.get("debitAccountNo") and not data.get("creditAccountNo"):
            raise refusal(
                f"The voucher line has neither a debit nor a credit account ({where}).",
                "MISSING_ACCOUNT",
                input=where,
            )
        for side in ("debit", "credit"):
            self._side(data, side, where)

    def _side(self, data: dict, side: str, where: str) -> None:
        field = f"{side}AccountNo"
        account_no = data.get(field) or 0
        account_type = data.get(f"{side}AccountType") or 0
        if not account_no:
            return
        extra = {"field": field, "value": account_no, "input": where}
        if account_type not in (0, ledger.ACCOUNT_TYPE_CUSTOMER, ledger.ACCOUNT_TYPE_GL):
            # Suppliers and capital assets have no ledger in the stand-in.
            raise refusal(
                f"Account type {account_type} is not supported by the sandbox ({where}.{field}).",
                "UNSUPPORTED_ACCOUNT_TYPE",
                **extra,
            )
        customer_no = data.get("customerNo") or 0
        if ledger.is_customer_side(account_type, account_no, customer_no):
            number = customer_no or account_no
            if number not in self.customers():
                raise refusal(
                    f"Customer {number} does not exist ({where}.{field}).",
                    "UNKNOWN_ACCOUNT",
                    **extra,
                )
        elif account_no not in self.accounts():
            raise refusal(
                f"General ledger account {account_no} does not exist ({where}.{field}).",
                "UNKNOWN_ACCOUNT",
                **extra,
            )

    @staticmethod
    def number(series: VoucherSeries | None, voucher_no: int, where: str) -> None:
        """A voucher number past the series' last voucher no. means the series is used up."""
        if series is not None and voucher_no > series.last_voucher_no:
            raise refusal(
                f"Voucher series {series.voucher_series_no} is exhausted: voucher no. "
                f"{voucher_no} is above its last voucher no. {series.last_voucher_no} "
                f"({where}.voucherNo).",
                "VOUCHER_SERIES_EXHAUSTED",
                field="voucherNo",
                value=voucher_no,
                input=where,
            )


def _add_vouchers(rules: _Rules, batch: Batch, series, lines: list[tuple[str, dict]], now):
    """Validate and insert voucher lines into a batch; all of them or (on an error) none."""
    default_no = series.next_voucher_no if series else 1
    first_line = (batch.vouchers.aggregate(Max("line_no"))["line_no__max"] or 0) + 1
    vouchers = []
    for line_no, (where, data) in enumerate(lines, start=first_line):
        rules.line(data, where)
        fields = {
            attr: data[name]
            for name, (attr, _) in VOUCHER_INPUT_FIELDS.items()
            if data.get(name) is not None
        }
        fields.setdefault("voucher_no", default_no)
        rules.number(series, fields["voucher_no"], where)
        fields.setdefault("value_date", batch.value_date)
        fields.setdefault("voucher_date", fields["value_date"])
        vouchers.append(
            Voucher(
                company=batch.company,
                batch=batch,
                line_no=line_no,
                created_timestamp=now,
                changed_timestamp=now,
                **fields,
            )
        )
    Voucher.objects.bulk_create(vouchers)
    if vouchers and series is not None:
        highest = max(v.voucher_no for v in vouchers)
        VoucherSeries.objects.filter(pk=series.pk, next_voucher_no__lte=highest).update(
            next_voucher_no=highest + 1, changed_timestamp=now
        )
        series.refresh_from_db()
    return vouchers


@transaction.atomic
def resolve_batch_create(scope: CompanyScope, info, values: list[dict]) -> MutationResult:
    company = _writable(scope, info)
    rules = _Rules(company)
    now = timezone.now()
    created = []
    for index, value in enumerate(values):
        series_no = value.get("voucherSeriesNo") or 0
        series = rules.series(series_no)
        batch = Batch.objects.create(
            company=company,
            batch_no=ledger.take_numbers(company, "next_batch_no"),
            voucher_series_no=series_no,
            value_date=value.get("valueDate") or ledger.date_int(timezone.localdate()),
            created_timestamp=now,
            changed_timestamp=now,
        )
        lines = [
            (f"values[{index}].vouchers[{n}]", data)
            for n, data in enumerate(value.get("vouchers") or [])
        ]
        _add_vouchers(rules, batch, series, lines, now)
        created.append(batch)
    return MutationResult(affectedRows=len(created), items=created)


@transaction.atomic
def resolve_voucher_create(scope: CompanyScope, info, values: list[dict]) -> MutationResult:
    """The older flow: vouchers added to a batch made before (``batchNo`` on every value)."""
    company = _writable(scope, info)
    rules = _Rules(company)
    now = timezone.now()
    by_batch: dict[int, list[tuple[int, dict]]] = {}
    for index, data in enumerate(values):
        batch_no = data.get("batchNo")
        if not batch_no:
            raise refusal(
                f"A voucher needs the batchNo of an existing batch (values[{index}].batchNo).",
                "MISSING_BATCH_NO",
                field="batchNo",
                input=f"values[{index}]",
            )
        by_batch.setdefault(batch_no, []).append((index, data))
    created: list[tuple[int, Voucher]] = []
    for batch_no, items in by_batch.items():
        batch = (
            Batch.objects.select_for_update()
            .filter(company=company, batch_no=batch_no, posted=False)
            .first()
        )
        if batch is None:
            raise refusal(
                f"Batch {batch_no} does not exist.",
                "UNKNOWN_BATCH",
                field="batchNo",
                value=batch_no,
            )
        series = rules.series(batch.voucher_series_no)
        lines = [(f"values[{index}]", data) for index, data in items]
        vouchers = _add_vouchers(rules, batch, series, lines, now)
        created.extend(zip((index for index, _ in items), vouchers, strict=True))
        batch.changed_timestamp = now
        batch.save(update_fields=["changed_timestamp"])
    created.sort(key=lambda pair: pair[0])
    return MutationResult(affectedRows=len(created), items=[v for _, v in created])


@transaction.atomic
def resolve_batch_delete(scope: CompanyScope, info, filter=None) -> MutationResult:
    """Delete unposted batches and their vouchers; posted batches are out of reach, as they
    have left the batch table. ``items`` are the deleted batches as they were (their vouchers
    join as empty). No filter deletes every unposted batch (not confirmed by the public docs;
    Business NXT warns about updates without a filter, reference §3.3)."""
    company = _writable(scope, info)
    batches = list(
        Batch.objects.select_for_update()
        .filter(company=company, posted=False)
        .filter(to_q(BATCH, filter))
        .order_by("batch_no")
    )
    keys = [b.pk for b in batches]
    Voucher.objects.filter(batch_id__in=keys).delete()
    Batch.objects.filter(pk__in=keys).delete()
    for batch in batches:
        batch.pk = None
    return MutationResult(affectedRows=len(batches), items=batches)


def resolve_batch_processings(scope: CompanyScope, info) -> CompanyScope:
    return scope


def resolve_update_batch(scope: CompanyScope, info, filter=None, args=None) -> ProcessingResult:
    company = _writable(scope, info)
    batches = Batch.objects.filter(company=company, posted=False).filter(to_q(BATCH, filter))
    journal = None
    try:
        with transaction.atomic():
            found = list(batches.select_for_update().order_by("batch_no"))
            for batch in found:
                journal = ledger.post_batch(batch)
    except ledger.PostingError as exc:
        raise refusal(exc.message, exc.code, **exc.extra) from exc
    return ProcessingResult(succeeded=bool(found), voucherJournalNo=journal)


def mutation_use_company_type(*, batch_type, batch_filter, voucher_type) -> GraphQLObjectType:
    batch_result = GraphQLObjectType(
        "Mutation_UseCompany_Batch_Result",
        {
            "affectedRows": GraphQLField(GraphQLNonNull(GraphQLInt)),
            "items": GraphQLField(GraphQLList(batch_type)),
        },
    )
    voucher_result = GraphQLObjectType(
        "Mutation_UseCompany_Voucher_Result",
        {
            "affectedRows": GraphQLField(GraphQLNonNull(GraphQLInt)),
            "items": GraphQLField(GraphQLList(voucher_type)),
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
            "batch_delete": GraphQLField(
                batch_result,
                args={"filter": GraphQLArgument(batch_filter)},
                resolve=resolve_batch_delete,
            ),
            "voucher_create": GraphQLField(
                voucher_result,
                args={
                    "values": GraphQLArgument(
                        GraphQLNonNull(GraphQLList(GraphQLNonNull(VoucherInput)))
                    )
                },
                resolve=resolve_voucher_create,
            ),
            "batch_processings": GraphQLField(processings, resolve=resolve_batch_processings),
        },
    )
